package io.shadowmq.store.apikey;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Set;

/**
 * An API key as stored (without its token): what it may do and for which households, and, for the key of a device's
 * cloud (a voice assistant's backend), the thing it acts as.
 *
 * <pre>{@code
 * new ApiKey(id, "speaker cloud", Set.of(ApiScope.THINGS_READ), Set.of("alice"), now, ThingId.of("speaker-1"));
 * }</pre>
 *
 * @param owners the households it may see; {@code "*"} means all
 * @param thing  the thing it is bound to, or null for an owner-level key: a bound key sees exactly that thing's
 *               household ({@code owners}) and acts on its other things as the thing does over MQTT
 */
public record ApiKey(
        @NotNull String id,
        @NotNull String name,
        @NotNull Set<ApiScope> scopes,
        @NotNull Set<String> owners,
        long createdAt,
        @Nullable ThingId thing) {

    public static final String ALL_OWNERS = "*";

    public ApiKey {
        scopes = Set.copyOf(scopes);
        owners = Set.copyOf(owners);
    }

    /** An owner-level key: bound to no thing. */
    public ApiKey(
            @NotNull String id,
            @NotNull String name,
            @NotNull Set<ApiScope> scopes,
            @NotNull Set<String> owners,
            long createdAt) {
        this(id, name, scopes, owners, createdAt, null);
    }

    public boolean allows(@NotNull ApiScope scope) {
        // admin implies the rest: whoever may provision and delete may also read and command.
        return scopes.contains(scope) || scopes.contains(ApiScope.THINGS_ADMIN);
    }

    public boolean sees(@NotNull Owner owner) {
        return owners.contains(ALL_OWNERS) || owners.contains(owner.value());
    }
}
