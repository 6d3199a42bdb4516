package io.shadowmq.store.summary;

import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.summary.Presence;
import io.shadowmq.model.summary.ReadFilter;
import io.shadowmq.model.summary.Summarizer;
import io.shadowmq.model.summary.Summary;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.presence.PresenceStore;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A thing's summary from what the store holds: its model (by the thing's type), its shadow's reported state and
 * timestamps, and its presence. The one path for the REST route and the MQTT {@code things/T/summary/get}; who may
 * ask was decided before, and what the asker may read is the {@link ReadFilter}.
 *
 * <pre>{@code
 * summaries.summarize(ThingId.of("car-1"), request, ReadFilter.ALL)   // 200 Summary, or 404 "no thing car-1"
 * }</pre>
 */
public final class ThingSummaries {

    private final ThingRegistry registry;
    private final ShadowRepository shadows;
    private final PresenceStore presence;
    private final ThingModels models;
    private final Clock clock;

    public ThingSummaries(
            @NotNull ThingRegistry registry,
            @NotNull ShadowRepository shadows,
            @NotNull PresenceStore presence,
            @NotNull ThingModels models,
            @NotNull Clock clock) {
        this.registry = registry;
        this.shadows = shadows;
        this.presence = presence;
        this.models = models;
        this.clock = clock;
    }

    /** The summary of a thing looked up by id; 404 {@code no thing T} when it is not provisioned. */
    public @NotNull CompletionStage<Outcome<Summary>> summarize(
            @NotNull ThingId thing, @NotNull SummaryRequest request, @NotNull ReadFilter filter) {
        return registry.find(thing).thenCompose(found -> {
            if (found instanceof Outcome.Ok<ThingRecord> ok) {
                return summarize(ok.value(), request, filter);
            }
            return CompletableFuture.completedFuture(
                    Outcome.rejected(((Outcome.Rejected<ThingRecord>) found).rejection()));
        });
    }

    /** The summary of a thing already found. A thing that has no shadow yet is summarized as reporting nothing. */
    public @NotNull CompletionStage<Outcome<Summary>> summarize(
            @NotNull ThingRecord thing, @NotNull SummaryRequest request, @NotNull ReadFilter filter) {
        Optional<ThingModel> model = models.get(thing.type());
        if (model.isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.rejected(Rejection.internal(
                    "thing " + thing.thingId() + " has type " + thing.type() + ", which no model describes")));
        }
        CompletionStage<Outcome<PresenceStatus>> status = presence.status(thing.thingId());
        return shadows.get(thing.thingId()).thenCombine(status, (shadow, connected) -> {
            if (shadow instanceof Outcome.Rejected<ShadowDocument> failed
                    && failed.rejection().code() != Rejection.NO_SHADOW) {
                return Outcome.<Summary>rejected(failed.rejection());
            }
            if (connected instanceof Outcome.Rejected<PresenceStatus> failed) {
                return Outcome.<Summary>rejected(failed.rejection());
            }
            ShadowDocument doc = shadow instanceof Outcome.Ok<ShadowDocument> ok ? ok.value() : ShadowDocument.empty(0);
            boolean online = ((Outcome.Ok<PresenceStatus>) connected).value().connected();
            return Outcome.ok(Summarizer.summarize(
                    thing.thingId(),
                    model.get(),
                    doc.reported(),
                    doc.reportedMetadata(),
                    online ? Presence.CONNECTED : Presence.DISCONNECTED,
                    request,
                    filter,
                    clock.instant()));
        });
    }
}
