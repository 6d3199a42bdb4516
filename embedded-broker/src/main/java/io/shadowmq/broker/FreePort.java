package io.shadowmq.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port nobody listens on right now, picked by the OS: for brokers, services and tests started on this
 * machine ({@code FreePort.pick()}). Another process may still take it before it is bound; callers that can
 * retry do ({@code RedisServerProcess} has its own picker with a bind address and retries).
 */
public final class FreePort {

    private FreePort() {}

    public static int pick() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
