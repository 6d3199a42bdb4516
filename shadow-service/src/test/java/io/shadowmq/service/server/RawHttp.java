package io.shadowmq.service.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send: raw bytes in the path, a 70 KB URL, headers
 * past every limit. Reads one response (head and, by Content-Length, body).
 */
final class RawHttp {

    record Response(int status, String head, String body) {

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {}

    /** Sends {@code request} as is and reads the answer (10 s at most). */
    static Response exchange(int port, byte[] request) throws IOException {
        return exchange("127.0.0.1", port, request);
    }

    /** From the source address {@code source} (any of 127.0.0.0/8: one more client on this machine). */
    static Response exchange(String source, int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before it has read everything: read its answer anyway
            }
            return read(socket.getInputStream());
        }
    }

    static Response exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int headEnd = -1;
        int contentLength = -1;
        byte[] chunk = new byte[8192];
        try {
            while (true) {
                int read = in.read(chunk);
                if (read < 0) {
                    break;
                }
                received.write(chunk, 0, read);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0) {
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0) {
                        String lower = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
                        int at = lower.indexOf("\r\ncontent-length:");
                        if (at >= 0) {
                            int end = lower.indexOf("\r\n", at + 2);
                            contentLength = Integer.parseInt(lower.substring(at + 17, end < 0 ? lower.length() : end)
                                    .trim());
                        }
                    }
                }
                if (headEnd >= 0 && contentLength >= 0 && received.size() >= headEnd + 4 + contentLength) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException stopped) {
            // take what arrived
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (headEnd < 0) {
            return new Response(-1, text, "");
        }
        String head = text.substring(0, headEnd);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
        String body = text.substring(headEnd + 4);
        return new Response(status, head, body);
    }
}
