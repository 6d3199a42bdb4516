package io.shadowmq.model.access;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * One grant of a household: what a grantee (one thing, or every thing of a type) may do beyond its model's household
 * defaults on a target (one thing, or every thing of a type) of the same household.
 *
 * <pre>{@code
 * // the speaker may turn the car's heater on, until revoked
 * new Grant("g-7Qx", Owner.of("alice"), "speaker-1", "type:car", List.of(), List.of("cabin.heater.**"), List.of(),
 *         null, now, "admin");
 * }</pre>
 *
 * @param id        made by the store, unique in the household
 * @param grantee   a thing id ({@code speaker-1}) or {@code type:<model>} ({@code type:speaker})
 * @param target    a thing id ({@code car-1}) or {@code type:<model>} ({@code type:car})
 * @param read      path patterns ({@link PathPattern}) the grantee may read beyond the defaults
 * @param write     path patterns the grantee may write in {@code desired} (implies read)
 * @param invoke    action names the grantee may invoke (never a critical one)
 * @param expiresAt epoch milliseconds after which the grant no longer applies; null = until revoked
 * @param createdAt epoch milliseconds
 * @param createdBy who created it (the requester's name)
 */
public record Grant(
        @NotNull String id,
        @NotNull Owner owner,
        @NotNull String grantee,
        @NotNull String target,
        @NotNull List<String> read,
        @NotNull List<String> write,
        @NotNull List<String> invoke,
        @Nullable Long expiresAt,
        long createdAt,
        @NotNull String createdBy) {

    /** Prefix of a grantee or target that names every thing of a model type. */
    public static final String TYPE_PREFIX = "type:";

    public Grant {
        read = List.copyOf(read);
        write = List.copyOf(write);
        invoke = List.copyOf(invoke);
    }

    /** Whether the grant names this thing (by id or by its type) as grantee. */
    public boolean granteeIs(@NotNull ThingId thing, @NotNull String type) {
        return names(grantee, thing, type);
    }

    /** Whether the grant names this thing (by id or by its type) as target. */
    public boolean targetIs(@NotNull ThingId thing, @NotNull String type) {
        return names(target, thing, type);
    }

    /** Whether the grant applies at {@code nowMillis} (not expired). */
    public boolean activeAt(long nowMillis) {
        return expiresAt == null || nowMillis < expiresAt;
    }

    private static boolean names(String who, ThingId thing, String type) {
        return who.startsWith(TYPE_PREFIX)
                ? who.substring(TYPE_PREFIX.length()).equals(type)
                : who.equals(thing.value());
    }
}
