package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedListener;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows this node's share of the change feed and tells devices what changed, whoever changed it (a device on this
 * node, another broker node, the REST service): {@code update/documents} for every accepted update of a thing this
 * node watches, {@code update/delta} when the thing has something new to do. Also pushes a pending delta to a thing
 * that (re)subscribes to its delta topic, so a device that was offline never has to poll, and passes credential
 * changes on (to disconnect the thing) and presence changes (a newer connection elsewhere may have taken over one
 * here).
 *
 * <p>The node's follow passes each thing's shadow versions rising ({@link io.shadowmq.store.feed.NodeFeed#follow}):
 * a change that arrives after a newer one is never published (devices act on the newest version only; the newer
 * {@code update/documents} carries the older one as its {@code previous}).
 */
public final class DeltaDispatcher implements FeedListener {

    private static final Logger log = LoggerFactory.getLogger(DeltaDispatcher.class);

    private final ShadowRepository shadows;
    private final ResponseSink responses;
    private final ShadowMetrics metrics;
    private final Clock clock;
    private final Consumer<ThingId> onCredentialsChanged;
    private final Consumer<ThingId> onPresenceChanged;
    private final Function<ThingId, CompletionStage<?>> watch;

    /**
     * @param watch makes sure this node watches a thing's changes; the pending-delta check on subscribe reads after
     *              it completed, so a change is either seen by that read or routed here
     */
    public DeltaDispatcher(
            @NotNull ShadowRepository shadows,
            @NotNull ResponseSink responses,
            @NotNull ShadowMetrics metrics,
            @NotNull Clock clock,
            @NotNull Consumer<ThingId> onCredentialsChanged,
            @NotNull Consumer<ThingId> onPresenceChanged,
            @NotNull Function<ThingId, CompletionStage<?>> watch) {
        this.watch = watch;
        this.shadows = shadows;
        this.responses = responses;
        this.metrics = metrics;
        this.clock = clock;
        this.onCredentialsChanged = onCredentialsChanged;
        this.onPresenceChanged = onPresenceChanged;
    }

    @Override
    public void onEvent(@NotNull FeedEvent event) {
        if (event.kind() == FeedEventKind.SHADOW_UPDATED) {
            // The entry's body is the documents payload: passed on as the feed holds it, parsed only for a delta.
            String documents = ShadowTopic.documents(event.thing());
            Futures.logFailure(
                    responses.publish(documents, event.rawBody().getBytes(StandardCharsets.UTF_8)),
                    log,
                    "publishing to " + documents);
            if (event.newDelta()) {
                DocumentsPayload change = DocumentsPayload.read(event.body());
                metrics.deltaPublished();
                String delta = ShadowTopic.delta(event.thing());
                Futures.logFailure(
                        responses.publish(delta, ShadowPayloads.delta(change.current(), clock.millis())),
                        log,
                        "publishing to " + delta);
            }
        } else if (event.kind() == FeedEventKind.THING_DELETED || event.kind() == FeedEventKind.SECRET_ROTATED) {
            // The store's own follow already dropped what it knew of a deleted thing's shadow (ShadowStore.follow).
            onCredentialsChanged.accept(event.thing());
        } else if (event.kind() == FeedEventKind.PRESENCE) {
            onPresenceChanged.accept(event.thing());
        }
    }

    /**
     * Called when {@code thing} subscribed with {@code filter}: if the filter covers its delta topic and a delta is
     * pending, the thing gets it on its own, once its subscription is active.
     */
    public void onSubscribed(@NotNull ThingId thing, @NotNull String filter) {
        String deltaTopic = ShadowTopic.delta(thing);
        if (!TopicFilter.matches(filter, deltaTopic)) {
            return;
        }
        Futures.logFailure(
                watch.apply(thing)
                        .toCompletableFuture()
                        .handle((watched, error) -> null)
                        .thenCompose(watched -> shadows.get(thing))
                        .thenAccept(outcome -> {
                            if (outcome instanceof Outcome.Ok<ShadowDocument> found
                                    && !found.value().delta().isEmpty()) {
                                deliver(thing, deltaTopic, ShadowPayloads.delta(found.value(), clock.millis()));
                            }
                        }),
                log,
                "thing " + thing + ": pushing its pending delta on subscribe");
    }

    private void deliver(ThingId thing, String topic, ObjectNode payload) {
        Futures.whenComplete(
                responses.publishToClientOnceSubscribed(thing.value(), topic, payload),
                log,
                "pending delta",
                (delivered, error) -> {
                    if (Boolean.TRUE.equals(delivered)) {
                        metrics.deltaPublished();
                        log.debug(
                                "thing {}: pending delta version {} pushed on subscribe",
                                thing,
                                payload.path("version"));
                    } else {
                        log.info(
                                "thing {}: pending delta not delivered, its delta subscription never became active",
                                thing);
                    }
                });
    }
}
