package io.shadowmq.service.events;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the event streams open at once: {@code maxStreams} in all and {@code maxPerKey} for one API key (the admin
 * token counts as one key). Each stream holds a connection, a queue of up to {@code sse.bufferEvents} frames and a
 * share of every event's fan-out, so without a cap one key could take the whole service. A stream takes a slot
 * before it starts and gives it back when it ends, for whatever reason (the client closed it, it fell too far behind,
 * a heartbeat could not be written to a client that went away, its key was revoked, shutdown).
 *
 * <pre>{@code
 * Outcome<StreamSlots.Slot> slot = slots.acquire(caller.id());
 * // Ok: start the stream, then connection.closed().whenComplete((done, error) -> slot.release())
 * // Rejected: 429, "key k1 has 200 event streams open, the most one key may have"
 * }</pre>
 */
public final class StreamSlots {

    private static final Logger log = LoggerFactory.getLogger(StreamSlots.class);

    private final int maxStreams;
    private final int maxPerKey;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> openPerKey = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /** One open stream's place; released once, however often {@link #release()} is called. */
    public static final class Slot {
        private final StreamSlots slots;
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(StreamSlots slots, String key) {
            this.slots = slots;
            this.key = key;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                slots.release(key);
            }
        }
    }

    public StreamSlots(int maxStreams, int maxPerKey) {
        this.maxStreams = maxStreams;
        this.maxPerKey = maxPerKey;
    }

    /** A slot for one more stream of {@code key}, or a 429 rejection saying which cap is reached. */
    public @NotNull Outcome<Slot> acquire(@NotNull String key) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return refuse(
                    key, "the service has " + maxStreams + " event streams open, the most it serves (sse.maxStreams)");
        }
        boolean[] full = new boolean[1];
        openPerKey.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            full[0] = current >= maxPerKey;
            return full[0] ? count : Integer.valueOf(current + 1);
        });
        if (full[0]) {
            open.decrementAndGet();
            return refuse(
                    key,
                    "key " + key + " has " + maxPerKey + " event streams open, the most one key may have "
                            + "(sse.maxStreamsPerKey); close one first");
        }
        return Outcome.ok(new Slot(this, key));
    }

    /** Streams open now, of every key. */
    public int open() {
        return open.get();
    }

    /** Streams refused at a cap since the start. */
    public long refused() {
        return refused.get();
    }

    private void release(String key) {
        openPerKey.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
        open.decrementAndGet();
    }

    private Outcome<Slot> refuse(String key, String reason) {
        if (refused.getAndIncrement() % 100 == 0) {
            log.warn("event stream of key {} refused: {} ({} refused so far)", key, reason, refused.get());
        }
        return Outcome.rejected(Rejection.rateLimited(reason));
    }
}
