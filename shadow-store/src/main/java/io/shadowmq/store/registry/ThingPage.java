package io.shadowmq.store.registry;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.Optional;

/** One page of things in id order; {@code nextCursor} continues after the last one, absent on the last page. */
public record ThingPage(
        @NotNull List<ThingRecord> items, @Nullable String nextCursor) {

    public ThingPage {
        items = List.copyOf(items);
    }

    public @NotNull Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
