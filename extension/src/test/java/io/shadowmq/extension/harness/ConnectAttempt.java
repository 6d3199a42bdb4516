package io.shadowmq.extension.harness;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One CONNECT with a real MQTT client, reduced to what the broker answered. A successful connection is closed at
 * once.
 * <pre>{@code
 * Mqtt5ConnAck connAck = ConnectAttempt.mqtt5(broker, "bad/id", "bad/id", "secret");
 * assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
 * }</pre>
 */
public final class ConnectAttempt {

    /** Well-formed, and no thing's secret. */
    public static final String WRONG_SECRET = "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZy0";

    private static final long TIMEOUT_SECONDS = 10;

    private ConnectAttempt() {}

    /** The CONNACK of an MQTT 5 CONNECT; a null {@code userName} leaves out both, a null {@code password} that. */
    public static @NotNull Mqtt5ConnAck mqtt5(
            @NotNull EmbeddedBroker broker,
            @NotNull String clientId,
            @Nullable String userName,
            @Nullable String password)
            throws Exception {
        return mqtt5(broker.host(), broker.port(), clientId, userName, password);
    }

    /** The same against any broker, e.g. one in a container. */
    public static @NotNull Mqtt5ConnAck mqtt5(
            @NotNull String host,
            int port,
            @NotNull String clientId,
            @Nullable String userName,
            @Nullable String password)
            throws Exception {
        return mqtt5(host, port, null, clientId, userName, password);
    }

    /**
     * The same from the local address {@code from}: on Linux every 127.x.y.z is a loopback address, so
     * {@code "127.0.0.2"} is another source address to the broker on 127.0.0.1.
     */
    public static @NotNull Mqtt5ConnAck mqtt5From(
            @NotNull String from,
            @NotNull EmbeddedBroker broker,
            @NotNull String clientId,
            @Nullable String userName,
            @Nullable String password)
            throws Exception {
        return mqtt5(broker.host(), broker.port(), InetAddress.getByName(from), clientId, userName, password);
    }

    private static @NotNull Mqtt5ConnAck mqtt5(
            @NotNull String host,
            int port,
            @Nullable InetAddress from,
            @NotNull String clientId,
            @Nullable String userName,
            @Nullable String password)
            throws Exception {
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .transportConfig()
                .localAddress(from)
                .applyTransportConfig()
                .buildAsync();
        Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> connect = client.connectWith();
        if (userName != null) {
            Mqtt5SimpleAuth auth = password == null
                    ? Mqtt5SimpleAuth.builder().username(userName).build()
                    : Mqtt5SimpleAuth.builder()
                            .username(userName)
                            .password(password.getBytes(StandardCharsets.UTF_8))
                            .build();
            connect = connect.simpleAuth(auth);
        }
        try {
            Mqtt5ConnAck connAck = connect.send().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return connAck;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5ConnAckException refused) {
                return refused.getMqttMessage();
            }
            throw e;
        }
    }

    /** The return code of an MQTT 3.1.1 CONNECT. */
    public static @NotNull Mqtt3ConnAckReturnCode mqtt3(
            @NotNull EmbeddedBroker broker,
            @NotNull String clientId,
            @NotNull String userName,
            @NotNull String password)
            throws Exception {
        return mqtt3From(null, broker, clientId, userName, password);
    }

    /** The same from the local address {@code from} (null: any), as {@link #mqtt5From}. */
    public static @NotNull Mqtt3ConnAckReturnCode mqtt3From(
            @Nullable String from,
            @NotNull EmbeddedBroker broker,
            @NotNull String clientId,
            @NotNull String userName,
            @NotNull String password)
            throws Exception {
        Mqtt3AsyncClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost(broker.host())
                .serverPort(broker.port())
                .transportConfig()
                .localAddress(from == null ? null : InetAddress.getByName(from))
                .applyTransportConfig()
                .buildAsync();
        try {
            Mqtt3ConnAckReturnCode code = client.connectWith()
                    .simpleAuth()
                    .username(userName)
                    .password(password.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .send()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getReturnCode();
            client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return code;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt3ConnAckException refused) {
                return refused.getMqttMessage().getReturnCode();
            }
            throw e;
        }
    }
}
