package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Refuses every CONNECT that carries a Will, and hands every other CONNECT to the authenticator it wraps.
 * <p>
 * Why no Will at all: the broker publishes a Will itself when the connection drops, past the publish interceptor
 * that decides and consumes every PUBLISH. A Will would therefore reach subscribers directly - on another household's
 * {@code update/delta} it starts their washer, and with the retain flag it is replayed on every later subscribe. A
 * Will on a thing's own request topic would be routed, not applied. The only message a Will could legitimately carry,
 * "this device is gone", ShadowMQ records itself (presence). So a Will is refused before the secret is checked, with a
 * reason the device maker can act on: MQTT 5 CONNACK 0x87 not authorized with a reason string, MQTT 3.1.1 return
 * code 5. It does not count as a failed login.
 * <pre>{@code
 * Services.securityRegistry().setAuthenticatorProvider(input -> new WillPolicy(deviceAuthenticator));
 * }</pre>
 */
public final class WillPolicy implements SimpleAuthenticator {

    /** The MQTT 5 reason string of a refused Will. */
    public static final String REASON = "a Will message is not accepted: ShadowMQ records itself when a thing "
            + "disconnects; connect without a Will";

    private static final Logger log = LoggerFactory.getLogger(WillPolicy.class);

    private final @NotNull SimpleAuthenticator next;

    /** @param next decides every CONNECT without a Will */
    public WillPolicy(@NotNull SimpleAuthenticator next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void onConnect(@NotNull SimpleAuthInput input, @NotNull SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        if (connect.getWillPublish().isEmpty()) {
            next.onConnect(input, output);
            return;
        }
        WillPublishPacket will = connect.getWillPublish().get();
        String source = input.getConnectionInformation()
                .getInetAddress()
                .map(InetAddress::getHostAddress)
                .orElse("unknown address");
        log.info(
                "CONNECT of '{}' from {} refused: it carries a Will on '{}' (QoS {}, retain {})",
                ThingId.printable(connect.getClientId()),
                source,
                ThingId.printable(will.getTopic()),
                will.getQos().getQosNumber(),
                will.getRetain());
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, REASON);
    }
}
