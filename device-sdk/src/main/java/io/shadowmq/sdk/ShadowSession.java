package io.shadowmq.sdk;

import io.shadowmq.model.shadow.ShadowTopic;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The protocol engine behind {@link ShadowClient}: matches answers to requests by client token, times requests out,
 * resubscribes and re-reads the shadow after every (re)connect, hands each delta over once, coalesces reports while
 * they cannot go out, and paces updates under the platform's rate limit.
 *
 * <p>Threading: one lock guards all state. Nothing slow happens under it: publishing, completing futures and calling
 * listeners are collected as {@link Effects} and run after the lock is released, on the thread that caused them (the
 * MQTT client's thread for anything that arrives, the caller's for requests, the session's scheduler for timers).
 */
final class ShadowSession implements MqttTransport.Events {

    private static final System.Logger log = System.getLogger(ShadowSession.class.getName());

    /** After a 429 (others write the thing too), updates to it pause this long. */
    static final Duration RATE_LIMITED_PAUSE = Duration.ofSeconds(1);
    /** When the shadow cannot be read after a connect (store unavailable), the SDK tries again this often. */
    static final Duration SYNC_RETRY = Duration.ofSeconds(1);

    /** What the session is made of; {@link ShadowClientBuilder} fills it in. */
    record Settings(@NotNull ThingId thing, @Nullable ThingModel model, @NotNull ShadowLimits limits,
                    @NotNull Duration requestTimeout, double updatesPerSecond, int offlineBufferBytes) {
    }

    private final Settings settings;
    private final MqttTransport transport;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final RequestTokens tokens = new RequestTokens();
    private final RequestValidator ownValidator;

    private final List<DeltaListener> deltaListeners = new CopyOnWriteArrayList<>();
    private final List<DocumentsListener> documentsListeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();

    private final Object lock = new Object();
    // Everything below is guarded by lock.
    private boolean started;
    private boolean closed;
    private boolean connected;
    /** Counts connections, so that answers to subscriptions of an earlier connection are recognised. */
    private long connection;
    private final Map<ThingId, ThingLane> lanes = new HashMap<>();
    /** Sent and not yet answered, in the order sent. */
    private final Map<String, PendingRequest> inFlight = new LinkedHashMap<>();
    private final ReportBuffer reports;
    private final DeltaGate deltaGate = new DeltaGate();
    /** The own shadow as last seen (get answers, documents), for predicting the state size; null until seen. */
    private @Nullable ShadowDocument known;

    ShadowSession(@NotNull Settings settings, @NotNull MqttTransport transport,
                  @NotNull ScheduledExecutorService scheduler, @NotNull LongSupplier nanoClock) {
        this.settings = settings;
        this.transport = transport;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.ownValidator = new RequestValidator(settings.model(), settings.limits());
        this.reports = new ReportBuffer(settings.offlineBufferBytes());
        lanes.put(settings.thing(), newLane(settings.thing()));
    }

    @NotNull ThingId thing() {
        return settings.thing();
    }

    @NotNull ShadowLimits limits() {
        return settings.limits();
    }

    // ---------------------------------------------------------------------------------------------- requests

    @NotNull CompletableFuture<Void> connect() {
        boolean start;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            start = !started;
            started = true;
        }
        if (start) {
            transport.start(this);
        }
        return firstConnect.copy();
    }

    @NotNull CompletableFuture<UpdateAccepted> report(@NotNull ObjectNode patch) {
        CompletableFuture<UpdateAccepted> result = new CompletableFuture<>();
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            Outcome<UpdateRequest> checked = ownValidator.check(Section.REPORTED, patch, tokens.next(), known,
                    reports.patches());
            if (checked instanceof Outcome.Rejected<UpdateRequest> rejected) {
                return CompletableFuture.failedFuture(new ShadowRejectedException(rejected.rejection(), true));
            }
            ObjectNode parsed = checked.orElseThrow().patch(Section.REPORTED).orElseThrow();
            if (!reports.add(parsed, result)) {
                return CompletableFuture.failedFuture(
                        new ShadowBufferFullException(reports.sizeBytes(), reports.capacityBytes()));
            }
            flush(ownLane(), effects);
        }
        effects.run();
        return result;
    }

    /** An update of {@code section} of {@code thing}, sent as it is (not coalesced), paced. */
    @NotNull CompletableFuture<UpdateAccepted> update(@NotNull ThingId thing, @NotNull RequestValidator validator,
                                                      @NotNull Section section, @NotNull ObjectNode patch) {
        String token = tokens.next();
        Effects effects = new Effects();
        PendingRequest request;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            boolean own = thing.equals(settings.thing());
            Outcome<UpdateRequest> checked = validator.check(section, patch, token, own ? known : null, List.of());
            if (checked instanceof Outcome.Rejected<UpdateRequest> rejected) {
                return CompletableFuture.failedFuture(new ShadowRejectedException(rejected.rejection(), true));
            }
            ObjectNode parsed = checked.orElseThrow().patch(section).orElseThrow();
            request = new PendingRequest(thing, Operation.UPDATE, token,
                    RequestValidator.payload(section, parsed, token), false);
            ThingLane lane = lane(thing);
            lane.updates.addLast(request);
            flush(lane, effects);
        }
        effects.run();
        return request.answer.thenApply(ShadowSession::updateAccepted);
    }

    @NotNull CompletableFuture<ShadowDocument> get(@NotNull ThingId thing) {
        return read(thing, Operation.GET, false).thenApply(answer -> {
            ShadowDocument document = ShadowDocument.fromStoredJson(answer);
            if (thing.equals(settings.thing())) {
                synchronized (lock) {
                    remember(document);
                }
            }
            return document;
        });
    }

    @NotNull CompletableFuture<DeleteAccepted> delete() {
        return read(settings.thing(), Operation.DELETE, false).thenApply(answer -> {
            DeleteAccepted deleted = new DeleteAccepted(answer.path("version").asLong(),
                    answer.path("timestamp").asLong());
            synchronized (lock) {
                if (known == null || deleted.version() >= known.version()) {
                    known = ShadowDocument.empty(deleted.version());
                }
            }
            return deleted;
        });
    }

    private CompletableFuture<JsonNode> read(ThingId thing, Operation operation, boolean internal) {
        String token = tokens.next();
        ObjectNode payload = SafeJson.object().put("clientToken", token);
        PendingRequest request = new PendingRequest(thing, operation, token, SafeJson.write(payload), internal);
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            ThingLane lane = lane(thing);
            lane.reads.addLast(request);
            flush(lane, effects);
        }
        effects.run();
        return request.answer;
    }

    void addDeltaListener(@NotNull DeltaListener listener) {
        deltaListeners.add(listener);
    }

    void addDocumentsListener(@NotNull DocumentsListener listener) {
        documentsListeners.add(listener);
    }

    void addConnectionListener(@NotNull ConnectionListener listener) {
        connectionListeners.add(listener);
    }

    boolean isConnected() {
        synchronized (lock) {
            return connected && ownLane().subscribed;
        }
    }

    @NotNull CompletableFuture<Void> close() {
        List<CompletableFuture<?>> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            connected = false;
            for (PendingRequest request : inFlight.values()) {
                request.cancelTimeout();
                abandoned.add(request.answer);
            }
            inFlight.clear();
            for (ThingLane lane : lanes.values()) {
                lane.updates.forEach(request -> abandoned.add(request.answer));
                lane.reads.forEach(request -> abandoned.add(request.answer));
                lane.updates.clear();
                lane.reads.clear();
            }
            abandoned.addAll(reports.clear());
        }
        abandoned.forEach(future -> future.completeExceptionally(new ShadowClosedException()));
        firstConnect.completeExceptionally(new ShadowClosedException());
        return transport.stop().handle((done, error) -> null);
    }

    // ---------------------------------------------------------------------------------------------- connection

    @Override
    public void connected() {
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed) {
                return;
            }
            connected = true;
            connection++;
            // The own thing first: its answers and deltas must be subscribed before anything is asked.
            subscribe(ownLane(), effects);
            for (ThingLane lane : lanes.values()) {
                if (!lane.own) {
                    subscribe(lane, effects);
                }
            }
        }
        effects.run();
    }

    @Override
    public void disconnected(@NotNull Throwable cause) {
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (connected) {
                connected = false;
                for (ThingLane lane : lanes.values()) {
                    lane.subscribed = false;
                    lane.subscribing = false;
                }
                requeueInFlight();
                log.log(System.Logger.Level.INFO, "thing {0}: connection lost ({1}); reports wait in the buffer",
                        settings.thing(), describe(cause));
            }
        }
        connectionListeners.forEach(listener -> effects.add(() -> listener.onDisconnected(cause)));
        effects.run();
    }

    @Override
    public void refused(@NotNull ShadowConnectException refusal) {
        log.log(System.Logger.Level.WARNING, "thing {0}: {1}", settings.thing(), refusal.getMessage());
        firstConnect.completeExceptionally(refusal);
        close();
    }

    /**
     * Requests that were sent but not answered go out again, first and in their order, once the connection is back,
     * with the same client token: if the broker applied one before the connection broke, the store answers the repeat
     * with the first result instead of applying it twice. The SDK's own get is dropped; the next connect sends one.
     */
    private void requeueInFlight() {
        List<PendingRequest> interrupted = new ArrayList<>(inFlight.values());
        inFlight.clear();
        for (int i = interrupted.size() - 1; i >= 0; i--) {
            PendingRequest request = interrupted.get(i);
            request.cancelTimeout();
            if (request.internal) {
                continue;
            }
            ThingLane lane = lanes.get(request.thing);
            (request.operation == Operation.UPDATE ? lane.updates : lane.reads).addFirst(request);
        }
    }

    private void subscribe(ThingLane lane, Effects effects) {
        if (!connected || lane.subscribed || lane.subscribing) {
            return;
        }
        lane.subscribing = true;
        long onConnection = connection;
        effects.add(() -> transport.subscribe(lane.filters)
                .whenComplete((done, error) -> subscribed(lane, onConnection, error)));
    }

    private void subscribed(ThingLane lane, long onConnection, @Nullable Throwable failure) {
        Throwable error = failure == null ? null : unwrap(failure);
        Effects effects = new Effects();
        List<PendingRequest> refused = new ArrayList<>();
        synchronized (lock) {
            if (closed || onConnection != connection || !connected) {
                return;
            }
            lane.subscribing = false;
            if (error != null) {
                if (error instanceof ShadowRejectedException) {
                    // Not this thing's household: every request to it would be refused too.
                    refused.addAll(lane.updates);
                    refused.addAll(lane.reads);
                    lane.updates.clear();
                    lane.reads.clear();
                    refused.forEach(request -> effects.add(() -> request.answer.completeExceptionally(error)));
                    if (lane.own) {
                        effects.add(() -> firstConnect.completeExceptionally(new ShadowConnectException(
                                "thing " + lane.thing + " may not subscribe to its own shadow topics: "
                                        + error.getMessage())));
                    }
                } else {
                    // Usually the connection went away (the next connect subscribes again); if it is still up, the
                    // broker could not take the subscription right now: try again shortly.
                    effects.add(() -> scheduler.schedule(() -> {
                        Effects retry = new Effects();
                        synchronized (lock) {
                            if (!closed && onConnection == connection && connected) {
                                subscribe(lane, retry);
                            }
                        }
                        retry.run();
                    }, SYNC_RETRY.toMillis(), TimeUnit.MILLISECONDS));
                }
            } else {
                lane.subscribed = true;
                if (lane.own) {
                    synchronize(effects);
                    connectionListeners.forEach(listener -> effects.add(listener::onConnected));
                    effects.add(() -> firstConnect.complete(null));
                }
                flush(lane, effects);
            }
        }
        effects.run();
    }

    /**
     * After every (re)connect: read the shadow, and hand the device the delta it missed while offline. The broker also
     * pushes a pending delta on subscribe; the {@link DeltaGate} lets only one of the two through.
     */
    private void synchronize(Effects effects) {
        String token = tokens.next();
        PendingRequest get = new PendingRequest(settings.thing(), Operation.GET, token,
                SafeJson.write(SafeJson.object().put("clientToken", token)), true);
        long onConnection = connection;
        get.answer.whenComplete((answer, error) -> synchronizeAnswered(answer, error, onConnection));
        send(get, effects);
    }

    private void synchronizeAnswered(@Nullable JsonNode answer, @Nullable Throwable error, long onConnection) {
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed || onConnection != connection || !connected) {
                return;
            }
            if (error instanceof ShadowRejectedException rejected && rejected.code() == Rejection.NO_SHADOW) {
                return;
            }
            if (error != null) {
                log.log(System.Logger.Level.INFO, "thing {0}: could not read the shadow after connecting ({1}); "
                        + "trying again", settings.thing(), describe(error));
                effects.add(() -> scheduler.schedule(() -> {
                    Effects retry = new Effects();
                    synchronized (lock) {
                        if (!closed && onConnection == connection && connected) {
                            synchronize(retry);
                        }
                    }
                    retry.run();
                }, SYNC_RETRY.toMillis(), TimeUnit.MILLISECONDS));
            } else {
                ShadowDocument document = ShadowDocument.fromStoredJson(answer);
                remember(document);
                ObjectNode delta = document.delta();
                if (delta.isEmpty()) {
                    deltaGate.seen(document.version());
                } else if (deltaGate.admit(document.version())) {
                    ShadowDelta missed = new ShadowDelta(delta, document.deltaMetadata(), document.version(),
                            answer.path("timestamp").asLong());
                    deltaListeners.forEach(listener -> effects.add(() -> listener.onDelta(missed)));
                }
            }
        }
        effects.run();
    }

    // ---------------------------------------------------------------------------------------------- sending

    /**
     * Sends what may go out for this thing now: reads at once, updates as fast as its pacer allows. A report batch is
     * taken from the buffer only when it can be sent, so that reports keep coalescing while they wait.
     */
    private void flush(ThingLane lane, Effects effects) {
        if (closed) {
            return;
        }
        if (!connected || !lane.subscribed) {
            subscribe(lane, effects);
            return;
        }
        while (!lane.reads.isEmpty()) {
            send(lane.reads.pollFirst(), effects);
        }
        while (!lane.updates.isEmpty() || (lane.own && !reports.isEmpty())) {
            if (!lane.pacer.tryAcquire()) {
                scheduleFlush(lane, lane.pacer.nanosUntilNextPermit());
                return;
            }
            send(lane.updates.isEmpty() ? reportRequest() : lane.updates.pollFirst(), effects);
        }
    }

    private PendingRequest reportRequest() {
        ReportBuffer.Batch batch = reports.poll().orElseThrow();
        String token = tokens.next();
        PendingRequest request = new PendingRequest(settings.thing(), Operation.UPDATE, token,
                RequestValidator.payload(Section.REPORTED, batch.patch(), token), false);
        request.answer.whenComplete((answer, error) -> {
            if (error != null) {
                batch.waiters().forEach(waiter -> waiter.completeExceptionally(error));
            } else {
                UpdateAccepted accepted = updateAccepted(answer);
                batch.waiters().forEach(waiter -> waiter.complete(accepted));
            }
        });
        return request;
    }

    private void scheduleFlush(ThingLane lane, long delayNanos) {
        if (lane.flushScheduled) {
            return;
        }
        lane.flushScheduled = true;
        scheduler.schedule(() -> {
            Effects effects = new Effects();
            synchronized (lock) {
                lane.flushScheduled = false;
                flush(lane, effects);
            }
            effects.run();
        }, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void send(PendingRequest request, Effects effects) {
        int attempt = ++request.attempt;
        if (attempt == 1) {
            request.firstSentNanos = nanoClock.getAsLong();
        }
        inFlight.put(request.clientToken, request);
        request.timeout = scheduler.schedule(() -> timedOut(request, attempt),
                settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String topic = ShadowTopics.request(request.thing, request.operation);
        effects.add(() -> transport.publish(topic, request.payload).whenComplete((done, error) -> {
            if (error != null && unwrap(error) instanceof ShadowRejectedException refused) {
                // The broker refused the publish itself (not in the household): no answer will come.
                finish(request, attempt, refused);
            }
        }));
    }

    private void timedOut(PendingRequest request, int attempt) {
        finish(request, attempt, new ShadowTimeoutException(request.describe(), settings.requestTimeout()));
    }

    private void finish(PendingRequest request, int attempt, ShadowException failure) {
        synchronized (lock) {
            if (inFlight.get(request.clientToken) != request || request.attempt != attempt) {
                return;
            }
            inFlight.remove(request.clientToken);
            request.cancelTimeout();
        }
        request.answer.completeExceptionally(failure);
    }

    // ---------------------------------------------------------------------------------------------- receiving

    @Override
    public void message(@NotNull String topic, byte @NotNull [] payload) {
        Optional<ShadowTopics.Response> response = ShadowTopics.parse(topic);
        if (response.isEmpty()) {
            return;
        }
        JsonNode json;
        try {
            json = SafeJson.read(payload);
        } catch (MalformedJsonException e) {
            log.log(System.Logger.Level.WARNING, "thing {0}: ignored a message on {1} that is not JSON: {2}",
                    settings.thing(), topic, e.getMessage());
            return;
        }
        try {
            switch (response.get().kind()) {
                case ACCEPTED, REJECTED -> answered(response.get(), json);
                case DELTA -> delta(response.get().thing(), json);
                case DOCUMENTS -> documents(response.get().thing(), json);
            }
        } catch (RuntimeException e) {
            // A payload that does not fit the protocol (e.g. a missing version): not worth the connection.
            log.log(System.Logger.Level.WARNING, "thing " + settings.thing() + ": ignored a message on " + topic, e);
        }
    }

    private void answered(ShadowTopics.Response response, JsonNode json) {
        String token = json.path("clientToken").textValue();
        if (token == null) {
            return;
        }
        Effects effects = new Effects();
        PendingRequest request;
        synchronized (lock) {
            request = inFlight.get(token);
            if (request == null || !request.thing.equals(response.thing())
                    || request.operation != response.operation()) {
                return; // someone else's answer, or a repeat of one already taken
            }
            inFlight.remove(token);
            request.cancelTimeout();
            if (response.kind() == ShadowTopics.Kind.REJECTED) {
                Rejection rejection = rejection(json);
                if (rejection.code() == Rejection.RATE_LIMITED && request.operation == Operation.UPDATE
                        && nanoClock.getAsLong() - request.firstSentNanos < settings.requestTimeout().toNanos()) {
                    // Others write this thing too and used up its rate: wait, then send it again, first in line.
                    ThingLane lane = lanes.get(request.thing);
                    lane.pacer.pause(RATE_LIMITED_PAUSE);
                    lane.updates.addFirst(request);
                    scheduleFlush(lane, lane.pacer.nanosUntilNextPermit());
                    return;
                }
                effects.add(() -> request.answer.completeExceptionally(new ShadowRejectedException(rejection, false)));
            } else {
                effects.add(() -> request.answer.complete(json));
            }
        }
        effects.run();
    }

    private void delta(ThingId thing, JsonNode json) {
        if (!thing.equals(settings.thing())) {
            return;
        }
        ShadowDelta delta = new ShadowDelta(object(json, "state"), object(json, "metadata"),
                requiredLong(json, "version"), json.path("timestamp").asLong());
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed || !deltaGate.admit(delta.version())) {
                return;
            }
        }
        deltaListeners.forEach(listener -> effects.add(() -> listener.onDelta(delta)));
        effects.run();
    }

    private void documents(ThingId thing, JsonNode json) {
        if (!thing.equals(settings.thing())) {
            return;
        }
        DocumentsPayload documents = DocumentsPayload.read(json);
        synchronized (lock) {
            remember(documents.current());
        }
        Effects effects = new Effects();
        documentsListeners.forEach(listener -> effects.add(() -> listener.onDocuments(documents)));
        effects.run();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private ThingLane ownLane() {
        return lanes.get(settings.thing());
    }

    private ThingLane lane(ThingId thing) {
        return lanes.computeIfAbsent(thing, this::newLane);
    }

    private ThingLane newLane(ThingId thing) {
        return new ThingLane(thing, thing.equals(settings.thing()),
                new UpdatePacer(settings.updatesPerSecond(), nanoClock));
    }

    private void remember(ShadowDocument document) {
        if (known == null || document.version() >= known.version()) {
            known = document;
        }
    }

    static @NotNull UpdateAccepted updateAccepted(@NotNull JsonNode answer) {
        return new UpdateAccepted(object(answer, "state"), object(answer, "metadata"),
                requiredLong(answer, "version"), answer.path("timestamp").asLong());
    }

    private static Rejection rejection(JsonNode json) {
        int code = json.path("code").asInt();
        String message = json.path("message").asText("");
        if (code < 400 || code > 599 || message.isBlank()) {
            return Rejection.internal("rejected without a valid code and message: " + SafeJson.writeString(json));
        }
        return new Rejection(code, message);
    }

    private static ObjectNode object(JsonNode json, String key) {
        JsonNode value = json.get(key);
        return value instanceof ObjectNode object ? object : SafeJson.object();
    }

    private static long requiredLong(JsonNode json, String key) {
        JsonNode value = json.get(key);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException(key + " missing");
        }
        return value.longValue();
    }

    /** The cause a dependent future's failure carries. */
    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String describe(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }

    /** Work collected under the lock, run after it is released. */
    private static final class Effects {
        private final List<Runnable> actions = new ArrayList<>();

        void add(Runnable action) {
            actions.add(action);
        }

        void run() {
            for (Runnable action : actions) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, "a shadow client callback failed", e);
                }
            }
            actions.clear();
        }
    }
}
