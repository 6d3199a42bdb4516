package io.shadowmq.store.settings;

import io.shadowmq.store.Pepper;
import org.jetbrains.annotations.NotNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsers of the settings table. Each throws {@link IllegalArgumentException} saying what is wrong; only
 * parsers of values that hold no secret repeat the value.
 */
public final class Parsers {

    private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*(ms|s|m|h)?$");

    private Parsers() {}

    /** A whole number in [min, max]; {@code _} may group digits ({@code 100_000}). */
    public static @NotNull Setting.Parser<Integer> integer(int min, int max) {
        return (text, base) -> (int) number(text, min, max);
    }

    /** A whole number in [min, max]; {@code _} may group digits. */
    public static @NotNull Setting.Parser<Long> longInteger(long min, long max) {
        return (text, base) -> number(text, min, max);
    }

    private static long number(String text, long min, long max) {
        try {
            long number = Long.parseLong(text.replace("_", ""));
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException("must be a whole number from " + min + " to " + max + ", is '" + text + "'");
    }

    /**
     * A duration in [min, max]: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, or a bare number in {@code bareUnit}
     * (what the extension's {@code config.xml} elements such as {@code <timeout-ms>} and {@code <lease-seconds>} hold).
     */
    public static @NotNull Setting.Parser<Duration> duration(
            @NotNull ChronoUnit bareUnit, @NotNull Duration min, @NotNull Duration max) {
        return (text, base) -> {
            Matcher matcher = DURATION.matcher(text.replace("_", ""));
            Duration value = null;
            if (matcher.matches()) {
                try {
                    long amount = Long.parseLong(matcher.group(1));
                    String unit = matcher.group(2);
                    value = unit == null
                            ? Duration.of(amount, bareUnit)
                            : switch (unit) {
                                case "ms" -> Duration.ofMillis(amount);
                                case "s" -> Duration.ofSeconds(amount);
                                case "m" -> Duration.ofMinutes(amount);
                                default -> Duration.ofHours(amount);
                            };
                } catch (ArithmeticException | NumberFormatException e) {
                    value = null;
                }
            }
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be a duration from " + text(min) + " to " + text(max)
                        + " (500ms, 2s, 5m, 1h; a bare number is in " + unitName(bareUnit) + "), is '" + text + "'");
            }
            return value;
        };
    }

    /** {@code 2s}, {@code 500ms}: how the table writes durations. */
    public static @NotNull String text(@NotNull Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static String unitName(ChronoUnit unit) {
        return switch (unit) {
            case MILLIS -> "milliseconds";
            case SECONDS -> "seconds";
            default -> unit.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * {@code redis://host:port} or {@code rediss://host:port}, or two or more of them separated by commas (the nodes
     * of a Redis Cluster). The message never repeats the value: the URI may carry a password.
     */
    public static @NotNull Setting.Parser<String> redisAddress() {
        return (text, base) -> {
            String[] parts = text.split(",", -1);
            StringBuilder normalized = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].strip();
                try {
                    checkRedisUri(part);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            parts.length == 1
                                    ? e.getMessage()
                                    : "Cluster node " + (i + 1) + " of " + parts.length + " " + e.getMessage());
                }
                normalized.append(i == 0 ? "" : ",").append(part);
            }
            return normalized.toString();
        };
    }

    /**
     * The one check of a single Redis address.
     *
     * @throws IllegalArgumentException with a message that does not repeat the value (it may hold a password)
     */
    public static @NotNull URI checkRedisUri(@NotNull String value) {
        // Checked before URI parsing: "host:port" would otherwise fail as "illegal character in scheme name".
        if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
            throw new IllegalArgumentException("must start with redis:// or rediss://");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URI: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("must be redis://host:port or rediss://host:port");
        }
        return uri;
    }

    /** A readable regular file, relative to the base folder unless absolute. */
    public static @NotNull Setting.Parser<Path> readableFile() {
        return (text, base) -> {
            Path path = path(text, base);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException("names " + path + ", which is not a readable file");
            }
            return path;
        };
    }

    /** A directory, relative to the base folder unless absolute. */
    public static @NotNull Setting.Parser<Path> directory() {
        return (text, base) -> {
            Path path = path(text, base);
            if (!Files.isDirectory(path)) {
                throw new IllegalArgumentException("names " + path + ", which is not a directory");
            }
            return path;
        };
    }

    private static Path path(String text, Path base) {
        try {
            return base.resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a valid path: " + e.getMessage());
        }
    }

    /** {@link Pepper#parse}; never repeats the value. */
    public static @NotNull Setting.Parser<Pepper> pepper() {
        return (text, base) -> Pepper.parse(text);
    }

    /** Any text; for secrets. */
    public static @NotNull Setting.Parser<String> text() {
        return (text, base) -> text;
    }
}
