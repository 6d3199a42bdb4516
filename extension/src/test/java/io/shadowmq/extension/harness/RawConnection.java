package io.shadowmq.extension.harness;

import org.jetbrains.annotations.NotNull;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An MQTT connection written byte by byte over a plain socket, to do what a well-behaved client library never does:
 * drop the TCP connection without a DISCONNECT, so that the broker publishes the Will. One CONNECT (MQTT 3.1.1 or 5,
 * with a Will), its CONNACK, then {@link #drop()}.
 * <pre>{@code
 * try (RawConnection attacker = RawConnection.connect(broker, 5, "car-1", secret, will)) {
 *     assertThat(attacker.connAck().code()).isEqualTo(0x87);
 * }
 * }</pre>
 */
public final class RawConnection implements AutoCloseable {

    /** The Will of the CONNECT. */
    public record Will(@NotNull String topic, @NotNull String payload, int qos, boolean retain) {}

    /** The CONNACK: the MQTT 5 reason code or the MQTT 3.1.1 return code, and the MQTT 5 reason string if any. */
    public record ConnAck(int code, @NotNull Optional<String> reasonString) {}

    private final Socket socket;
    private final ConnAck connAck;

    private RawConnection(Socket socket, ConnAck connAck) {
        this.socket = socket;
        this.connAck = connAck;
    }

    /**
     * Connects as {@code thingId} with {@code secret} and {@code will}; {@code mqttVersion} 4 (3.1.1) or 5. Client id
     * and user name are both the thing id.
     */
    public static @NotNull RawConnection connect(
            @NotNull EmbeddedBroker broker,
            int mqttVersion,
            @NotNull String thingId,
            @NotNull String secret,
            @NotNull Will will)
            throws IOException {
        Socket socket = new Socket(broker.host(), broker.port());
        socket.setSoTimeout(10_000);
        try {
            socket.getOutputStream().write(connectPacket(mqttVersion, thingId, secret, will));
            socket.getOutputStream().flush();
            return new RawConnection(socket, readConnAck(new DataInputStream(socket.getInputStream()), mqttVersion));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public @NotNull ConnAck connAck() {
        return connAck;
    }

    /** Closes the TCP connection without a DISCONNECT: an accepted Will is published now. */
    public void drop() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        drop();
    }

    private static byte[] connectPacket(int version, String thingId, String secret, Will will) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(version);
        int flags = 0x80 | 0x40 | 0x04 | 0x02 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
        body.write(flags);
        body.write(0);
        body.write(60); // keep alive, seconds
        if (version == 5) {
            body.write(0); // no CONNECT properties
        }
        string(body, thingId);
        if (version == 5) {
            body.write(0); // no Will properties
        }
        string(body, will.topic());
        string(body, will.payload());
        string(body, thingId);
        string(body, secret);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        variableLength(packet, body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static ConnAck readConnAck(DataInputStream in, int version) throws IOException {
        int type = in.readUnsignedByte();
        if (type != 0x20) {
            throw new IOException("expected CONNACK, got packet type 0x" + Integer.toHexString(type));
        }
        byte[] body = new byte[readVariableLength(in)];
        in.readFully(body);
        int code = body[1] & 0xFF;
        if (version != 5 || body.length < 3) {
            return new ConnAck(code, Optional.empty());
        }
        return new ConnAck(code, reasonString(body));
    }

    /** The reason string (property 0x1F) among the CONNACK properties, skipping the others by their type. */
    private static Optional<String> reasonString(byte[] body) {
        int[] at = {2};
        int length = variableLength(body, at);
        int end = at[0] + length;
        int i = at[0];
        while (i < end) {
            int id = body[i++] & 0xFF;
            switch (id) {
                case 0x1F -> {
                    int size = ((body[i] & 0xFF) << 8) | (body[i + 1] & 0xFF);
                    return Optional.of(new String(body, i + 2, size, StandardCharsets.UTF_8));
                }
                case 0x24, 0x25, 0x28, 0x29, 0x2A -> i += 1;
                case 0x21, 0x22, 0x13 -> i += 2;
                case 0x11, 0x27 -> i += 4;
                case 0x12, 0x15, 0x16, 0x1A, 0x1C -> i += 2 + (((body[i] & 0xFF) << 8) | (body[i + 1] & 0xFF));
                case 0x26 -> {
                    i += 2 + (((body[i] & 0xFF) << 8) | (body[i + 1] & 0xFF));
                    i += 2 + (((body[i] & 0xFF) << 8) | (body[i + 1] & 0xFF));
                }
                default -> throw new IllegalStateException("unexpected CONNACK property 0x" + Integer.toHexString(id));
            }
        }
        return Optional.empty();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    private static void variableLength(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static int readVariableLength(DataInputStream in) throws IOException {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private static int variableLength(byte[] body, int[] at) {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = body[at[0]++] & 0xFF;
            value += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }
}
