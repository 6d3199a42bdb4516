package io.shadowmq.store.grant;

import io.shadowmq.model.access.Access;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionStage;

/**
 * What a household member may do on another thing of its household ({@link Access}), from the target's model and
 * the household's grants, behind caches (thing types never change; a household's grants are cached until the change
 * feed announces a {@code grants} change for it, or a short expiry as a safety net). Both the extension and the REST
 * service ask it; a warm answer completes at once.
 *
 * <pre>{@code
 * store.household().access(ThingId.of("speaker-1"), ThingId.of("car-1"))
 *         .thenAccept(access -> access.mayWrite("cabin.heater.isOn"));
 * }</pre>
 *
 * <p>The same thing: {@link Access#FULL}. The caller has already made sure both are of one household. Completes
 * exceptionally when the store cannot answer (callers refuse: fail closed, 503 over REST).
 */
public interface HouseholdGuard {

    @NotNull
    CompletionStage<Access> access(@NotNull ThingId member, @NotNull ThingId target);

    /** Forgets what is cached of this household's grants (the change feed calls it on every node). */
    void forget(@NotNull io.shadowmq.model.thing.Owner owner);
}
