package io.shadowmq.model.shadow;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;

/**
 * What a thing model says about the life of desired values, per property (docs/thing-models.md): whether a desired
 * leaf leaves desired by itself once the thing reports the same value ({@code "autoClear"}, default yes), and how
 * long a desired value stays when the update setting it names no {@code ttlSeconds} ({@code "desiredTtlSeconds"},
 * default: until it is applied, rejected or replaced). {@link ShadowAlgebra#apply} asks it about each desired leaf by
 * its dotted path, e.g. {@code cabin.heater.isOn}.
 *
 * <pre>{@code
 * DesiredPolicy policy = car.desiredPolicy();
 * policy.autoClear("cabin.heater.isOn");   // true
 * policy.defaultTtl("cabin.heater.isOn");  // PT30M when the model says "desiredTtlSeconds": 1800
 * }</pre>
 */
public interface DesiredPolicy {

    /** The longest time-to-live of a desired value: 7 days ({@code ttlSeconds} and {@code desiredTtlSeconds}). */
    long MAX_TTL_SECONDS = 604_800;

    /** Every leaf clears itself on convergence and none expires: the platform's defaults without a model. */
    DesiredPolicy DEFAULT = new DesiredPolicy() {
        @Override
        public boolean autoClear(@NotNull String dottedPath) {
            return true;
        }

        @Override
        public @Nullable Duration defaultTtl(@NotNull String dottedPath) {
            return null;
        }
    };

    /** False when the property at this path (or an object above it) opted out of auto-clear. */
    boolean autoClear(@NotNull String dottedPath);

    /** The model's time-to-live for desired values at this path, or {@code null} for "no expiry". */
    @Nullable
    Duration defaultTtl(@NotNull String dottedPath);

    /** The problem with a time-to-live in seconds, or {@code null} when it is within 1 s .. 7 days. */
    static @Nullable String ttlProblem(long seconds) {
        return seconds >= 1 && seconds <= MAX_TTL_SECONDS
                ? null
                : "must be between 1 and " + MAX_TTL_SECONDS + " seconds (7 days), was " + seconds;
    }
}
