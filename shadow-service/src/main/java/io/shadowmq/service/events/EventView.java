package io.shadowmq.service.events;

import io.shadowmq.model.access.Access;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What one SSE client may see of an event: the frame as is ({@link #ALL}: the admin, owner-level keys), or, for a
 * key bound to a thing, the shadow documents of the household's other things pruned to what that thing may read
 * ({@link #of}). Never completes exceptionally: when the caller's access cannot be told, the event is not sent (fail
 * closed).
 *
 * <pre>{@code
 * EventView view = EventView.of(caller, household);
 * view.frame(event, sharedFrame); // the shared frame, a pruned one, or empty
 * }</pre>
 */
@FunctionalInterface
interface EventView {

    EventView ALL = (event, frame) -> CompletableFuture.completedFuture(Optional.of(frame));

    @NotNull
    CompletionStage<Optional<byte[]>> frame(@NotNull FeedEvent event, byte @NotNull [] frame);

    /** The view of this caller: {@link #ALL} unless its key is bound to a thing. */
    static @NotNull EventView of(@NotNull Caller caller, @NotNull HouseholdAccess household) {
        if (caller.thing() == null) {
            return ALL;
        }
        return (event, frame) -> {
            if (event.kind() != FeedEventKind.SHADOW_UPDATED || !HouseholdAccess.acrossThings(caller, event.thing())) {
                return CompletableFuture.completedFuture(Optional.of(frame));
            }
            return household
                    .of(caller, event.thing())
                    .handle((access, error) -> error == null && access instanceof Outcome.Ok<Access> ok
                            ? ok.value().isFull()
                                    ? Optional.of(frame)
                                    : SseFrames.event(event, ok.value().readable(event.body()))
                            : Optional.<byte[]>empty());
        };
    }
}
