package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 403: the caller may not do this on the thing. Between things of a household the refusal names what was refused
 * (docs/protocol.md): a path the caller may not read ({@code location}), a desired path it may not write
 * ({@code desired.cabin.heater.isOn}: household read; a grant can allow it), an action it may not invoke
 * ({@code unlock}). A thing outside the household, or a topic the broker refuses, is a 403 without a path.
 *
 * <pre>{@code
 * catch (CompletionException e) {
 *     if (e.getCause() instanceof ShadowAccessDeniedException denied) {
 *         denied.path();     // Optional[location]
 *         denied.message();  // location: speaker-1 may not read location of car-1
 *     }
 * }
 * }</pre>
 */
public final class ShadowAccessDeniedException extends ShadowRejectedException {

    /** A refusal naming what it refused: {@code <dotted path or action>: <who> may not ...}. */
    private static final Pattern NAMED = Pattern.compile(
            "^([A-Za-z][A-Za-z0-9_]*(?:\\.(?:[A-Za-z][A-Za-z0-9_]*|\\*\\*?))*): \\S+ may not .*", Pattern.DOTALL);

    private final String path;

    /**
     * A 403 with the platform's message. Example:
     * {@code new ShadowAccessDeniedException("location: speaker-1 may not read location of car-1", false)}.
     *
     * @param local true when the SDK refused the request before sending it
     */
    public ShadowAccessDeniedException(@NotNull String message, boolean local) {
        super(403, message, local);
        Matcher named = NAMED.matcher(message);
        this.path = named.matches() ? named.group(1) : null;
    }

    /**
     * What the refusal names, as the platform names it: {@code location} (read), {@code desired.cabin.heater.isOn}
     * (write), {@code unlock} (invoke); empty for a refusal that names none (a thing outside the household).
     */
    public @NotNull Optional<String> path() {
        return Optional.ofNullable(path);
    }
}
