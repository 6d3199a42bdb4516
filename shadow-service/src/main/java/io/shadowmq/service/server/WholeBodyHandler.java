package io.shadowmq.service.server;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request's body in full, without holding a thread, before the application sees the request; a body that
 * has not arrived within the body timeout is answered 408 and its connection closed. The routes read bodies with
 * blocking servlet reads: without this, each client trickling a body byte by byte would pin one of Jetty's request
 * threads for as long as it liked, and a few hundred such clients stop the service.
 *
 * <p>Reading happens in Jetty's demand callbacks (no thread waits for bytes); the application then reads the
 * buffered chunks, which never blocks. Bodies are buffered up to one chunk past {@code maxBytes}, which the
 * application refuses (413); a body declared over it is buffered not at all, its length alone is refused.
 *
 * <p>What is past the limit is still read, and dropped as it arrives, up to {@value #DRAIN_FACTOR} times
 * {@code maxBytes} and within the body timeout, before the application answers 413 and the connection closes: a
 * server that closes with the client's bytes still arriving makes the client's TCP stack discard the answer (a reset),
 * and the client, still sending, sees no answer at all. Only a body larger still meets that close while arriving.
 * So the application never reads a body from the network itself: no Jetty thread waits on a client.
 *
 * <pre>{@code
 * server.insertHandler(new WholeBodyHandler(65_536, Duration.ofSeconds(10)));
 * }</pre>
 */
public final class WholeBodyHandler extends Handler.Wrapper {

    /** How many times the body limit a body declared over it is read and dropped before it is answered 413. */
    static final int DRAIN_FACTOR = 16;

    private final long maxBytes;
    private final Duration timeout;

    public WholeBodyHandler(long maxBytes, @NotNull Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        boolean overLimit = declaresBodyOverLimit(request);
        if (!overLimit && !expectsBodyUpToLimit(request)) {
            return next.handle(request, response, callback);
        }
        new BodyRead(next, request, response, callback, overLimit).start();
        return true;
    }

    private boolean declaresBodyOverLimit(Request request) {
        return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > maxBytes;
    }

    private boolean expectsBodyUpToLimit(Request request) {
        boolean expected = false;
        for (HttpField field : request.getHeaders()) {
            if (field.getHeader() == HttpHeader.CONTENT_LENGTH) {
                long length = field.getLongValue();
                expected = length > 0 && length <= maxBytes;
            } else if (field.getHeader() == HttpHeader.TRANSFER_ENCODING) {
                expected = field.contains(HttpHeaderValue.CHUNKED.asString());
            }
        }
        return expected;
    }

    /** One body being read: settles exactly once, either handed to the application or answered 408. */
    private final class BodyRead implements Invocable.Task {

        private final Handler next;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Deque<Content.Chunk> chunks = new ArrayDeque<>(); // guarded by this
        private long bytes; // guarded by this
        private boolean settled; // guarded by this
        private Scheduler.Task deadline;
        /**
         * Chunks are kept while fewer bytes than this came before them (one chunk past the limit, so the application
         * sees the body is too large), dropped after: -1 for a body declared over the limit, whose length alone
         * answers it. Either way the body is read on to its end, within the drain bound, before the answer.
         */
        private final long keepBelow;

        BodyRead(Handler next, Request request, Response response, Callback callback, boolean declaredOverLimit) {
            this.next = next;
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.keepBelow = declaredOverLimit ? -1 : maxBytes;
        }

        void start() {
            deadline = request.getComponents()
                    .getScheduler()
                    .schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
            read(false);
        }

        /** Jetty's demand callback: more content may be there. */
        @Override
        public void run() {
            read(true);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        private void read(boolean inDemandCallback) {
            while (true) {
                synchronized (this) {
                    if (settled) {
                        return; // answered 408 meanwhile: read and demand nothing more
                    }
                }
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                boolean complete;
                synchronized (this) {
                    if (settled) {
                        chunk.release();
                        return;
                    }
                    long before = bytes;
                    bytes += chunk.remaining();
                    complete = chunk.isLast() || Content.Chunk.isFailure(chunk) || bytes > DRAIN_FACTOR * maxBytes;
                    if (before <= keepBelow || Content.Chunk.isFailure(chunk)) {
                        chunks.add(chunk);
                    } else {
                        chunk.release();
                    }
                }
                if (complete) {
                    handOn(inDemandCallback);
                    return;
                }
            }
        }

        private void handOn(boolean inDemandCallback) {
            Deque<Content.Chunk> body;
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
                body = new ArrayDeque<>(chunks);
                chunks.clear();
            }
            deadline.cancel();
            BufferedRequest buffered = new BufferedRequest(request, body);
            Callback releasing = new Callback() {
                @Override
                public void succeeded() {
                    buffered.release();
                    callback.succeeded();
                }

                @Override
                public void failed(Throwable failure) {
                    buffered.release();
                    callback.failed(failure);
                }

                @Override
                public InvocationType getInvocationType() {
                    return callback.getInvocationType();
                }
            };
            Runnable handle = () -> {
                try {
                    if (!next.handle(buffered, response, releasing)) {
                        Response.writeError(request, response, releasing, 404);
                    }
                } catch (Throwable failure) {
                    Response.writeError(request, response, releasing, failure);
                }
            };
            if (inDemandCallback) {
                // Demand callbacks may run on the selector: the application (blocking servlet code) gets a pool thread.
                request.getContext().execute(handle);
            } else {
                handle.run();
            }
        }

        private void expire() {
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
                chunks.forEach(Content.Chunk::release);
                chunks.clear();
            }
            // What is still on its way would be read as the next request: the connection ends with this answer.
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Response.writeError(
                    request,
                    response,
                    callback,
                    408,
                    "the request body did not arrive within " + timeout.toMillis() + " ms");
        }
    }

    /** The request with its body already read: the application's reads are served from memory. */
    private static final class BufferedRequest extends Request.Wrapper {

        private final Deque<Content.Chunk> body; // guarded by this

        BufferedRequest(Request request, Deque<Content.Chunk> body) {
            super(request);
            this.body = body;
        }

        @Override
        public Content.Chunk read() {
            synchronized (this) {
                Content.Chunk next = body.poll();
                if (next != null) {
                    return next;
                }
            }
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean buffered;
            synchronized (this) {
                buffered = !body.isEmpty();
            }
            if (buffered) {
                getContext().execute(demandCallback);
            } else {
                super.demand(demandCallback);
            }
        }

        synchronized void release() {
            body.forEach(Content.Chunk::release);
            body.clear();
        }
    }
}
