package io.shadowmq.extension.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.extension.auth.MemberAccess;
import io.shadowmq.extension.shadow.ResponseSink;
import io.shadowmq.extension.shadow.ShadowMetrics;
import io.shadowmq.extension.shadow.UpdateRateLimiter;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.command.Invocation;
import io.shadowmq.store.command.StatusReport;
import io.shadowmq.store.grant.AuditEntry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Turns one command request into a store call and its answer, sent to the requester alone:
 * <ul>
 *   <li>{@code things/T/actions/{action}} from T or a household member: {@link CommandStore#invoke}, answered on
 *   {@code .../accepted} {@code {"commandId","status","clientToken"?,"timestamp"}} or {@code .../rejected}
 *   {@code {"code","message","clientToken"?,"timestamp"}}. The invoker's {@code clientToken} is the idempotency key,
 *   scoped to the invoker ({@code invoker:clientToken}): the same token and input again give the first command
 *   again. A thing never holds the permission for critical actions: those are refused with 403 by the store.</li>
 *   <li>{@code things/T/commands/{commandId}/status} from T: {@link CommandStore#report}; nothing is answered on
 *   success (the new state reaches everyone on {@code .../state} through the change feed), a refusal on
 *   {@code .../status/rejected}.</li>
 * </ul>
 * Who may publish where was decided by the policy before this runs. Like the shadow handler it completes once the
 * answer is handed to the broker, never exceptionally, and answers whatever fails unexpectedly with 500.
 */
public final class CommandRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandRequestHandler.class);

    private final CommandStore commands;
    private final MemberAccess members;
    private final ResponseSink responses;
    private final UpdateRateLimiter rateLimiter;
    private final ShadowMetrics metrics;
    private final Clock clock;

    /** @param rateLimiter counts the command requests of each requesting client */
    public CommandRequestHandler(
            @NotNull CommandStore commands,
            @NotNull MemberAccess members,
            @NotNull ResponseSink responses,
            @NotNull UpdateRateLimiter rateLimiter,
            @NotNull ShadowMetrics metrics,
            @NotNull Clock clock) {
        this.commands = commands;
        this.members = members;
        this.responses = responses;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.clock = clock;
    }

    public @NotNull CompletionStage<Void> handle(
            @NotNull ThingId requester, @NotNull CommandTopic topic, byte @NotNull [] payload) {
        CompletionStage<Void> answered;
        try {
            if (topic instanceof CommandTopic.Invoke invoke) {
                answered = parsed(
                        requester,
                        topic,
                        payload,
                        CommandRequests.parseInvoke(payload),
                        request -> invoke(requester, invoke, request));
            } else {
                CommandTopic.Status status = (CommandTopic.Status) topic;
                answered = parsed(
                        requester,
                        topic,
                        payload,
                        CommandRequests.parseStatus(payload),
                        request -> report(requester, status, request));
            }
        } catch (RuntimeException bug) {
            answered = CompletableFuture.failedFuture(bug);
        }
        return answered.exceptionallyCompose(failure -> {
            Throwable bug =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String token = ShadowRequests.salvageClientToken(payload).orElse(null);
            log.error(
                    "thing {}: {} by {} failed unexpectedly, answered 500 (clientToken {})",
                    topic.thing(),
                    topic.topic(),
                    requester,
                    token,
                    bug);
            return answer(requester, topic, Rejection.internal("internal error"), token);
        });
    }

    /**
     * A malformed request is answered 400/413, one over the requester's rate 429; a well-formed one within it goes on
     * to {@code then}.
     */
    private <T> CompletionStage<Void> parsed(
            ThingId requester,
            CommandTopic topic,
            byte[] payload,
            Outcome<T> parsed,
            Function<T, CompletionStage<Void>> then) {
        Rejection refused;
        if (parsed instanceof Outcome.Rejected<T> invalid) {
            refused = invalid.rejection();
        } else if (!rateLimiter.tryAcquire(requester)) {
            refused = Rejection.rateLimited("rate limit: " + rateLimiter.describe());
        } else {
            return then.apply(((Outcome.Ok<T>) parsed).value());
        }
        return reject(
                requester,
                topic,
                refused,
                ShadowRequests.salvageClientToken(payload).orElse(null));
    }

    /**
     * A household member invokes only what its access allows ({@code mayInvoke}, never a critical action): else 403
     * naming the action (an action the model does not have is 404 from the store, as for the thing itself); the
     * thing itself goes straight on (the store refuses critical actions to any thing).
     */
    private CompletionStage<Void> invoke(ThingId requester, CommandTopic.Invoke topic, CommandRequests.Invoke request) {
        if (requester.equals(topic.thing())) {
            return queue(requester, topic, request).thenApply(code -> null);
        }
        List<String> action = List.of(topic.action());
        return members.decide(requester, topic.thing())
                .handle((decision, failure) -> {
                    if (failure != null) {
                        return MemberAccess.unavailable(requester, topic.thing());
                    }
                    // An action the model does not have is the store's 404, not a matter of access.
                    boolean known = decision.model()
                            .flatMap(model -> model.action(topic.action()))
                            .isPresent();
                    return !known || decision.access().mayInvoke(topic.action())
                            ? null
                            : Access.refuseInvoke(
                                    requester.value(),
                                    topic.action(),
                                    topic.thing().value());
                })
                .thenCompose(refusal -> refusal != null
                        ? reject(requester, topic, refusal, request.clientToken())
                                .thenApply(sent -> refusal.code())
                        : queue(requester, topic, request))
                .thenApply(code -> {
                    members.record(requester, topic.thing(), AuditEntry.INVOKE, action, code);
                    return null;
                });
    }

    /** Queues an allowed invocation and answers it; completes with the answer's code. */
    private CompletionStage<Integer> queue(
            ThingId requester, CommandTopic.Invoke topic, CommandRequests.Invoke request) {
        String token = request.clientToken();
        Invocation invocation = new Invocation(
                topic.action(),
                request.input(),
                request.ttl(),
                // Scoped like a REST caller's key (thing:T, key:id, admin), so a thing named "admin" meets nobody
                // else's.
                token == null ? null : Requester.thing(requester).value() + ":" + token,
                requester.value(),
                false);
        return commands.invoke(topic.thing(), invocation).thenCompose(outcome -> {
            if (outcome instanceof Outcome.Ok<Command> invoked) {
                Command command = invoked.value();
                log.debug(
                        "thing {}: {} invoked by {} as command {}",
                        topic.thing(),
                        topic.action(),
                        requester,
                        command.commandId());
                ObjectNode accepted = SafeJson.object();
                accepted.put("commandId", command.commandId());
                accepted.put("status", command.status().wireName());
                if (token != null) {
                    accepted.put(CommandRequests.CLIENT_TOKEN, token);
                }
                accepted.put("timestamp", clock.millis());
                return send(requester, topic.accepted(), accepted).thenApply(sent -> 200);
            }
            Rejection rejection = ((Outcome.Rejected<Command>) outcome).rejection();
            return reject(requester, topic, rejection, token).thenApply(sent -> rejection.code());
        });
    }

    private CompletionStage<Void> report(ThingId requester, CommandTopic.Status topic, CommandRequests.Status request) {
        StatusReport report =
                new StatusReport(request.status(), request.progress(), request.output(), request.reason());
        return commands.report(topic.thing(), topic.commandId(), report).thenCompose(outcome -> {
            if (outcome instanceof Outcome.Rejected<Command> refused) {
                return reject(requester, topic, refused.rejection(), request.clientToken());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    private CompletionStage<Void> reject(
            ThingId requester, CommandTopic topic, Rejection rejection, @Nullable String clientToken) {
        log.atLevel(rejection.code() >= 500 ? Level.WARN : Level.DEBUG)
                .log(
                        "thing {}: {} by {} rejected {}: {} (clientToken {})",
                        topic.thing(),
                        topic.topic(),
                        requester,
                        rejection.code(),
                        rejection.message(),
                        clientToken);
        return answer(requester, topic, rejection, clientToken);
    }

    private CompletionStage<Void> answer(
            ThingId requester, CommandTopic topic, Rejection rejection, @Nullable String clientToken) {
        metrics.rejected(rejection.code());
        return send(requester, topic.rejected(), ShadowPayloads.rejected(rejection, clientToken, clock.millis()));
    }

    /** To the requester alone: another household member subscribed to the same answer topic does not see it. */
    private CompletionStage<Void> send(ThingId requester, String topic, ObjectNode payload) {
        return responses.answerTo(requester.value(), topic, payload);
    }
}
