package io.shadowmq.model.shadow;

import org.jetbrains.annotations.NotNull;

/**
 * Why a request was refused: one of the contract's codes and a message that names the property and the rule,
 * e.g. {@code new Rejection(422, "cabin.heater.targetTemperature: 35 > maximum 28")}.
 */
public record Rejection(int code, @NotNull String message) {

    public static final int MALFORMED = 400;
    public static final int NOT_ALLOWED = 403;
    public static final int NO_SHADOW = 404;
    public static final int VERSION_CONFLICT = 409;
    public static final int TOO_LARGE = 413;
    public static final int MODEL_VIOLATION = 422;
    public static final int RATE_LIMITED = 429;
    public static final int INTERNAL = 500;
    public static final int STORE_UNAVAILABLE = 503;

    public Rejection {
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("rejection code must be 4xx or 5xx, was " + code);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("rejection needs a message");
        }
    }

    public static @NotNull Rejection malformed(@NotNull String message) {
        return new Rejection(MALFORMED, message);
    }

    public static @NotNull Rejection notAllowed(@NotNull String message) {
        return new Rejection(NOT_ALLOWED, message);
    }

    public static @NotNull Rejection noShadow(@NotNull String thingId) {
        return new Rejection(NO_SHADOW, "no shadow for thing " + thingId);
    }

    public static @NotNull Rejection versionConflict(long expected, long current) {
        return new Rejection(
                VERSION_CONFLICT,
                "version conflict: request has version " + expected + ", current version is " + current);
    }

    /**
     * The requester already used {@code clientToken} for a different request within the idempotency window: the
     * request is not applied (a repeat of the same request would have had the first result replayed instead).
     */
    public static @NotNull Rejection clientTokenReused(@NotNull String clientToken) {
        return new Rejection(
                VERSION_CONFLICT,
                "clientToken " + clientToken
                        + " was already used for a different request; use a new clientToken for each request");
    }

    public static @NotNull Rejection tooLarge(@NotNull String message) {
        return new Rejection(TOO_LARGE, message);
    }

    public static @NotNull Rejection modelViolation(@NotNull String message) {
        return new Rejection(MODEL_VIOLATION, message);
    }

    public static @NotNull Rejection rateLimited(@NotNull String message) {
        return new Rejection(RATE_LIMITED, message);
    }

    /**
     * 503 {@code store busy: why}: load shed at once (too much in flight, a shadow changed under too many writers);
     * the request was not applied, a retry is welcome.
     */
    public static @NotNull Rejection storeBusy(@NotNull String why) {
        return new Rejection(STORE_UNAVAILABLE, STORE_BUSY + why);
    }

    /** 503 {@code broker busy: why}: the broker was too far behind to take the request; not applied, retry. */
    public static @NotNull Rejection brokerBusy(@NotNull String why) {
        return new Rejection(STORE_UNAVAILABLE, BROKER_BUSY + why);
    }

    /** Whether this is load shed on purpose ({@link #storeBusy}, {@link #brokerBusy}), not a failure to log. */
    public boolean isBusy() {
        return message.startsWith(STORE_BUSY) || message.startsWith(BROKER_BUSY);
    }

    private static final String STORE_BUSY = "store busy: ";
    private static final String BROKER_BUSY = "broker busy: ";

    public static @NotNull Rejection storeUnavailable(@NotNull String message) {
        return new Rejection(STORE_UNAVAILABLE, message);
    }

    public static @NotNull Rejection internal(@NotNull String message) {
        return new Rejection(INTERNAL, message);
    }
}
