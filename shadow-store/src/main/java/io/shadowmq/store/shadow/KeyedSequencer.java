package io.shadowmq.store.shadow;

import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after another per key, in submission order, without holding a thread while a task
 * waits on Redis. This is what keeps "requests of one thing are applied in the order the broker received them":
 * the next task of a key starts when the previous one's stage completes, on whichever thread completed it.
 * Keys with nothing in flight take no memory.
 */
final class KeyedSequencer<K> {

    private static final Logger log = LoggerFactory.getLogger(KeyedSequencer.class);

    private final ConcurrentHashMap<K, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    <T> @NotNull CompletableFuture<T> submit(@NotNull K key, @NotNull Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        CompletableFuture<T> result = turn.thenCompose(ignored -> start(task));
        // put() swaps the tail atomically; the task itself never runs inside the map's lock.
        CompletableFuture<?> previous = tails.put(key, result);
        Futures.whenComplete(result, log, "sequenced task", (value, error) -> tails.remove(key, result));
        if (previous == null) {
            turn.complete(null);
        } else {
            Futures.whenComplete(previous, log, "sequenced task", (value, error) -> turn.complete(null));
        }
        return result;
    }

    /** Whether a task of {@code key} is queued or running (a snapshot: a task may be submitted right after). */
    boolean busy(@NotNull K key) {
        return tails.containsKey(key);
    }

    int inFlightKeys() {
        return tails.size();
    }

    private static <T> CompletionStage<T> start(Supplier<? extends CompletionStage<T>> task) {
        try {
            return task.get();
        } catch (RuntimeException bug) {
            return CompletableFuture.failedFuture(bug);
        }
    }
}
