package io.shadowmq.service.things;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.store.registry.ThingPage;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lists things the way the caller sees them. A key limited to some households lists only theirs: asking for another
 * household gives an empty page (as if it had no things); asking for none lists its households merged in id order.
 * The cursor is the registry's (the last id of the page), so pages stay exact across the merge: each household's
 * index continues after the same id.
 *
 * <pre>{@code
 * lister.list(caller, null, "car", 50, null) // the first 50 cars of the caller's households
 * }</pre>
 */
public final class ThingLister {

    private final ThingRegistry registry;

    public ThingLister(@NotNull ThingRegistry registry) {
        this.registry = registry;
    }

    public @NotNull CompletionStage<Outcome<ThingPage>> list(
            @NotNull Caller caller, @Nullable Owner owner, @Nullable String type, int limit, @Nullable String cursor) {
        if (owner != null) {
            if (!caller.sees(owner)) {
                return CompletableFuture.completedFuture(Outcome.ok(new ThingPage(List.of(), null)));
            }
            return registry.list(owner, type, limit, cursor);
        }
        if (caller.seesEveryOwner()) {
            return registry.list(null, type, limit, cursor);
        }
        List<CompletableFuture<Outcome<ThingPage>>> pages = caller.owners().stream()
                .map(visible ->
                        registry.list(Owner.of(visible), type, limit, cursor).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                .thenApply(
                        all -> merge(pages.stream().map(CompletableFuture::join).toList(), limit));
    }

    /** The first {@code limit} things of several households' pages, each page in id order after the same cursor. */
    static @NotNull Outcome<ThingPage> merge(@NotNull List<Outcome<ThingPage>> pages, int limit) {
        List<ThingRecord> all = new ArrayList<>();
        boolean more = false;
        for (Outcome<ThingPage> page : pages) {
            if (page instanceof Outcome.Rejected<ThingPage> failed) {
                return failed;
            }
            ThingPage ok = page.orElseThrow();
            all.addAll(ok.items());
            more |= ok.nextCursor() != null;
        }
        // Redis orders the indexes bytewise; ids are ASCII, where String order is the same.
        all.sort(Comparator.comparing(thing -> thing.thingId().value()));
        List<ThingRecord> first = all.subList(0, Math.min(limit, all.size()));
        more |= all.size() > limit;
        String next =
                more && !first.isEmpty() ? first.get(first.size() - 1).thingId().value() : null;
        return Outcome.ok(new ThingPage(first, next));
    }
}
