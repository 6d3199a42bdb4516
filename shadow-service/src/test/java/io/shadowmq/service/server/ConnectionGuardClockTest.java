package io.shadowmq.service.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The head deadline is kept on the injected clock: a late head is closed when that clock says so, not before. */
class ConnectionGuardClockTest {

    /** Short, so the guard checks heads every 10 ms; only the manual clock decides when one is late. */
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(40);

    @Test
    void aHalfSentHeadIsClosedOnceTheInjectedClockPassesTheDeadline() throws Exception {
        AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
        ConnectionGuard guard = new ConnectionGuard(0, HEADER_TIMEOUT, nanos::get);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addBean(guard);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                callback.succeeded();
                return true;
            }
        });
        server.insertHandler(guard.requestTracker());
        server.start();
        try (Socket client = new Socket("127.0.0.1", connector.getLocalPort())) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            InputStream in = client.getInputStream();

            // Many checks pass in real time while the clock stands still: the connection stays open.
            client.setSoTimeout(300);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(guard.lateHeads()).isZero();

            nanos.addAndGet(HEADER_TIMEOUT.toNanos() + 1);
            client.setSoTimeout(5000);
            assertThat(in.read()).as("closed by the guard").isEqualTo(-1);
            assertThat(guard.lateHeads()).isEqualTo(1);
        } finally {
            server.stop();
        }
    }
}
