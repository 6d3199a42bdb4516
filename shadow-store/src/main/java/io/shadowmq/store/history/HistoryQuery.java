package io.shadowmq.store.history;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.settings.Parsers;
import io.shadowmq.store.settings.Setting;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What to read of one property's reported history ({@link HistoryStore#read}): the property, a time window, how many
 * points (or buckets) at most, and optionally the bucket width to downsample to.
 *
 * <pre>{@code
 * HistoryQuery.of("state.reported.cabin.temperature", from, to, null, HistoryQuery.parseEvery("60s").orElseThrow());
 * }</pre>
 *
 * @param path  {@code state.reported.<dotted path>}, e.g. {@code state.reported.cabin.temperature}
 * @param from  the oldest point's timestamp (epoch ms, inclusive); {@code null}: as far back as retention keeps
 * @param to    the newest point's timestamp (epoch ms, inclusive); {@code null}: up to the newest point
 * @param limit the most points answered, or with {@code every} the most buckets; the oldest come first
 * @param every the bucket width to downsample to, or {@code null} for the points themselves
 */
public record HistoryQuery(
        @NotNull String path,
        @Nullable Long from,
        @Nullable Long to,
        int limit,
        @Nullable Duration every) {

    /** What {@code path} must start with: history is kept of reported values only. */
    public static final String REPORTED_PREFIX = "state.reported.";

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;
    public static final Duration MIN_EVERY = Duration.ofSeconds(1);
    public static final Duration MAX_EVERY = Duration.ofDays(7);

    private static final Setting.Parser<Duration> EVERY = Parsers.duration(ChronoUnit.SECONDS, MIN_EVERY, MAX_EVERY);

    /**
     * A query, checked: 400 naming the parameter for a path outside {@code state.reported}, a limit outside
     * 1..{@value #MAX_LIMIT}, a negative time, {@code from} after {@code to}, or a bucket width below a second.
     *
     * @param limit {@code null}: {@value #DEFAULT_LIMIT}
     */
    public static @NotNull Outcome<HistoryQuery> of(
            @NotNull String path,
            @Nullable Long from,
            @Nullable Long to,
            @Nullable Integer limit,
            @Nullable Duration every) {
        if (leafOf(path).isEmpty()) {
            return malformed("path: must name a reported value as " + REPORTED_PREFIX
                    + "<property>, e.g. state.reported.cabin.temperature; was '" + ThingId.printable(path) + "'");
        }
        int points = limit == null ? DEFAULT_LIMIT : limit;
        if (points < 1 || points > MAX_LIMIT) {
            return malformed("limit: must be 1.." + MAX_LIMIT + ", was " + points);
        }
        if (from != null && from < 0) {
            return malformed("from: must be epoch milliseconds, at least 0; was " + from);
        }
        if (to != null && to < 0) {
            return malformed("to: must be epoch milliseconds, at least 0; was " + to);
        }
        if (from != null && to != null && from > to) {
            return malformed("from: " + from + " is after to: " + to);
        }
        if (every != null && (every.compareTo(MIN_EVERY) < 0 || every.compareTo(MAX_EVERY) > 0)) {
            return malformed("every: must be a duration from " + Parsers.text(MIN_EVERY) + " to "
                    + Parsers.text(MAX_EVERY) + ", was " + Parsers.text(every));
        }
        return Outcome.ok(new HistoryQuery(path, from, to, points, every));
    }

    /** {@code 60s}, {@code 5m}, {@code 1h} (a bare number is seconds), or 400 naming {@code every}. */
    public static @NotNull Outcome<Duration> parseEvery(@NotNull String text) {
        try {
            return Outcome.ok(EVERY.parse(text.strip(), Path.of(".")));
        } catch (IllegalArgumentException e) {
            return malformed("every: " + e.getMessage());
        }
    }

    /** The dotted path below {@code state.reported} ({@code cabin.temperature}); empty when {@code path} has none. */
    public static @NotNull Optional<String> leafOf(@NotNull String path) {
        if (!path.startsWith(REPORTED_PREFIX) || path.length() == REPORTED_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(path.substring(REPORTED_PREFIX.length()));
    }

    /** The dotted path below {@code state.reported}. */
    public @NotNull String leaf() {
        return leafOf(path).orElseThrow();
    }

    private static <T> Outcome<T> malformed(String message) {
        return Outcome.rejected(Rejection.malformed(message));
    }
}
