package io.shadowmq.extension.auth;

import org.jetbrains.annotations.NotNull;

import java.util.Objects;

/**
 * The answer of {@link TopicPolicy}: granted, or refused with a reason. The reason is written for the broker log and
 * may be sent to the client as an MQTT 5 reason string, so it never says whether another household's thing exists.
 * <pre>{@code
 * if (access instanceof TopicAccess.Refused refused) {
 *     output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, refused.reason());
 * }
 * }</pre>
 */
public sealed interface TopicAccess {

    /** True for {@link Granted}. */
    boolean granted();

    static @NotNull TopicAccess grant() {
        return Granted.INSTANCE;
    }

    static @NotNull TopicAccess refuse(@NotNull String reason) {
        return new Refused(reason);
    }

    /** The client may publish to the topic or subscribe to the filter. */
    record Granted() implements TopicAccess {
        static final Granted INSTANCE = new Granted();

        @Override
        public boolean granted() {
            return true;
        }
    }

    /** The client may not; {@code reason} says which rule refused it. */
    record Refused(@NotNull String reason) implements TopicAccess {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean granted() {
            return false;
        }
    }
}
