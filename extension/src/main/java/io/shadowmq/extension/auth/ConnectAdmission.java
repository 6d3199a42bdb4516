package io.shadowmq.extension.auth;

import io.shadowmq.extension.config.ConnectQueue;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Lets at most {@code maxInFlight} credential checks ask the store at once; the others wait their turn in arrival
 * order. In a connect storm (a fleet reconnecting after a broker restart) CONNECTs are then served first come, first
 * served at the rate the store answers, instead of all starting together and the store timeout refusing whichever
 * waited longest. A check still waiting after {@code maxWait} is dropped without asking the store (its CONNECT has
 * been answered by then); when {@code maxWaiting} already wait, a new one is refused at once.
 *
 * <pre>{@code
 * admission.submit(() -> registry.verifySecret(thing, secret))   // fails with Refused when full or waited too long
 * }</pre>
 */
public final class ConnectAdmission {

    private static final Logger log = LoggerFactory.getLogger(ConnectAdmission.class);

    /** Beyond this many CONNECTs waiting, a new one is refused at once. */
    public static final int MAX_WAITING = 100_000;

    private final int maxInFlight;
    private final int maxWaiting;
    private final Duration maxWait;
    private final LongSupplier nanoClock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();

    public ConnectAdmission(int maxInFlight, int maxWaiting, @NotNull Duration maxWait) {
        this(maxInFlight, maxWaiting, maxWait, System::nanoTime);
    }

    /** @param nanoClock monotonic time in nanoseconds ({@link System#nanoTime()} but in tests) */
    public ConnectAdmission(
            int maxInFlight, int maxWaiting, @NotNull Duration maxWait, @NotNull LongSupplier nanoClock) {
        if (maxInFlight < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 1 and maxWaiting >= 0");
        }
        this.maxInFlight = maxInFlight;
        this.maxWaiting = maxWaiting;
        this.maxWait = maxWait;
        this.nanoClock = nanoClock;
    }

    /** Admission as configured ({@code <authentication>/<concurrent-checks>}, {@code <connect-wait-seconds>}). */
    public static @NotNull ConnectAdmission of(@NotNull ConnectQueue limits) {
        return new ConnectAdmission(limits.concurrentChecks(), MAX_WAITING, limits.maxWait());
    }

    public @NotNull Duration maxWait() {
        return maxWait;
    }

    /** Runs {@code check} when its turn comes; fails with {@link Refused} when too many wait or it waited too long. */
    public <T> @NotNull CompletableFuture<T> submit(@NotNull Supplier<CompletableFuture<T>> check) {
        if (waitingCount.incrementAndGet() > maxWaiting) {
            waitingCount.decrementAndGet();
            return CompletableFuture.failedFuture(new Refused("too many CONNECTs waiting for a credential check"));
        }
        Waiting<T> entry = new Waiting<>(check, nanoClock.getAsLong() + maxWait.toNanos());
        waiting.add(entry);
        drain();
        return entry.result;
    }

    /** Checks asking the store now, and waiting for their turn (metrics, tests). */
    public int inFlight() {
        return inFlight.get();
    }

    public int waiting() {
        return waitingCount.get();
    }

    /** Starts waiting checks while slots are free; iterative, so checks that finish at once cannot nest calls. */
    private void drain() {
        while (true) {
            int running = inFlight.get();
            if (running >= maxInFlight || waiting.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            Waiting<?> next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                continue;
            }
            waitingCount.decrementAndGet();
            if (!start(next)) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Starts one check; false when it is already over (expired, or answered at once) and its slot is free again. */
    private <T> boolean start(Waiting<T> entry) {
        if (nanoClock.getAsLong() - entry.deadline > 0) {
            entry.result.completeExceptionally(
                    new Refused("waited longer than " + maxWait.toMillis() + " ms for a credential check"));
            return false;
        }
        CompletableFuture<T> running;
        try {
            running = entry.check.get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        if (running.isDone()) {
            settle(entry, running);
            return false;
        }
        CompletableFuture<T> check = running;
        Futures.whenComplete(check, log, "credential check", (value, error) -> {
            settle(entry, check);
            inFlight.decrementAndGet();
            drain();
        });
        return true;
    }

    private static <T> void settle(Waiting<T> entry, CompletableFuture<T> done) {
        Futures.whenComplete(done, log, "credential check", (value, error) -> {
            if (error != null) {
                entry.result.completeExceptionally(error);
            } else {
                entry.result.complete(value);
            }
        });
    }

    /** A CONNECT that could not get its turn: answered "server unavailable", so the device retries later. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Waiting<T> {
        final Supplier<CompletableFuture<T>> check;
        final long deadline;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Waiting(Supplier<CompletableFuture<T>> check, long deadline) {
            this.check = check;
            this.deadline = deadline;
        }
    }
}
