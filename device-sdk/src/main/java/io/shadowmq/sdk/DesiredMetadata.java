package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who asked for a desired value, when, and until when it stands (the metadata leaf
 * {@code {"timestamp":ms,"setBy":"speaker-1","expiresAt":ms}} of docs/protocol.md). After {@code expiresAt} the
 * platform drops the wish by itself (outcome {@code expired}), whether or not the thing is connected.
 *
 * <pre>{@code
 * delta.desiredMetadata("cabin.heater.isOn").ifPresent(m -> log(m.setBy() + " until " + m.expiresAt()));
 * }</pre>
 *
 * @param setBy     the thing id, API key name or {@code admin} that wrote it; null when the platform did not say
 * @param setAt     when it was written, epoch milliseconds
 * @param expiresAt when it expires, epoch milliseconds; null when it does not
 */
public record DesiredMetadata(
        @Nullable String setBy, long setAt, @Nullable Long expiresAt) {

    /** {@link #setBy()} as an Optional. Example: {@code m.writer().orElse("someone")}. */
    public @NotNull Optional<String> writer() {
        return Optional.ofNullable(setBy);
    }

    /** {@link #expiresAt()} as an OptionalLong. Example: {@code m.expiry().isPresent()}. */
    public @NotNull OptionalLong expiry() {
        return expiresAt == null ? OptionalLong.empty() : OptionalLong.of(expiresAt);
    }

    /** True when it expires at or before {@code nowMillis}. Example: {@code m.isExpiredAt(clock.millis())}. */
    public boolean isExpiredAt(long nowMillis) {
        return expiresAt != null && expiresAt <= nowMillis;
    }
}
