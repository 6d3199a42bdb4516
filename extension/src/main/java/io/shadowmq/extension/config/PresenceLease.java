package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Objects;

/**
 * How this broker proves it is alive and how soon it notices that another broker died. The broker renews a lease
 * in Redis every {@code renewEvery}; a lease not renewed for {@code ttl} expires, and a reaper - in any broker or
 * REST service, looking every {@code reapEvery} - marks the dead broker's things disconnected. A broker killed
 * outright is therefore shown gone at most {@code ttl + reapEvery} (plus the reaping itself) after its last renewal.
 * <pre>{@code new PresenceLease(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(5))  // the default: <= 20 s}</pre>
 *
 * @param ttl        how long a lease lives without renewal; a broker paused longer (GC, network) is taken for dead
 *                   and shows its things connected again when it comes back
 * @param renewEvery how often the lease is renewed; less than {@code ttl}, a third of it leaves two renewals spare
 * @param reapEvery  how often this broker looks for dead brokers
 */
public record PresenceLease(
        @NotNull Duration ttl,
        @NotNull Duration renewEvery,
        @NotNull Duration reapEvery) {

    public static final PresenceLease DEFAULT =
            new PresenceLease(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(5));

    public PresenceLease {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(renewEvery, "renewEvery");
        Objects.requireNonNull(reapEvery, "reapEvery");
        if (renewEvery.isNegative() || renewEvery.isZero() || reapEvery.isNegative() || reapEvery.isZero()) {
            throw new IllegalArgumentException("lease renewal and reaping intervals must be positive");
        }
        if (renewEvery.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("the lease must be renewed more often than it lives: renewal every "
                    + renewEvery.toSeconds() + " s, lease " + ttl.toSeconds() + " s");
        }
    }
}
