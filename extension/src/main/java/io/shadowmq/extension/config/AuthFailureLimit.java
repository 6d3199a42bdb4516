package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Objects;

/**
 * Brute-force brake on CONNECT, by where the attempts come from: after {@code maxFailuresPerThing} failed
 * authentications within {@code window} from one source IP for one thing id, that address is refused for that thing
 * for {@code blockFor}; after {@code maxFailuresPerSource} from one source IP for any thing ids, that address is
 * refused for every thing. Never per thing id alone: secrets are long random values that guessing cannot find, and a
 * per-thing lockout would let anyone keep a device out by failing in its name.
 * <pre>{@code new AuthFailureLimit(15, 100, Duration.ofMinutes(1), Duration.ofMinutes(5))  // the default}</pre>
 */
public record AuthFailureLimit(
        int maxFailuresPerThing,
        int maxFailuresPerSource,
        @NotNull Duration window,
        @NotNull Duration blockFor) {

    public static final AuthFailureLimit DEFAULT =
            new AuthFailureLimit(15, 100, Duration.ofMinutes(1), Duration.ofMinutes(5));

    public AuthFailureLimit {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(blockFor, "blockFor");
        if (maxFailuresPerThing < 1 || maxFailuresPerSource < 1) {
            throw new IllegalArgumentException("failure limits must be at least 1, were " + maxFailuresPerThing
                    + " per thing and " + maxFailuresPerSource + " per source");
        }
        if (window.isNegative() || window.isZero() || blockFor.isNegative() || blockFor.isZero()) {
            throw new IllegalArgumentException("window and block time must be positive");
        }
    }
}
