package io.shadowmq.service.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.http.PageLimit;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandPage;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.command.Invocation;
import io.shadowmq.store.grant.AuditEntry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Actions and commands over REST (docs/rest.md, "Actions and commands"): invoke an action of a thing (202, the
 * queued command and its {@code Location}), list a thing's commands newest first, read one, cancel one that is still
 * queued. The command store checks everything about the command itself (the action, its input, the time-to-live,
 * the idempotency key, the limit of pending commands, whether a critical action may be invoked); these routes parse
 * the request, apply the household rules (a key bound to a thing invokes on another thing only what its thing may,
 * {@link HouseholdAccess}), and say who invoked.
 *
 * <pre>{@code
 * new CommandRoutes(store.commands(), access, household).register(router);
 * }</pre>
 */
public final class CommandRoutes {

    private static final Logger log = LoggerFactory.getLogger(CommandRoutes.class);

    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;

    private final CommandStore commands;
    private final ThingAccess access;
    private final HouseholdAccess household;

    public CommandRoutes(
            @NotNull CommandStore commands, @NotNull ThingAccess access, @NotNull HouseholdAccess household) {
        this.commands = commands;
        this.access = access;
        this.household = household;
    }

    public void register(@NotNull ApiRouter router) {
        router.post(ApiPaths.THING_ACTION, ApiScope.THINGS_WRITE, Accepts.JSON, this::invoke);
        router.get(
                ApiPaths.THING_COMMANDS, ApiScope.THINGS_READ, Accepts.query("status", "limit", "cursor"), this::list);
        router.get(ApiPaths.THING_COMMAND, ApiScope.THINGS_READ, this::get);
        router.delete(ApiPaths.THING_COMMAND, ApiScope.THINGS_WRITE, this::cancel);
    }

    private CompletionStage<Reply> invoke(Context ctx, Caller caller) {
        // The body is read here, on the request's thread, before anything asynchronous starts.
        Outcome<ThingId> thing = ThingAccess.parseId(ctx.pathParam("id"));
        String action = ctx.pathParam("action");
        Outcome<ObjectNode> body = JsonBodies.readObject(ctx, ActionRequest.FIELDS);
        return Replies.then(
                thing,
                id -> Replies.then(
                        body,
                        json -> Replies.then(
                                ActionRequest.parse(json),
                                request -> Replies.then(
                                        access.check(caller, id),
                                        visible -> Replies.then(
                                                household.of(caller, id),
                                                rights -> invoke(id, action, request, rights, caller))))));
    }

    private CompletionStage<Reply> invoke(
            ThingId id, String action, ActionRequest request, Access rights, Caller caller) {
        if (!rights.mayInvoke(action)) {
            return household.refuse(
                    caller, id, AuditEntry.INVOKE, action, HouseholdAccess.mayNotInvoke(caller, action, id));
        }
        return commands.invoke(id, invocation(action, request, caller)).thenApply(outcome -> {
            Reply reply = Replies.map(outcome, command -> {
                log.info(
                        "thing {}: action {} invoked as command {} ({}) by key {}",
                        id,
                        command.action(),
                        command.commandId(),
                        command.status().wireName(),
                        caller.id());
                return Reply.json(202, command.toJson()).withHeader("Location", location(command));
            });
            household.audit(caller, id, AuditEntry.INVOKE, List.of(action), reply.status());
            return reply;
        });
    }

