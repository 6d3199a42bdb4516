package io.shadowmq.extension.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.shadowmq.extension.config.AuthFailureLimit;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows down password guessing by where it comes from: failed CONNECTs are counted per source address and per
 * source address + thing id ({@link AuthFailureLimit}); a counter over its limit within the window refuses further
 * attempts from that address (for that thing, or for all) for the block time, without a store lookup. Nothing is
 * counted per thing id alone, so failures in a thing's name from one address never keep that thing out when it
 * connects from another.
 * <p>
 * Bounded: at most {@link #MAX_TRACKED} counters, each forgotten once neither its window nor its block can matter
 * any more. Time comes from the {@link Ticker}, so tests move it instead of sleeping.
 * <pre>{@code
 * AuthFailureBrake brake = new AuthFailureBrake(AuthFailureLimit.DEFAULT);
 * String source = AuthFailureBrake.sourceOf(clientAddress);   // "203.0.113.7", or "2001:db8:0:1::/64"
 * brake.recordFailure(source, thing);
 * brake.brakedFor(source, thing);   // Optional.empty() until the 15th failure within a minute
 * }</pre>
 */
public final class AuthFailureBrake {

    /** Counters kept at most (about 150 bytes each); above it Caffeine evicts the least used. */
    static final long MAX_TRACKED = 200_000;

    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(1);
    private static final int IPV6_NETWORK_BYTES = 8;

    private final AuthFailureLimit limit;
    private final Ticker ticker;
    private final Cache<Key, Attempts> attempts;

    public AuthFailureBrake(@NotNull AuthFailureLimit limit) {
        this(limit, Ticker.systemTicker());
    }

    AuthFailureBrake(@NotNull AuthFailureLimit limit, @NotNull Ticker ticker) {
        this.limit = limit;
        this.ticker = ticker;
        // Caffeine may expire an entry a little early (its timer wheel rounds), so a counter is kept a second longer
        // than its window or block can matter.
        Duration keep = (limit.window().compareTo(limit.blockFor()) > 0 ? limit.window() : limit.blockFor())
                .plus(EXPIRY_MARGIN);
        this.attempts = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(keep)
                .maximumSize(MAX_TRACKED)
                .build();
    }

    /**
     * The source an address counts as: an IPv4 address itself; an IPv6 address its /64 network, which one
     * subscriber or host usually holds whole - counting each of its 2^64 addresses apart would let one attacker
     * pick a fresh address for every guess.
     */
    public static @NotNull String sourceOf(@NotNull InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        StringBuilder network = new StringBuilder();
        for (int i = 0; i < IPV6_NETWORK_BYTES; i += 2) {
            network.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)))
                    .append(':');
        }
        return network.append(":/64").toString();
    }

    /** Why a CONNECT from {@code source} for {@code thing} is refused now, or empty when it may be checked. */
    public @NotNull Optional<String> brakedFor(@NotNull String source, @NotNull ThingId thing) {
        long now = ticker.read();
        if (blocked(new Key(source, null), now)) {
            return Optional.of("too many failed attempts from this address, retry later");
        }
        if (blocked(new Key(source, thing.value()), now)) {
            return Optional.of("too many failed attempts for this thing from this address, retry later");
        }
        return Optional.empty();
    }

    /**
     * Counts a wrong secret (or unknown thing) presented from {@code source}; true when this failure started a block
     * (worth one log line, where the refusals it causes are not).
     */
    public boolean recordFailure(@NotNull String source, @NotNull ThingId thing) {
        long now = ticker.read();
        // Each write restarts the entry's expiry, so a counter lives as long as its window or block can matter.
        Attempts bySource = attempts.asMap()
                .compute(new Key(source, null), (key, entry) -> fail(entry, now, limit.maxFailuresPerSource()));
        Attempts byThing = attempts.asMap()
                .compute(new Key(source, thing.value()), (key, entry) -> fail(entry, now, limit.maxFailuresPerThing()));
        return bySource.blockedUntil() == now + limit.blockFor().toNanos()
                || byThing.blockedUntil() == now + limit.blockFor().toNanos();
    }

    private boolean blocked(Key key, long now) {
        Attempts entry = attempts.getIfPresent(key);
        return entry != null && entry.blockedUntil() != 0 && now - entry.blockedUntil() < 0;
    }

    private Attempts fail(@Nullable Attempts entry, long now, int maxFailures) {
        Attempts current =
                entry == null || now - entry.windowStart() > limit.window().toNanos()
                        ? new Attempts(now, 0, entry == null ? 0 : entry.blockedUntil())
                        : entry;
        int failures = current.failures() + 1;
        return failures >= maxFailures
                ? new Attempts(now, 0, now + limit.blockFor().toNanos())
                : new Attempts(current.windowStart(), failures, current.blockedUntil());
    }

    /** A source address, alone ({@code thing} null) or with one thing id. */
    private record Key(@NotNull String source, @Nullable String thing) {}

    /** Failures counted since {@code windowStart}; refused until {@code blockedUntil} (0: never blocked). */
    private record Attempts(long windowStart, int failures, long blockedUntil) {}
}
