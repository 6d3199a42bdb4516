package io.shadowmq.service.auth;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.apikey.ApiKey;
import io.shadowmq.store.apikey.ApiScope;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who sent a request: the admin (every scope, every household) or an API key with its scopes and households. A key
 * bound to a thing ({@link #thing()}) is that thing's cloud: on the household's other things it may do what the
 * thing may over MQTT ({@code HouseholdAccess}).
 *
 * <pre>{@code
 * if (!caller.sees(thing.owner())) {
 *     return Problem.notFound("no thing " + id).toReply(); // as if it did not exist
 * }
 * }</pre>
 *
 * @param key   the key's id, name, scopes and owners; the admin is a key with id {@value #ADMIN_ID}
 * @param admin whether this is the admin token
 */
public record Caller(@NotNull ApiKey key, boolean admin) {

    public static final String ADMIN_ID = "admin";
    public static final @NotNull Caller ADMIN = new Caller(
            new ApiKey(ADMIN_ID, "admin token", Set.of(ApiScope.THINGS_ADMIN), Set.of(ApiKey.ALL_OWNERS), 0), true);

    public static @NotNull Caller of(@NotNull ApiKey key) {
        return new Caller(key, false);
    }

    /** What the caller may do; {@code things:admin} implies the other scopes. */
    public boolean allows(@NotNull ApiScope scope) {
        return key.allows(scope);
    }

    /** Whether things of this household exist for the caller. */
    public boolean sees(@NotNull Owner owner) {
        return key.sees(owner);
    }

    public boolean seesEveryOwner() {
        return key.owners().contains(ApiKey.ALL_OWNERS);
    }

    /** The households a restricted caller sees, sorted; only meaningful when {@link #seesEveryOwner()} is false. */
    public @NotNull Set<String> owners() {
        return new TreeSet<>(key.owners());
    }

    /**
     * Whose clientTokens these are: the admin's, or this API key's; named {@code admin} or by the key's name, as the
     * {@code setBy} of the desired values it sets.
     */
    public @NotNull Requester requester() {
        return admin ? Requester.admin() : Requester.apiKey(key.id(), key.name().isBlank() ? key.id() : key.name());
    }

    /** The thing this caller's key is bound to; null for the admin and owner-level keys. */
    public @Nullable ThingId thing() {
        return key.thing();
    }

    /** For logs: the key id, never the token. */
    public @NotNull String id() {
        return key.id();
    }
}
