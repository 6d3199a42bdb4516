package io.shadowmq.service.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Attackers that hold connections open by sending slowly: each connection sends a request head (or part of one)
 * and then one more byte per tick, from a source address of its own in 127.0.0.0/8 so that several "clients" can be
 * played from one machine. Non-blocking sockets: one thread at a time ticks them (bounded in time) while others may
 * still be opening more; {@link #close()} closes every socket.
 */
final class SlowClients implements AutoCloseable {

    /** One connection of the attack and what the server did to it. */
    static final class Slow {
        final SocketChannel channel;
        final StringBuilder answer = new StringBuilder();
        boolean closedByServer;
        long closedAfterMillis = -1;
        final long openedNanos = System.nanoTime();

        Slow(SocketChannel channel) {
            this.channel = channel;
        }

        int status() {
            String text = answer.toString();
            return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
        }
    }

    /** Added to by the openers, walked by the ticking thread. */
    private final List<Slow> connections = new CopyOnWriteArrayList<>();

    private final ByteBuffer oneByte = ByteBuffer.allocate(1);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);

    /**
     * Opens {@code count} connections from {@code source}, each sending {@code start} at once.
     *
     * @return the new connections (a connection the server closed at once shows as closed on the next tick)
     */
    List<Slow> open(String source, int port, int count, String start) throws IOException {
        List<Slow> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.bind(new InetSocketAddress(source, 0));
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.configureBlocking(false);
                channel.write(ByteBuffer.wrap(start.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException refused) {
                // closed by the server before the head was written: counts as closed
            }
            Slow slow = new Slow(channel);
            connections.add(slow);
            opened.add(slow);
        }
        return opened;
    }

    /** One tick: reads what the server sent (an answer, or end of stream) and sends one more byte on each live one. */
    void tick(byte next) {
        for (Slow slow : connections) {
            if (slow.closedByServer) {
                continue;
            }
            try {
                readBuffer.clear();
                int read = slow.channel.read(readBuffer);
                if (read > 0 && slow.answer.length() < 512) {
                    slow.answer.append(new String(readBuffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                }
                if (read < 0) {
                    closed(slow);
                    continue;
                }
                oneByte.clear();
                oneByte.put(next).flip();
                slow.channel.write(oneByte);
            } catch (IOException reset) {
                closed(slow);
            }
        }
    }

    /**
     * Ticks every {@code interval} for {@code duration}, sending {@code next} each time, on a scheduler of its own
     * (one thread: ticks never overlap); returns after the last tick.
     */
    void trickle(Duration duration, Duration interval, byte next) throws Exception {
        long endNanos = System.nanoTime() + duration.toNanos();
        CompletableFuture<Void> over = new CompletableFuture<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slow-clients-pacer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ScheduledFuture<?> ticks = pacer.scheduleAtFixedRate(
                    () -> {
                        try {
                            tick(next);
                            if (System.nanoTime() - endNanos >= 0) {
                                over.complete(null);
                            }
                        } catch (RuntimeException e) {
                            over.completeExceptionally(e); // a throwing task would stop its schedule silently
                        }
                    },
                    0,
                    interval.toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                over.get(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            } finally {
                ticks.cancel(false);
            }
        } finally {
            pacer.shutdownNow();
            pacer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    List<Slow> connections() {
        return connections;
    }

    @Override
    public void close() {
        for (Slow slow : connections) {
            try {
                slow.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void closed(Slow slow) {
        slow.closedByServer = true;
        slow.closedAfterMillis = (System.nanoTime() - slow.openedNanos) / 1_000_000;
    }
}
