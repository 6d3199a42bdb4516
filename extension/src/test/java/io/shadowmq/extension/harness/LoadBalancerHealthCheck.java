package io.shadowmq.extension.harness;

import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The health check of the shipped load-balancer example ({@code config/examples/haproxy.cfg}) as HAProxy runs it:
 * sends its {@code tcp-check send-binary} bytes to a real broker and reads the answer, so a test can hold the
 * example to what a serving and an out-of-service broker really answer.
 * <pre>{@code
 * assertThat(LoadBalancerHealthCheck.answerOf(broker)).isEqualTo(LoadBalancerHealthCheck.expected());
 * }</pre>
 */
public final class LoadBalancerHealthCheck {

    /** The example, from the extension module's folder (where failsafe runs). */
    public static final Path EXAMPLE = Path.of("..", "config", "examples", "haproxy.cfg");

    private LoadBalancerHealthCheck() {}

    /** The answer HAProxy expects from a serving broker ({@code tcp-check expect binary}). */
    public static @NotNull String expected() throws IOException {
        return valueOf("tcp-check expect binary ");
    }

    /** The first bytes the broker answers to the check's CONNECT, as lowercase hex (a CONNACK is 4 bytes). */
    public static @NotNull String answerOf(@NotNull EmbeddedBroker broker) throws IOException {
        byte[] connect = HexFormat.of().parseHex(valueOf("tcp-check send-binary "));
        try (Socket socket = new Socket(broker.host(), broker.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(connect);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(4);
            return HexFormat.of().formatHex(answer);
        }
    }

    private static String valueOf(String directive) throws IOException {
        List<String> values = Files.readAllLines(EXAMPLE).stream()
                .map(String::strip)
                .filter(line -> line.startsWith(directive))
                .map(line -> line.substring(directive.length()).strip())
                .toList();
        if (values.size() != 1) {
            throw new IllegalStateException(
                    EXAMPLE + " must have exactly one '" + directive.strip() + "', has " + values.size());
        }
        return values.get(0);
    }
}
