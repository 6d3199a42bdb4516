package io.shadowmq.bench.load;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * One stretch of an open-loop run at a fixed arrival rate; several run back to back, with no pause or drain between
 * them, make a load profile (e.g. a cold start, an overload, the time after it).
 *
 * @param ratePerSecond requests per second, total over the fleet
 * @param duration      how long the phase sends
 */
public record LoadPhase(double ratePerSecond, @NotNull Duration duration) {

    public LoadPhase {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("a phase's rate must be positive, was " + ratePerSecond);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a phase's duration must be positive, was " + duration);
        }
    }

    /** {@code rate × duration}, at least one. */
    public int requests() {
        return (int) Math.max(1, Math.round(ratePerSecond * duration.toNanos() / 1e9));
    }
}
