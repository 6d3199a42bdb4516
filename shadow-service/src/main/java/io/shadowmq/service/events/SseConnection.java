package io.shadowmq.service.events;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Server-Sent Events response, written with servlet non-blocking I/O: frames go into a bounded queue and are
 * written only while the connection can take them, so no thread ever waits on a slow client. A client that lets more
 * than {@code capacity} frames pile up is too slow and is disconnected; memory per client stays bounded.
 *
 * <p>Writing is done by one drainer at a time (the {@code wip} counter: whoever raises it from 0 drains, everyone
 * else just leaves a note), either on the executor after a new frame or on the container's thread in
 * {@link #onWritePossible()} after a write that could not complete at once.
 */
final class SseConnection implements WriteListener {

    private final ServletOutputStream out;
    private final Executor executor;
    private final int capacity;
    private final Runnable onOverflow;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>(); // guarded by this
    private boolean closing; // guarded by this: close once the queue is written
    private boolean unflushed; // only touched by the drainer
    private final AtomicInteger wip = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    SseConnection(
            @NotNull ServletOutputStream out, @NotNull Executor executor, int capacity, @NotNull Runnable onOverflow) {
        this.out = out;
        this.executor = executor;
        this.capacity = capacity;
        this.onOverflow = onOverflow;
    }

    /**
     * Starts the event stream on a request in async mode: status 200, the SSE headers, a first comment (so the
     * client sees the headers at once), and non-blocking writing from then on.
     */
    static @NotNull SseConnection open(
            @NotNull AsyncContext async,
            @NotNull HttpServletResponse response,
            @NotNull Executor executor,
            int capacity,
            @NotNull Runnable onOverflow)
            throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // proxies (nginx) must not buffer the stream
        SseConnection connection = new SseConnection(response.getOutputStream(), executor, capacity, onOverflow);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                connection.close();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                connection.close();
            }

            @Override
            public void onError(AsyncEvent event) {
                connection.close();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // nothing to do: the connection lives as long as this async cycle
            }
        });
        // Non-blocking from here on: nothing may be written before the listener is set.
        connection.out.setWriteListener(connection);
        connection.send(SseFrames.CONNECTED);
        return connection;
    }

    /** Queues a frame; false when the connection is closed, or now closed because the client fell too far behind. */
    boolean send(byte @NotNull [] frame) {
        synchronized (this) {
            if (closed.isDone() || closing) {
                return false;
            }
            if (queue.size() >= capacity) {
                queue.clear();
                closed.complete(null);
                onOverflow.run();
                return false;
            }
            queue.add(frame);
        }
        requestDrain();
        return true;
    }

    /** Queues a frame only if nothing is waiting (a heartbeat is pointless behind real events). */
    void sendIfIdle(byte @NotNull [] frame) {
        synchronized (this) {
            if (!queue.isEmpty()) {
                return;
            }
        }
        send(frame);
    }

    /** Closes once everything queued so far is written (the last event of a deleted thing). */
    void closeAfterDrain() {
        synchronized (this) {
            closing = true;
        }
        requestDrain();
    }

    /** Closes now, dropping whatever is queued. */
    void close() {
        synchronized (this) {
            queue.clear();
        }
        closed.complete(null);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Completes when the stream has ended, for whatever reason. */
    @NotNull
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void onWritePossible() {
        if (wip.getAndIncrement() == 0) {
            drain();
        }
    }

    @Override
    public void onError(Throwable error) {
        close(); // the client went away
    }

    private void requestDrain() {
        if (wip.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            writeWhileReady();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void writeWhileReady() {
        try {
            while (!closed.isDone()) {
                if (!out.isReady()) {
                    return; // the container calls onWritePossible when the connection takes more
                }
                byte[] next;
                boolean finished;
                synchronized (this) {
                    next = queue.poll();
                    finished = next == null && closing;
                }
                if (next != null) {
                    out.write(next);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else {
                    if (finished) {
                        close();
                    }
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            close(); // a broken connection, or the response completed under us
        }
    }
}
