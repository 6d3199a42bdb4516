package io.shadowmq.store.due;

import io.shadowmq.model.shadow.Outcome;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the {@link Sweeper} runs for the due members of one kind ({@link Sweeper#handle}).
 */
@FunctionalInterface
public interface DueHandler {

    /**
     * Runs what became due for {@code member} (claimed, so no other sweeper runs it within the lease).
     *
     * @param nowMillis the store clock's time the member was claimed at
     * @return the next time the member is due (epoch ms), or empty when nothing more is due; a rejected outcome (Redis
     *         trouble) leaves the member claimed, so that it is run again once the lease has passed
     */
    @NotNull
    CompletionStage<Outcome<Optional<Long>>> due(@NotNull DueMember member, long nowMillis);
}
