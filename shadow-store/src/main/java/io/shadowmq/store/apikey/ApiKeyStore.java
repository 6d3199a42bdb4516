package io.shadowmq.store.apikey;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.registry.SecretHasher;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * API keys of the REST service. A token reads {@code smq_<16 hex id>_<secret>}: the id finds the key in one lookup,
 * the secret is checked against its keyed hash in constant time.
 */
public final class ApiKeyStore {

    static final String TOKEN_PREFIX = "smq_";
    static final int ID_BYTES = 8;
    static final String SECRET_PURPOSE = "apikey";

    private final RedissonClient redis;
    private final StoreCall call;
    private final SecretHasher hasher;
    private final Clock clock;

    public ApiKeyStore(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            @NotNull SecretHasher hasher,
            @NotNull Clock clock) {
        this.redis = redis;
        this.call = call;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Creates a key; owners are household ids or {@code "*"}. Bad owners are 400. */
    public @NotNull CompletionStage<Outcome<IssuedApiKey>> create(
            @NotNull String name, @NotNull Set<ApiScope> scopes, @NotNull Set<String> owners) {
        return create(name, scopes, owners, null);
    }

    /**
     * Creates a key, bound to {@code thing} unless null (the caller checked that the thing exists and that
     * {@code owners} is exactly its household).
     */
    public @NotNull CompletionStage<Outcome<IssuedApiKey>> create(
            @NotNull String name, @NotNull Set<ApiScope> scopes, @NotNull Set<String> owners, @Nullable ThingId thing) {
        if (name.isBlank() || name.length() > 100) {
            return done(Outcome.rejected(Rejection.malformed("name: must be 1..100 characters")));
        }
        if (scopes.isEmpty()) {
            return done(Outcome.rejected(Rejection.malformed("scopes: at least one scope is required")));
        }
        if (owners.isEmpty()) {
            return done(Outcome.rejected(Rejection.malformed("owners: at least one owner (or \"*\") is required")));
        }
        for (String owner : owners) {
            if (!owner.equals(ApiKey.ALL_OWNERS) && !ThingId.isValid(owner)) {
                return done(Outcome.rejected(
                        Rejection.malformed("owners: invalid owner '" + ThingId.printable(owner) + "'")));
            }
        }
        String id = hasher.newId(ID_BYTES);
        String secret = hasher.newSecret();
        ApiKey key = new ApiKey(id, name, scopes, owners, clock.millis(), thing);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("scopes", scopes.stream().map(ApiScope::wireName).sorted().collect(Collectors.joining(",")));
        fields.put("owners", owners.stream().sorted().collect(Collectors.joining(",")));
        fields.put("createdAt", Long.toString(key.createdAt()));
        if (thing != null) {
            fields.put("thing", thing.value());
        }
        fields.put("tokenHash", hasher.hash(SECRET_PURPOSE, id, secret));
        return call.run(
                "create api key",
                redis.<String, String>getMap(RedisKeys.apiKey(id), StringCodec.INSTANCE)
                        .putAllAsync(fields),
                ignored -> Outcome.ok(new IssuedApiKey(key, TOKEN_PREFIX + id + "_" + secret)));
    }

    /** Revokes a key: 404 if there is none with this id. */
    public @NotNull CompletionStage<Outcome<Boolean>> revoke(@NotNull String id) {
        if (!id.matches("^[0-9a-f]{" + ID_BYTES * 2 + "}$")) {
            return done(Outcome.rejected(new Rejection(404, "no API key " + ThingId.printable(id))));
        }
        return call.run(
                "revoke api key",
                redis.getBucket(RedisKeys.apiKey(id)).deleteAsync(),
                deleted -> deleted ? Outcome.ok(true) : Outcome.rejected(new Rejection(404, "no API key " + id)));
    }

    /** The key a bearer token belongs to; empty for a malformed, unknown, revoked or wrong token. */
    public @NotNull CompletionStage<Outcome<Optional<ApiKey>>> authenticate(@NotNull String token) {
        int idEnd = TOKEN_PREFIX.length() + ID_BYTES * 2;
        if (!token.startsWith(TOKEN_PREFIX) || token.length() <= idEnd + 1 || token.charAt(idEnd) != '_') {
            return done(Outcome.ok(Optional.empty()));
        }
        String id = token.substring(TOKEN_PREFIX.length(), idEnd);
        String secret = token.substring(idEnd + 1);
        if (!id.matches("^[0-9a-f]+$")) {
            return done(Outcome.ok(Optional.empty()));
        }
        return call.run(
                "authenticate api key",
                redis.<String, String>getMap(RedisKeys.apiKey(id), StringCodec.INSTANCE)
                        .readAllMapAsync(),
                fields -> {
                    String stored = fields.get("tokenHash");
                    if (stored == null || !hasher.matches(SECRET_PURPOSE, id, secret, stored)) {
                        return Outcome.ok(Optional.empty());
                    }
                    Set<ApiScope> scopes = Arrays.stream(fields.get("scopes").split(","))
                            .map(ApiScope::fromWireName)
                            .flatMap(Optional::stream)
                            .collect(Collectors.toSet());
                    Set<String> owners = Set.of(fields.get("owners").split(","));
                    String thing = fields.get("thing");
                    return Outcome.ok(Optional.of(new ApiKey(
                            id,
                            fields.get("name"),
                            scopes,
                            owners,
                            Long.parseLong(fields.getOrDefault("createdAt", "0")),
                            thing == null ? null : ThingId.of(thing))));
                });
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
