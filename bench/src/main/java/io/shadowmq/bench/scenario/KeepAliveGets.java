package io.shadowmq.bench.scenario;

import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One HTTP/1.1 keep-alive connection that sends {@code GET}s and reads each answer whole, on the calling thread.
 *
 * <p>Why not the JDK {@code HttpClient}: measured here, 16 of them topped out near 600-900 GET/s while the service,
 * driven by {@code wrk} from the same machine, answered 5,000+/s — the benchmark was measuring its own client
 * (selector thread hand-offs per request). A blocking socket per caller costs two system calls per request, which is
 * what a load generator should cost.
 * <pre>{@code
 * try (KeepAliveGets gets = KeepAliveGets.open(URI.create("http://127.0.0.1:8080"), "Bearer smq_admin_...")) {
 *     int status = gets.get("/api/v1/things/car-1/shadow");   // 200, body read and dropped
 * }
 * }</pre>
 */
final class KeepAliveGets implements Closeable {

    private static final int TIMEOUT_MILLIS = (int) ShadowHttp.REQUEST_TIMEOUT.toMillis();
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The highest latency a closed loop's histogram records, µs; slower answers count as this. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private final String authorization;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private KeepAliveGets(Socket socket, String host, String authorization) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.host = host;
        this.authorization = authorization;
    }

    static @NotNull KeepAliveGets open(@NotNull URI base, @NotNull String authorization) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
        return new KeepAliveGets(socket, base.getHost() + ":" + base.getPort(), authorization);
    }

    /** Sends {@code GET path}, reads the whole answer and returns its status code. */
    int get(@NotNull String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                        + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        int headerBytes = 0;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            headerBytes += header.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("answer headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(
                        lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16);
                    size > 0;
                    size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16)) {
                skip(size);
                readLine();
            }
            while (!readLine().isEmpty()) {
                // trailers, if any
            }
        } else if (length > 0) {
            skip(length);
        } else if (length < 0 && status != 204 && status != 304) {
            throw new IOException("answer " + status + " has neither Content-Length nor chunked body");
        }
        if (close) {
            throw new IOException("the service closed the connection after answering " + status);
        }
        return status;
    }

    private String readLine() throws IOException {
        line.reset();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("answer line longer than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed mid-body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * One caller in a closed loop: a keep-alive connection, the next {@code GET} (of the path {@code paths} gives) as
     * soon as the last answered, until {@code deadline}; answers to requests sent from {@code warmUntil} on are
     * counted: a 200's latency in {@code micros} and {@code ok}, anything else (or a broken connection, reopened) in
     * {@code errors}.
     */
    static void closedLoop(
            @NotNull URI base,
            @NotNull String authorization,
            @NotNull Supplier<String> paths,
            long warmUntil,
            long deadline,
            @NotNull Histogram micros,
            @NotNull LongAdder ok,
            @NotNull LongAdder errors) {
        KeepAliveGets connection = null;
        try {
            while (System.nanoTime() < deadline) {
                if (connection == null) {
                    connection = open(base, authorization);
                }
                String path = paths.get();
                long sent = System.nanoTime();
                int status;
                try {
                    status = connection.get(path);
                } catch (IOException failed) {
                    status = -1;
                    connection.close();
                    connection = null;
                }
                if (sent < warmUntil) {
                    continue;
                }
                if (status == 200) {
                    micros.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - sent) / 1000));
                    ok.increment();
                } else {
                    errors.increment();
                }
            }
        } catch (IOException cannotConnect) {
            errors.increment();
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // closing a benchmark connection
                }
            }
        }
    }
}
