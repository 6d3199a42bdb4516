package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.UpdateAccepted;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reports waiting to be sent (while offline, or while pacing holds them back), coalesced: each report is composed into
 * the newest waiting batch, so that the latest value of every property wins and the whole wait becomes one update.
 * Bounded by the JSON size of what it holds. Not thread-safe: the session guards it.
 *
 * <pre>{@code
 * ReportBuffer buffer = new ReportBuffer(32 * 1024);
 * buffer.add(patch, future);                 // false: full, nothing changed
 * buffer.poll().ifPresent(batch -> send(batch.patch(), batch.waiters()));
 * }</pre>
 */
final class ReportBuffer {

    /** One update to send and the futures of every report folded into it. */
    record Batch(@NotNull ObjectNode patch, @NotNull List<CompletableFuture<UpdateAccepted>> waiters, int sizeBytes) {}

    private final int capacityBytes;
    /** Usually at most one; a second one starts only where patches cannot be composed (see PatchComposition). */
    private final Deque<Batch> batches = new ArrayDeque<>();

    private int sizeBytes;

    ReportBuffer(int capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("buffer capacity must be positive, was " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * Folds {@code patch} into the newest batch, or starts one.
     *
     * @return false when the buffer would then hold more than its capacity; it is unchanged in that case
     */
    boolean add(@NotNull ObjectNode patch, @NotNull CompletableFuture<UpdateAccepted> waiter) {
        Batch newest = batches.peekLast();
        Optional<ObjectNode> composed =
                newest == null ? Optional.empty() : PatchComposition.compose(newest.patch(), patch);
        if (composed.isPresent()) {
            int size = SafeJson.write(composed.get()).length;
            if (sizeBytes - newest.sizeBytes() + size > capacityBytes) {
                return false;
            }
            List<CompletableFuture<UpdateAccepted>> waiters = new ArrayList<>(newest.waiters());
            waiters.add(waiter);
            batches.pollLast();
            batches.addLast(new Batch(composed.get(), waiters, size));
            sizeBytes += size - newest.sizeBytes();
            return true;
        }
        int size = SafeJson.write(patch).length;
        if (sizeBytes + size > capacityBytes) {
            return false;
        }
        List<CompletableFuture<UpdateAccepted>> waiters = new ArrayList<>();
        waiters.add(waiter);
        batches.addLast(new Batch(patch.deepCopy(), waiters, size));
        sizeBytes += size;
        return true;
    }

    /** The oldest batch, taken out of the buffer. */
    @NotNull
    Optional<Batch> poll() {
        Batch oldest = batches.pollFirst();
        if (oldest != null) {
            sizeBytes -= oldest.sizeBytes();
        }
        return Optional.ofNullable(oldest);
    }

    /** The waiting patches, oldest first (the trees themselves: do not change them). */
    @NotNull
    List<ObjectNode> patches() {
        return batches.stream().map(Batch::patch).toList();
    }

    /** Empties the buffer and returns every waiting future, to fail them. */
    @NotNull
    List<CompletableFuture<UpdateAccepted>> clear() {
        List<CompletableFuture<UpdateAccepted>> waiters = new ArrayList<>();
        batches.forEach(batch -> waiters.addAll(batch.waiters()));
        batches.clear();
        sizeBytes = 0;
        return waiters;
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    int sizeBytes() {
        return sizeBytes;
    }

    int capacityBytes() {
        return capacityBytes;
    }
}
