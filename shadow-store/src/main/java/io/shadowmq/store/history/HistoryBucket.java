package io.shadowmq.store.history;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * The points of one downsampling bucket, summed up: {@code [from, from + every)}, aligned to a multiple of
 * {@code every} since the epoch, so the same window always gives the same buckets.
 *
 * @param from  where the bucket starts (epoch ms, a multiple of the bucket width)
 * @param min   the smallest numeric value, {@code null} when the bucket has none (strings, booleans, removals)
 * @param max   the largest numeric value, {@code null} when the bucket has none
 * @param avg   the mean of the numeric values, {@code null} when the bucket has none
 * @param last  the bucket's newest value (JSON {@code null} when that update removed it)
 * @param count how many points fell in the bucket
 */
public record HistoryBucket(
        long from,
        @Nullable JsonNode min,
        @Nullable JsonNode max,
        @Nullable Double avg,
        @NotNull JsonNode last,
        int count) {

    /** The bucket starting at {@code from} of {@code points}, oldest first (at least one). */
    static @NotNull HistoryBucket of(long from, @NotNull List<HistoryPoint> points) {
        JsonNode min = null;
        JsonNode max = null;
        double sum = 0;
        int numbers = 0;
        for (HistoryPoint point : points) {
            JsonNode value = point.value();
            if (!value.isNumber()) {
                continue;
            }
            if (min == null || value.decimalValue().compareTo(min.decimalValue()) < 0) {
                min = value;
            }
            if (max == null || value.decimalValue().compareTo(max.decimalValue()) > 0) {
                max = value;
            }
            sum += value.asDouble();
            numbers++;
        }
        return new HistoryBucket(
                from,
                min,
                max,
                numbers == 0 ? null : sum / numbers,
                points.get(points.size() - 1).value(),
                points.size());
    }
}
