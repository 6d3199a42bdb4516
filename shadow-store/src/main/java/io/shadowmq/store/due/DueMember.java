package io.shadowmq.store.due;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One member of the {@link DueIndex}: {@code kind|thing} or {@code kind|thing|detail}, e.g. {@code cmd|washer-1|Ab3…}
 * (a command's expiry) or {@code desired|car-1} (the earliest expiry of a thing's desired values).
 *
 * @param kind   which handler of the {@link Sweeper} runs it ({@link #COMMAND}, {@link #DESIRED}, ...)
 * @param thing  the thing it concerns: it decides the index partition
 * @param detail what within the thing ('' for none), e.g. the command id
 */
public record DueMember(
        @NotNull String kind,
        @NotNull ThingId thing,
        @NotNull String detail) {

    /** The kind of a command's expiry; the detail is the command id. */
    public static final String COMMAND = "cmd";
    /** The kind of the expiry of a thing's desired values; no detail. */
    public static final String DESIRED = "desired";

    static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");
    private static final char SEPARATOR = '|';

    public DueMember {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(detail, "detail");
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("due member kind must match " + KIND.pattern());
        }
        if (detail.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("a due member's detail must not hold '|'");
        }
    }

    /** A member without detail, such as {@code desired|car-1}. */
    public static @NotNull DueMember of(@NotNull String kind, @NotNull ThingId thing) {
        return new DueMember(kind, thing, "");
    }

    /** The member as the index keeps it. */
    public @NotNull String member() {
        return kind + SEPARATOR + thing.value() + (detail.isEmpty() ? "" : SEPARATOR + detail);
    }

    /** The member the index keeps as {@code member}; empty for text no {@link DueMember} writes. */
    public static @NotNull Optional<DueMember> parse(@NotNull String member) {
        String[] parts = member.split("\\|", -1);
        if (parts.length < 2 || parts.length > 3 || !KIND.matcher(parts[0]).matches() || !ThingId.isValid(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(new DueMember(parts[0], ThingId.of(parts[1]), parts.length == 3 ? parts[2] : ""));
    }

    @Override
    public String toString() {
        return member();
    }
}
