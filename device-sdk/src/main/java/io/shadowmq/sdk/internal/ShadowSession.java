package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ActionModel;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.CommandHandler;
import io.shadowmq.sdk.ConnectionListener;
import io.shadowmq.sdk.DeleteAccepted;
import io.shadowmq.sdk.DeltaListener;
import io.shadowmq.sdk.ShadowBufferFullException;
import io.shadowmq.sdk.ShadowClosedException;
import io.shadowmq.sdk.ShadowConnectException;
import io.shadowmq.sdk.UpdateAccepted;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The protocol engine behind the public {@code ShadowClient}, put together from one part per job:
 * <ul>
 *   <li>{@link Connection}: connect, resubscribe and re-read the shadow after every (re)connect, retry what failed;</li>
 *   <li>{@link Requests}: match answers to requests by client token, time them out, retry a 429;</li>
 *   <li>{@link LocalShadow}: the shadow as last seen, and each delta handed over once;</li>
 *   <li>{@link Outbox}: pace updates per thing, coalesce reports while they cannot go out.</li>
 * </ul>
 * This class checks requests before they are sent and routes what arrives to the part it concerns.
 *
 * <p>Threading: one lock, shared by all parts, guards all state. Nothing slow happens under it: publishing,
 * completing futures and calling listeners are collected as {@link Effects} and run after the lock is released, on the
 * thread that caused them (the MQTT client's thread for anything that arrives, the caller's for requests, the
 * session's scheduler for timers).
 *
 * <pre>{@code
 * ShadowSession session = new ShadowSession(settings, transport, scheduler, System::nanoTime);
 * session.connect().join();
 * session.report(patch).join();
 * }</pre>
 */
public final class ShadowSession implements MqttTransport.Events {

    private static final System.Logger log = System.getLogger(ShadowSession.class.getName());

    /**
     * What the session is made of; the public builder fills it in.
     *
     * @param thing              the thing this client is
     * @param model              its model, to check reports before sending; null for size and shape checks only
     * @param limits             the platform's limits
     * @param requestTimeout     how long to wait for the answer to a sent request
     * @param updatesPerSecond   the pace of updates per thing
     * @param offlineBufferBytes the bound of the report buffer
     */
    public record Settings(
            @NotNull ThingId thing,
            @Nullable ThingModel model,
            @NotNull ShadowLimits limits,
            @NotNull Duration requestTimeout,
            double updatesPerSecond,
            int offlineBufferBytes) {}

    private final Settings settings;
    private final MqttTransport transport;
    private final RequestValidator ownValidator;
    private final Object lock = new Object();
    private final LocalShadow shadow = new LocalShadow();
    private final Outbox outbox;
    private final Requests requests;
    private final Connection connection;
    private final Commands commands;
    private final Invocations invocations = new Invocations();

    /** A session that talks through {@code transport}; {@code nanoClock} is monotonic time (pacing, 429 retry). */
    public ShadowSession(
            @NotNull Settings settings,
            @NotNull MqttTransport transport,
            @NotNull ScheduledExecutorService scheduler,
            @NotNull LongSupplier nanoClock) {
        this.settings = settings;
        this.transport = transport;
        this.ownValidator = new RequestValidator(settings.model(), settings.limits());
        this.outbox = new Outbox(
                lock,
                settings.thing(),
                settings.updatesPerSecond(),
                settings.offlineBufferBytes(),
                nanoClock,
                scheduler);
        this.requests =
                new Requests(lock, transport, scheduler, nanoClock, settings.requestTimeout(), outbox::rateLimited);
        outbox.sendThrough(requests);
        this.connection = new Connection(lock, settings.thing(), transport, scheduler, outbox, requests, shadow);
        this.commands = new Commands(
                lock,
                settings.thing(),
                transport,
                (action, output) -> ownValidator.checkOutput(action, output).map(Rejection::message),
                connection::isConnected);
    }

    /** The thing this session is. */
    public @NotNull ThingId thing() {
        return settings.thing();
    }

    /** The own thing's model, or null when the client was built without one. */
    public @Nullable ThingModel model() {
        return settings.model();
    }

    /** The platform's limits the session checks requests against. */
    public @NotNull ShadowLimits limits() {
        return settings.limits();
    }

    /** Connects once; every call gets the outcome of the first connect. */
    public @NotNull CompletableFuture<Void> connect() {
        return connection.start(this);
    }

    /** A report of the own thing: checked, then coalesced in the buffer until it can go out. */
    public @NotNull CompletableFuture<UpdateAccepted> report(@NotNull ObjectNode patch) {
        CompletableFuture<UpdateAccepted> result = new CompletableFuture<>();
        Effects effects = new Effects();
        synchronized (lock) {
            if (connection.isClosed()) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            ReportBuffer reports = outbox.reports();
            Outcome<UpdateRequest> checked = ownValidator.check(
                    Section.REPORTED, patch, requests.nextToken(), shadow.known(), reports.patches());
            if (checked instanceof Outcome.Rejected<UpdateRequest> rejected) {
                return CompletableFuture.failedFuture(Rejections.exception(rejected.rejection(), true));
            }
            ObjectNode parsed = checked.orElseThrow().patch(Section.REPORTED).orElseThrow();
            if (!reports.add(parsed, result)) {
                return CompletableFuture.failedFuture(
                        new ShadowBufferFullException(reports.sizeBytes(), reports.capacityBytes()));
            }
            connection.dispatch(outbox.ownLane(), effects);
        }
        effects.run();
        return result;
    }

    /** An update of {@code section} of {@code thing}, sent as it is (not coalesced), paced. */
    public @NotNull CompletableFuture<UpdateAccepted> update(
            @NotNull ThingId thing,
            @NotNull RequestValidator validator,
            @NotNull Section section,
            @NotNull ObjectNode patch) {
        String token = requests.nextToken();
        Effects effects = new Effects();
        PendingRequest request;
        synchronized (lock) {
            if (connection.isClosed()) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            ShadowDocument known = thing.equals(settings.thing()) ? shadow.known() : null;
            Outcome<UpdateRequest> checked = validator.check(section, patch, token, known, List.of());
            if (checked instanceof Outcome.Rejected<UpdateRequest> rejected) {
                return CompletableFuture.failedFuture(Rejections.exception(rejected.rejection(), true));
            }
            request = Outbox.update(
                    thing, section, checked.orElseThrow().patch(section).orElseThrow(), token);
            ThingLane lane = outbox.lane(thing);
            lane.updates.addLast(request);
            connection.dispatch(lane, effects);
        }
        effects.run();
        return request.answer.thenApply(ShadowSession::updateAccepted);
    }

    /** Reads the shadow of {@code thing}; the own one is remembered for predicting state sizes. */
    public @NotNull CompletableFuture<ShadowDocument> get(@NotNull ThingId thing) {
        return get(thing, List.of());
    }

    /**
     * Reads only {@code paths} of the shadow of {@code thing} (none: all of it); the whole own shadow is remembered for
     * predicting state sizes. The paths are sent as given: the caller has checked them.
     */
    public @NotNull CompletableFuture<ShadowDocument> get(@NotNull ThingId thing, @NotNull List<String> paths) {
        return enqueue(requests.get(thing, paths), parts -> parts.lane(thing), false)
                .thenApply(answer -> {
                    ShadowDocument document = ShadowDocument.fromStoredJson(answer);
                    if (paths.isEmpty() && thing.equals(settings.thing())) {
                        synchronized (lock) {
                            shadow.remember(document);
                        }
                    }
                    return document;
                });
    }

    /** Deletes the own shadow. */
    public @NotNull CompletableFuture<DeleteAccepted> delete() {
        return read(settings.thing(), Operation.DELETE).thenApply(answer -> {
            DeleteAccepted deleted = new DeleteAccepted(
                    answer.path("version").asLong(), answer.path("timestamp").asLong());
            synchronized (lock) {
                shadow.deleted(deleted.version());
            }
            return deleted;
        });
    }

    private CompletableFuture<JsonNode> read(ThingId thing, Operation operation) {
        return enqueue(requests.read(thing, operation, false), parts -> parts.lane(thing), false);
    }

    /**
     * Puts {@code request} in line in its lane ({@code updates}: paced, else not), and sends it when it may go: its
     * answer, or a failure when the client is closed.
     */
    private CompletableFuture<JsonNode> enqueue(
            PendingRequest request, Function<Outbox, ThingLane> laneOf, boolean update) {
        Effects effects = new Effects();
        synchronized (lock) {
            if (connection.isClosed()) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            ThingLane lane = laneOf.apply(outbox);
            (update ? lane.updates : lane.reads).addLast(request);
            connection.dispatch(lane, effects);
        }
        effects.run();
        return request.answer;
    }

    /**
     * Asks what a voice assistant would say about {@code thing} (docs/protocol.md, Summaries): the
     * {@code get/accepted} answer, {@code {"thingId","lang","text","facts":[…],…}}.
     */
    public @NotNull CompletableFuture<JsonNode> summary(@NotNull ThingId thing, @NotNull SummaryRequest request) {
        return enqueue(requests.summary(thing, request), parts -> parts.summaryLane(thing), false);
    }

    /**
     * Carries out {@code action} with {@code handler} from now on; the own command topics are subscribed with the
     * first handler (now, or on connecting) and after every reconnect.
     */
    public void onCommand(@NotNull String action, @NotNull CommandHandler handler) {
        commands.register(action, handler);
        Effects effects = new Effects();
        synchronized (lock) {
            if (connection.isClosed()) {
                return;
            }
            connection.dispatch(outbox.commandLane(), effects);
        }
        effects.run();
    }

    /**
     * Invokes {@code action} of {@code thing} with {@code input} (MissingNode: none), checked against the thing's
     * model first when {@code validator} has it; completes once the platform accepted (queued) it.
     *
     * @param ttl the command's time-to-live, or null for the action's default
     */
    public @NotNull CompletableFuture<Invocation> invoke(
            @NotNull ThingId thing,
            @NotNull RequestValidator validator,
            @NotNull String action,
            @NotNull JsonNode input,
            @Nullable Duration ttl) {
        if (ttl != null && !ActionModel.isValidTtl(ttl)) {
            return CompletableFuture.failedFuture(Rejections.exception(
                    Rejection.malformed(
                            "ttlSeconds must be 1.." + ActionModel.MAX_TTL.toSeconds() + ", was " + ttl.toSeconds()),
                    true));
        }
        if (!CommandTopic.isActionName(action)) {
            return CompletableFuture.failedFuture(Rejections.exception(
                    Rejection.malformed("not an action name: " + ThingId.printable(action)), true));
        }
        Optional<Rejection> refused = validator.checkInvocation(action, input);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(Rejections.exception(refused.get(), true));
        }
        String token = requests.nextToken();
        ObjectNode payload = SafeJson.object();
        if (!input.isMissingNode()) {
            payload.set("input", input.deepCopy());
        }
        payload.put("clientToken", token);
        if (ttl != null) {
            payload.put("ttlSeconds", ttl.toSeconds());
        }
        PendingRequest request = new PendingRequest(
                thing, null, ShadowTopics.action(thing, action), token, SafeJson.write(payload), false);
        return enqueue(request, parts -> parts.invokerLane(thing), false).thenApply(answer -> {
            String commandId = answer.path("commandId").asText("");
            if (!CommandTopic.isCommandId(commandId)) {
                throw Rejections.exception(
                        Rejection.internal("accepted without a commandId: " + SafeJson.writeString(answer)), false);
            }
            Effects replay = new Effects();
            Invocation invocation;
            synchronized (lock) {
                invocation = invocations.accepted(thing, action, commandId, replay);
            }
            replay.run();
            return invocation;
        });
    }

    /**
     * Rejects the desired value at the dotted {@code path} with {@code reason}: an update of the own shadow with
     * {@code rejectDesired}. The platform drops the wish (outcome {@code rejected}, with the reason) and so the delta.
     */
    public @NotNull CompletableFuture<UpdateAccepted> rejectDesired(@NotNull String path, @NotNull String reason) {
        Optional<Rejection> refused = ownValidator.checkDesiredPath(path);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(Rejections.exception(refused.get(), true));
        }
        String token = requests.nextToken();
        ObjectNode payload = SafeJson.object();
        payload.putObject("rejectDesired").put(path, reason);
        payload.put("clientToken", token);
        byte[] bytes = SafeJson.write(payload);
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(bytes, settings.limits());
        if (parsed instanceof Outcome.Rejected<UpdateRequest> rejected) {
            return CompletableFuture.failedFuture(Rejections.exception(rejected.rejection(), true));
        }
        return enqueue(Outbox.update(settings.thing(), bytes, token), Outbox::ownLane, true)
                .thenApply(ShadowSession::updateAccepted);
    }

    /** Called with each delta, once per version, newest only. */
    public void addDeltaListener(@NotNull DeltaListener listener) {
        shadow.addDeltaListener(listener);
    }

    /** Called with the documents of every accepted update of the own thing. */
    public void addDocumentsListener(@NotNull Consumer<DocumentsPayload> listener) {
        shadow.addDocumentsListener(listener);
    }

    /** Called when the connection comes and goes. */
    public void addConnectionListener(@NotNull ConnectionListener listener) {
        connection.addListener(listener);
    }

    /** Connected, and the own thing's topics subscribed. */
    public boolean isConnected() {
        synchronized (lock) {
            return connection.isUp();
        }
    }

    /** Fails everything waiting with {@link ShadowClosedException} and disconnects. */
    public @NotNull CompletableFuture<Void> close() {
        List<CompletableFuture<?>> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (connection.isClosed()) {
                return CompletableFuture.completedFuture(null);
            }
            connection.close();
            abandoned.addAll(requests.abandon());
            abandoned.addAll(outbox.abandon());
            invocations.abandon().forEach(invocation -> abandoned.add(invocation.finalStateToFail()));
        }
        abandoned.forEach(future -> future.completeExceptionally(new ShadowClosedException()));
        connection.closed();
        return transport.stop().handle((done, error) -> null);
    }

    // What the transport reports: routed to the part it concerns.

    @Override
    public void connected() {
        connection.connected();
    }

    @Override
    public void disconnected(@NotNull Throwable cause) {
        connection.disconnected(cause);
    }

    @Override
    public void refused(@NotNull ShadowConnectException refusal) {
        connection.refused(refusal);
        Async.logFailure(close(), "closing after a refused connect");
    }

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
            log.log(
                    System.Logger.Level.WARNING,
                    "thing {0}: ignored a message on {1} that is not JSON: {2}",
                    settings.thing(),
                    topic,
                    e.getMessage());
            return;
        }
        Effects effects = new Effects();
        try {
            synchronized (lock) {
                ShadowTopics.Response about = response.get();
                boolean own = about.thing().equals(settings.thing());
                switch (about.kind()) {
                    case ACCEPTED, REJECTED -> requests.answered(about, json, effects);
                    case DELTA -> {
                        if (own && !connection.isClosed()) {
                            shadow.delta(json, effects);
                        }
                    }
                    case DOCUMENTS -> {
                        if (own) {
                            shadow.documents(json, effects);
                        }
                    }
                    case COMMAND -> {
                        if (own && !connection.isClosed()) {
                            commands.received(about.subject(), json, effects);
                        }
                    }
                    case STATUS_REJECTED -> {
                        if (own) {
                            commands.statusRejected(about.subject(), json);
                        }
                    }
                    case COMMAND_STATE -> invocations.state(about.thing(), about.subject(), json, effects);
                }
            }
        } catch (RuntimeException e) {
            // A payload that does not fit the protocol (e.g. a missing version): not worth the connection.
            log.log(System.Logger.Level.WARNING, "thing " + settings.thing() + ": ignored a message on " + topic, e);
        }
        effects.run();
    }

    /** The {@code update/accepted} answer as the public value. */
    static @NotNull UpdateAccepted updateAccepted(@NotNull JsonNode answer) {
        return new UpdateAccepted(
                LocalShadow.object(answer, "state"),
                LocalShadow.object(answer, "metadata"),
                LocalShadow.requiredLong(answer, "version"),
                answer.path("timestamp").asLong());
    }

    /** The cause a dependent future's failure carries. */
    static @NotNull Throwable unwrap(@NotNull Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    static @NotNull String describe(@NotNull Throwable error) {
        return error.getMessage() != null
                ? error.getMessage()
                : error.getClass().getSimpleName();
    }
}
