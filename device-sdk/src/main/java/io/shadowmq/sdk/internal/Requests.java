package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.ShadowException;
import io.shadowmq.sdk.ShadowRejectedException;
import io.shadowmq.sdk.ShadowTimeoutException;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Request/response correlation: the requests sent and not yet answered, by client token; their timeouts; matching an
 * {@code accepted}/{@code rejected} answer to its request. Guarded by the session's lock.
 *
 * <p>Retry policy, in one place: an update refused with 429 (others used up the thing's rate) goes back to its
 * thing's pacer as long as it is within its request timeout; a request interrupted by a disconnect goes out again
 * after the reconnect with the same client token ({@link #interrupted()}); everything else is answered as it came.
 *
 * <pre>{@code
 * PendingRequest get = requests.read(thing, Operation.GET, false);
 * synchronized (lock) { requests.send(get, effects); }
 * }</pre>
 */
final class Requests {

    /** After a 429 (others write the thing too), updates to it pause this long. */
    static final Duration RATE_LIMITED_PAUSE = Duration.ofSeconds(1);

    private final Object lock;
    private final MqttTransport transport;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final Duration requestTimeout;
    /** Where a rate-limited update within its timeout goes: back to its thing's pacer, first in line. */
    private final Consumer<PendingRequest> rateLimited;

    private final RequestTokens tokens = new RequestTokens();
    /** Sent and not yet answered, in the order sent. */
    private final Map<String, PendingRequest> inFlight = new LinkedHashMap<>();

    Requests(
            @NotNull Object lock,
            @NotNull MqttTransport transport,
            @NotNull ScheduledExecutorService scheduler,
            @NotNull LongSupplier nanoClock,
            @NotNull Duration requestTimeout,
            @NotNull Consumer<PendingRequest> rateLimited) {
        this.lock = lock;
        this.transport = transport;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.requestTimeout = requestTimeout;
        this.rateLimited = rateLimited;
    }

    @NotNull
    String nextToken() {
        return tokens.next();
    }

    /** A get or delete with a fresh client token; {@code internal} for the SDK's own get after a connect. */
    @NotNull
    PendingRequest read(@NotNull ThingId thing, @NotNull Operation operation, boolean internal) {
        String token = tokens.next();
        byte[] payload = SafeJson.write(SafeJson.object().put("clientToken", token));
        return new PendingRequest(thing, operation, ShadowTopics.request(thing, operation), token, payload, internal);
    }

    /**
     * A get that selects {@code paths} of the shadow ({@code {"paths":["range","windows.**"],"clientToken":…}}); none:
     * the whole shadow, as {@link #read}.
     */
    @NotNull
    PendingRequest get(@NotNull ThingId thing, @NotNull List<String> paths) {
        if (paths.isEmpty()) {
            return read(thing, Operation.GET, false);
        }
        String token = tokens.next();
        ObjectNode payload = SafeJson.object();
        paths.forEach(payload.putArray("paths")::add);
        payload.put("clientToken", token);
        return new PendingRequest(
                thing,
                Operation.GET,
                ShadowTopics.request(thing, Operation.GET),
                token,
                SafeJson.write(payload),
                false);
    }

    /** A summary request of {@code thing}'s state in {@code lang} with times of day in {@code zone}. */
    @NotNull
    PendingRequest summary(@NotNull ThingId thing, @NotNull SummaryRequest request) {
        String token = tokens.next();
        ObjectNode payload = SafeJson.object()
                .put(SummaryRequest.LANG, request.lang().tag())
                .put(SummaryRequest.TIMEZONE, request.zone().getId())
                .put("clientToken", token);
        return new PendingRequest(thing, null, ShadowTopics.summary(thing), token, SafeJson.write(payload), false);
    }

    /** Publishes the request (after the lock is released) and starts its timeout. Under the lock. */
    void send(@NotNull PendingRequest request, @NotNull Effects effects) {
        int attempt = ++request.attempt;
        if (attempt == 1) {
            request.firstSentNanos = nanoClock.getAsLong();
        }
        inFlight.put(request.clientToken, request);
        request.timeout = scheduler.schedule(
                () -> finish(request, attempt, new ShadowTimeoutException(request.describe(), requestTimeout)),
                requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        effects.add(() ->
                Async.whenComplete(transport.publish(request.topic, request.payload), "publish", (done, error) -> {
                    if (error != null && ShadowSession.unwrap(error) instanceof ShadowRejectedException refused) {
                        // The broker refused the publish itself (not in the household): no answer will come.
                        finish(request, attempt, refused);
                    }
                    // Any other failure: the request's timeout answers it.
                }));
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

    /** An answer on {@code accepted} or {@code rejected}: completes its request, or retries a 429. Under the lock. */
    void answered(@NotNull ShadowTopics.Response response, @NotNull JsonNode json, @NotNull Effects effects) {
        String token = json.path("clientToken").textValue();
        PendingRequest request = token == null ? null : inFlight.get(token);
        if (request == null || !request.topic.equals(response.subject())) {
            return; // someone else's answer, or a repeat of one already taken
        }
        inFlight.remove(token);
        request.cancelTimeout();
        if (response.kind() == ShadowTopics.Kind.ACCEPTED) {
            effects.add(() -> request.answer.complete(json));
            return;
        }
        Rejection rejection = Rejections.read(json);
        if (rejection.code() == Rejection.RATE_LIMITED
                && request.operation == Operation.UPDATE
                && nanoClock.getAsLong() - request.firstSentNanos < requestTimeout.toNanos()) {
            rateLimited.accept(request);
            return;
        }
        effects.add(() -> request.answer.completeExceptionally(Rejections.exception(rejection, false)));
    }

    /**
     * The connection broke: the requests sent but not answered, in the order sent, to go out again first once it is
     * back, with the same client token - if the broker applied one before the connection broke, the store answers the
     * repeat with the first result instead of applying it twice. The SDK's own get is dropped; the next connect sends
     * one. Under the lock.
     */
    @NotNull
    List<PendingRequest> interrupted() {
        List<PendingRequest> interrupted = new ArrayList<>();
        for (PendingRequest request : inFlight.values()) {
            request.cancelTimeout();
            if (!request.internal) {
                interrupted.add(request);
            }
        }
        inFlight.clear();
        return interrupted;
    }

    /** The client closed: the futures of everything in flight, to fail. Under the lock. */
    @NotNull
    List<CompletableFuture<?>> abandon() {
        List<CompletableFuture<?>> abandoned = new ArrayList<>();
        for (PendingRequest request : inFlight.values()) {
            request.cancelTimeout();
            abandoned.add(request.answer);
        }
        inFlight.clear();
        return abandoned;
    }
}