    private CompletionStage<Reply> list(Context ctx, Caller caller) {
        Outcome<Optional<CommandStatus>> status = status(ctx.queryParam("status"));
        Outcome<Integer> limit = PageLimit.parse(ctx.queryParam("limit"), DEFAULT_PAGE, MAX_PAGE);
        String cursor = ctx.queryParam("cursor");
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        limit,
                        max -> Replies.then(
                                status,
                                // Looked up even for a caller that sees every household: the listing of a
                                // thing that does not exist would be an empty page, not a 404.
                                wanted -> Replies.then(
                                        access.find(caller, id),
                                        visible -> commands.list(
                                                        id,
                                                        wanted.orElse(null),
                                                        max,
                                                        cursor == null || cursor.isBlank() ? null : cursor)
                                                .thenApply(page -> Replies.map(page, ok -> Reply.ok(json(ok))))))));
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        return onCommand(ctx, caller, commands::get);
    }

    private CompletionStage<Reply> cancel(Context ctx, Caller caller) {
        // A key bound to a thing acts as that thing, and no thing cancels another thing's commands (over MQTT no
        // thing cancels at all): only the household's owner-level callers may.
        Outcome<ThingId> path = ThingAccess.parseId(ctx.pathParam("id"));
        if (path instanceof Outcome.Ok<ThingId> target && HouseholdAccess.acrossThings(caller, target.value())) {
            ThingId id = target.value();
            return household.refuse(
                    caller,
                    id,
                    AuditEntry.INVOKE,
                    "cancel",
                    Rejection.notAllowed("cancel: " + caller.thing() + " may not cancel commands of " + id
                            + " (only the household's owner-level callers may)"));
        }
        return onCommand(
                ctx,
                caller,
                (id, commandId) -> commands.cancel(id, commandId).thenApply(outcome -> {
                    if (outcome instanceof Outcome.Ok<Command> cancelled) {
                        log.info(
                                "thing {}: command {} ({}) cancelled by key {}",
                                id,
                                commandId,
                                cancelled.value().action(),
                                caller.id());
                    }
                    return outcome;
                }));
    }

    /** The path's command, after the path's thing passed the household rules, answered as it is then. */
    private CompletionStage<Reply> onCommand(
            Context ctx, Caller caller, BiFunction<ThingId, String, CompletionStage<Outcome<Command>>> call) {
        String commandId = ctx.pathParam("commandId");
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        access.check(caller, id),
                        visible -> call.apply(id, commandId)
                                .thenApply(outcome -> Replies.map(outcome, command -> Reply.ok(command.toJson())))));
    }

    /**
     * What the store is asked to queue. The idempotency key is scoped to the caller, as a PATCH's clientToken is:
     * two keys (or a key and a thing over MQTT) using the same key never meet.
     */
    private static Invocation invocation(String action, ActionRequest request, Caller caller) {
        String key = request.idempotencyKey();
        return new Invocation(
                action,
                request.input(),
                request.ttl(),
                key == null ? null : caller.requester().value() + ":" + key,
                invokedBy(caller),
                caller.allows(ApiScope.ACTIONS_CRITICAL));
    }

    /** Who invoked, as the command shows it: the API key's name, or {@code admin} for the admin token. */
    static @NotNull String invokedBy(@NotNull Caller caller) {
        return caller.requester().name();
    }

    static @NotNull String location(@NotNull Command command) {
        return ApiPaths.THINGS + "/" + command.thingId().value() + "/commands/" + command.commandId();
    }

    private static ObjectNode json(CommandPage page) {
        ObjectNode json = SafeJson.object();
        ArrayNode items = json.putArray("commands");
        page.commands().forEach(command -> items.add(command.toJson()));
        if (page.nextCursor() != null) {
            json.put("nextCursor", page.nextCursor());
        }
        return json;
    }

    /** The status to list, empty for all; 400 naming the known ones for another. */
    private static Outcome<Optional<CommandStatus>> status(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return Outcome.ok(Optional.empty());
        }
        return CommandStatus.fromWireName(raw.strip())
                .map(known -> Outcome.ok(Optional.of(known)))
                .orElseGet(() -> Outcome.rejected(Rejection.malformed("status: unknown status '"
                        + ThingId.printable(raw) + "', known: "
                        + Arrays.stream(CommandStatus.values())
                                .map(CommandStatus::wireName)
                                .collect(Collectors.joining(", ")))));
    }
}
