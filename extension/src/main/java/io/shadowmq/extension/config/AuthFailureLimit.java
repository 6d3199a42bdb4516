package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Objects;

/**
 * Brute-force brake on CONNECT: after {@code maxFailures} failed authentications within {@code window}, counted
 * separately per thing id and per source IP, that thing id or IP is refused for {@code blockFor} without checking
 * its password.
 * <pre>{@code new AuthFailureLimit(15, Duration.ofMinutes(1), Duration.ofMinutes(5))  // the default}</pre>
 */
public record AuthFailureLimit(int maxFailures, @NotNull Duration window, @NotNull Duration blockFor) {

    public static final AuthFailureLimit DEFAULT =
            new AuthFailureLimit(15, Duration.ofMinutes(1), Duration.ofMinutes(5));

    public AuthFailureLimit {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(blockFor, "blockFor");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("max failures must be at least 1, was " + maxFailures);
        }
        if (window.isNegative() || window.isZero() || blockFor.isNegative() || blockFor.isZero()) {
            throw new IllegalArgumentException("window and block time must be positive");
        }
    }
}
