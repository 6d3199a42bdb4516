package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Just enough of the Redis protocol (RESP2) to tell whether a server is up, whose it is, and to shut it down:
 * one command per connection, replies that are simple strings, errors, integers or bulk strings. This module
 * stays free of a Redis client library so that every module can use it whatever client it picked.
 *
 * <pre>{@code boolean up = RedisPing.ping("127.0.0.1", 6379, Duration.ofMillis(500));}</pre>
 */
final class RedisPing {

    private RedisPing() {}

    /** True when the server answers {@code PING} with {@code +PONG}; false on any error, timeout or other reply. */
    static boolean ping(@NotNull String host, int port, @NotNull Duration timeout) {
        try {
            return command(host, port, timeout, "PING").filter("PONG"::equals).isPresent();
        } catch (IOException e) {
            // Includes "-LOADING": the server is up but still reading its data set, so not ready yet.
            return false;
        }
    }

    /**
     * Sends one command and returns the reply as text: a simple string without its {@code +}, an integer's digits,
     * a bulk string's content, or empty for a null bulk string (e.g. {@code GET} of a missing key).
     *
     * @throws IOException on connection failure, timeout (applies to the connect and to each read), an error reply
     *                     (its text is the message) or a reply kind this class does not read (arrays)
     */
    static @NotNull Optional<String> command(
            @NotNull String host, int port, @NotNull Duration timeout, @NotNull String... args) throws IOException {
        try (Socket socket = connect(host, port, timeout)) {
            send(socket.getOutputStream(), args);
            return readReply(new BufferedInputStream(socket.getInputStream()), args[0]);
        }
    }

    /**
     * Sends one command whose reply is an array of bulk strings (e.g. {@code CLUSTER GETKEYSINSLOT}) and returns its
     * elements; a null array is empty.
     *
     * @throws IOException as {@link #command}, or if the reply is no flat array of bulk strings
     */
    static @NotNull List<String> arrayCommand(
            @NotNull String host, int port, @NotNull Duration timeout, @NotNull String... args) throws IOException {
        try (Socket socket = connect(host, port, timeout)) {
            send(socket.getOutputStream(), args);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int kind = in.read();
            if (kind == '-') {
                throw new IOException("Redis replied to " + args[0] + " with error: " + readLine(in));
            }
            if (kind != '*') {
                throw new IOException("expected an array in reply to " + args[0] + ", got '" + (char) kind + "'");
            }
            int count = Integer.parseInt(readLine(in));
            List<String> elements = new ArrayList<>(Math.max(0, count));
            for (int i = 0; i < count; i++) {
                elements.add(readReply(in, args[0]).orElse(""));
            }
            return elements;
        }
    }

    /** The {@code process_id} the server reports in {@code INFO server}: tells our server from another one. */
    static long serverPid(@NotNull String host, int port, @NotNull Duration timeout) throws IOException {
        String info = command(host, port, timeout, "INFO", "server").orElse("");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("process_id:")) {
                return Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        throw new IOException("INFO server from " + host + ":" + port + " has no process_id line");
    }

    /**
     * Sends {@code SHUTDOWN SAVE} or {@code SHUTDOWN NOSAVE}. A server that obeys closes the connection without a
     * reply, so end-of-stream is success here.
     *
     * @throws IOException if the server could not be reached or refused (e.g. it could not write its RDB file)
     */
    static void shutdown(@NotNull String host, int port, boolean save, @NotNull Duration timeout) throws IOException {
        try (Socket socket = connect(host, port, timeout)) {
            send(socket.getOutputStream(), "SHUTDOWN", save ? "SAVE" : "NOSAVE");
            int first = socket.getInputStream().read();
            if (first == -1) {
                return;
            }
            InputStream rest = new BufferedInputStream(socket.getInputStream());
            throw new IOException("SHUTDOWN refused by " + host + ":" + port + ": " + (char) first + readLine(rest));
        } catch (SocketException e) {
            // A reset instead of a clean close: the server went away while we read, which is what we asked for.
            if (!String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
        }
    }

    private static @NotNull Socket connect(@NotNull String host, int port, @NotNull Duration timeout)
            throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void send(@NotNull OutputStream out, @NotNull String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(request.toByteArray());
        out.flush();
    }

    private static @NotNull Optional<String> readReply(@NotNull InputStream in, @NotNull String commandName)
            throws IOException {
        int kind = in.read();
        if (kind == -1) {
            throw new EOFException("connection closed before a reply to " + commandName);
        }
        String line = readLine(in);
        switch (kind) {
            case '+':
            case ':':
                return Optional.of(line);
            case '-':
                throw new IOException("Redis replied to " + commandName + " with error: " + line);
            case '$':
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return Optional.empty();
                }
                byte[] content = in.readNBytes(length);
                if (content.length < length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk reply to " + commandName);
                }
                return Optional.of(new String(content, StandardCharsets.UTF_8));
            default:
                throw new IOException("unsupported reply kind '" + (char) kind + "' to " + commandName);
        }
    }

    private static @NotNull String readLine(@NotNull InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b == -1) {
                throw new EOFException("connection closed inside a reply line");
            }
            line.write(b);
        }
        if (in.read() != '\n') {
            throw new IOException("malformed reply line: CR without LF");
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
