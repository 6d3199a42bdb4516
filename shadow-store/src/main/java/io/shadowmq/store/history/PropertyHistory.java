package io.shadowmq.store.history;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * A property's recent history as {@link HistoryStore#read} answers it: either its points, or with a bucket width its
 * buckets; both oldest first.
 *
 * @param thing   the thing
 * @param path    the property, {@code state.reported.<dotted path>}
 * @param every   the bucket width; {@code null} when the points themselves are answered
 * @param points  the points (empty when downsampled)
 * @param buckets the buckets that hold at least one point (empty unless downsampled)
 */
public record PropertyHistory(
        @NotNull ThingId thing,
        @NotNull String path,
        @Nullable Duration every,
        @NotNull List<HistoryPoint> points,
        @NotNull List<HistoryBucket> buckets) {

    public PropertyHistory {
        points = List.copyOf(points);
        buckets = List.copyOf(buckets);
    }
}
