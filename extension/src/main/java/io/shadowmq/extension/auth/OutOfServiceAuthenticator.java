package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the extension registers when it cannot start (an unusable configuration): it refuses every CONNECT with 0x88
 * server unavailable (MQTT 3.1.1: 3), which devices treat as "retry later", and repeats the reason in the broker log
 * on the first refused CONNECT and then at most once per {@link #REPEAT_EVERY}, so an operator who looks at the log
 * only when devices stay offline finds it next to their attempts.
 * <p>
 * Why not {@code preventExtensionStartup}: HiveMQ then writes a {@code DISABLED} file into the extension folder, and
 * after the operator fixes the configuration and restarts, the broker runs without ShadowMQ for good (and HiveMQ CE
 * without any authenticator answers 0x87 not authorized, which devices take as permanent). Staying loaded but out of
 * service fails just as closed and recovers with the restart that applies the fix.
 * <pre>{@code
 * Services.securityRegistry().setAuthenticatorProvider(input -> new OutOfServiceAuthenticator(reason, clock, metrics::authFailure));
 * }</pre>
 */
public final class OutOfServiceAuthenticator implements SimpleAuthenticator {

    /** How often a refused CONNECT repeats the reason in the log, at most. */
    public static final Duration REPEAT_EVERY = Duration.ofMinutes(1);
    /** The MQTT 5 reason string: the device learns the broker is at fault, not why (that is for the log). */
    public static final String REASON = "ShadowMQ is out of service on this broker: its configuration is unusable";

    private static final Logger log = LoggerFactory.getLogger(OutOfServiceAuthenticator.class);

    private final @NotNull String problem;
    private final @NotNull Clock clock;
    private final @NotNull Runnable onRefused;
    private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.MIN);

    /**
     * @param problem   why the extension could not start, one line, already logged once at start
     * @param onRefused counts every refused CONNECT (metrics)
     */
    public OutOfServiceAuthenticator(@NotNull String problem, @NotNull Clock clock, @NotNull Runnable onRefused) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onRefused = Objects.requireNonNull(onRefused, "onRefused");
    }

    @Override
    public void onConnect(@NotNull SimpleAuthInput input, @NotNull SimpleAuthOutput output) {
        Instant now = clock.instant();
        Instant last = lastLogged.get();
        if (!now.isBefore(last.plus(REPEAT_EVERY)) && lastLogged.compareAndSet(last, now)) {
            log.error(
                    "CONNECT of '{}' refused, ShadowMQ is out of service: {}",
                    ThingId.printable(input.getConnectPacket().getClientId()),
                    problem);
        }
        onRefused.run();
        output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, REASON);
    }
}
