package io.shadowmq.service.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.store.apikey.ApiKey;
import io.shadowmq.store.apikey.ApiKeyStore;
import io.shadowmq.store.apikey.ApiScope;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Turns an {@code Authorization: Bearer <token>} header into a {@link Caller}: the admin token (checked in memory,
 * works while Redis is down) or an API key ({@code smq_...}, looked up in the store). Lookups are remembered for at
 * most the configured TTL (≤ 5 s), keyed by a digest of the token, so a revoked key stops working within that time
 * everywhere, and at once in this process ({@link #forgetKey}).
 *
 * <pre>{@code
 * authenticator.authenticate(ctx.header("Authorization")).thenAccept(caller -> ...);
 * // Result.caller(), or a refusal: 401 with its WWW-Authenticate challenge, 503 when the key store is unreachable
 * }</pre>
 */
public final class Authenticator {

    static final String REALM = "shadowmq";
    static final int UNAUTHORIZED = 401;
    /** RFC 6750 b64token. */
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9\\-._~+/]+=*$");

    private static final int MAX_TOKEN_CHARS = 512;
    private static final long MAX_CACHED_TOKENS = 10_000;

    private final AdminToken admin;
    private final ApiKeyStore keys;
    private final Cache<String, Optional<ApiKey>> recent;

    public Authenticator(@NotNull AdminToken admin, @NotNull ApiKeyStore keys, @NotNull Duration cacheTtl) {
        this.admin = admin;
        this.keys = keys;
        this.recent = Caffeine.newBuilder()
                .expireAfterWrite(cacheTtl)
                .maximumSize(MAX_CACHED_TOKENS)
                .build();
    }

    /** The caller, or why not (401 or 503). Never completes exceptionally. */
    public @NotNull CompletionStage<Result> authenticate(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return done(unauthorized("missing bearer token: send Authorization: Bearer <token>", false));
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            return done(unauthorized("Authorization: expected the Bearer scheme", false));
        }
        String token = parts[1];
        if (token.length() > MAX_TOKEN_CHARS || !TOKEN.matcher(token).matches()) {
            return done(unauthorized("invalid or revoked token", true));
        }
        if (admin.matches(token)) {
            return done(Result.ok(Caller.ADMIN));
        }
        String digest = digest(token);
        Optional<ApiKey> remembered = recent.getIfPresent(digest);
        if (remembered != null) {
            return done(toResult(remembered));
        }
        return keys.authenticate(token).thenApply(outcome -> {
            if (outcome instanceof Outcome.Ok<Optional<ApiKey>> ok) {
                recent.put(digest, ok.value());
                return toResult(ok.value());
            }
            return new Result(null, ((Outcome.Rejected<Optional<ApiKey>>) outcome).rejection(), null);
        });
    }

    /** Forgets cached lookups of a revoked key, so that it stops working in this process at once. */
    public void forgetKey(@NotNull String keyId) {
        recent.asMap()
                .values()
                .removeIf(key -> key.map(k -> k.id().equals(keyId)).orElse(false));
    }

    /** The RFC 6750 challenge of a 403 for a token that lacks {@code scope}. */
    public static @NotNull String insufficientScope(@NotNull ApiScope scope) {
        return "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\"" + scope.wireName() + "\"";
    }

    private static Result toResult(Optional<ApiKey> key) {
        return key.map(k -> Result.ok(Caller.of(k))).orElseGet(() -> unauthorized("invalid or revoked token", true));
    }

    private static Result unauthorized(String detail, boolean invalidToken) {
        // RFC 6750 §3: no error code when credentials are missing, invalid_token when they are wrong.
        String challenge = "Bearer realm=\"" + REALM + "\"" + (invalidToken ? ", error=\"invalid_token\"" : "");
        return new Result(null, new Rejection(UNAUTHORIZED, detail), challenge);
    }

    private static String digest(String token) {
        return HexFormat.of().formatHex(TokenDigest.sha256(token));
    }

    private static CompletionStage<Result> done(Result result) {
        return CompletableFuture.completedFuture(result);
    }

    /**
     * The caller, or the refusal: 401 with the {@code WWW-Authenticate} challenge to send, or 503 when the key store
     * did not answer.
     */
    public record Result(
            @Nullable Caller caller,
            @Nullable Rejection refusal,
            @Nullable String challenge) {

        static Result ok(Caller caller) {
            return new Result(caller, null, null);
        }
    }
}
