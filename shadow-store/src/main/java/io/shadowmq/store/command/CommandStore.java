package io.shadowmq.store.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.model.schema.ActionModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.RequestFingerprint;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.due.DueIndex;
import io.shadowmq.store.due.DueMember;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Commands: invocations of the actions of things, queued durably in Redis (FIFO per thing, at-least-once delivery),
 * and what became of them ({@link CommandStatus}). Every transition is one conditional script call, so it happens
 * exactly once whichever node or sweeper tries it, and appends a {@link FeedEventKind#COMMAND} feed entry (the
 * command's {@link Command#toStateJson() state message}) routed to the thing's watchers like a shadow change.
 *
 * <pre>{@code
 * store.commands().invoke(washer, new Invocation("start", input, null, null, "car-1", false))
 *     .thenAccept(outcome -> ...);   // 202 with the queued command, or 404/403/400/422/409/429
 * }</pre>
 *
 * <p>Every call is asynchronous, bounded by the store timeout, and completes normally with a typed outcome; Redis
 * trouble is 503. A command not final by its {@link Command#expiresAt()} is expired by the {@code Sweeper} (or on
 * the way, by any call that finds it).
 */
public final class CommandStore {

    /** How many commands of one thing may be open (not final) at once; one more is 429. */
    public static final int MAX_PENDING = 100;
    /** How long an idempotency key answers its first command. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /** Final commands older than this leave the listing. */
    public static final Duration RETENTION = Duration.ofDays(7);
    /** The most commands a thing's listing keeps (the oldest final ones go first). */
    public static final int MAX_KEPT = 1000;
    /** The largest page {@link #list} gives. */
    public static final int MAX_PAGE = 100;
    /** The longest idempotency key, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;
    /** What an expired command's reason says. */
    static final String EXPIRED_REASON = "not finished within its time-to-live";

    private static final Pattern COMMAND_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final int COMMAND_ID_BYTES = 16; // 22 URL-safe characters
    private static final int MAX_ATTEMPTS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ThingModels models;
    private final FeedWriter feedWriter;
    private final FeedRouter feedRouter;
    private final StoreCall call;
    private final DueIndex due;
    private final Clock clock;
    private final LuaScript invokeScript;
    private final LuaScript transitionScript;
    private final LuaScript readScript;
    private final LuaScript listScript;

    public CommandStore(
            @NotNull RedissonClient redis,
            @NotNull ThingModels models,
            @NotNull FeedWriter feedWriter,
            @NotNull FeedRouter feedRouter,
            @NotNull StoreCall call,
            @NotNull DueIndex due,
            @NotNull Clock clock) {
        this.models = models;
        this.feedWriter = feedWriter;
        this.feedRouter = feedRouter;
        this.call = call;
        this.due = due;
        this.clock = clock;
        this.invokeScript = LuaScript.load(redis, CommandCalls.Invoke.SCRIPT, FeedRouter.SCRIPT_LIBRARY);
        this.transitionScript = LuaScript.load(redis, CommandCalls.Transition.SCRIPT, FeedRouter.SCRIPT_LIBRARY);
        this.readScript = LuaScript.load(redis, CommandCalls.Read.SCRIPT);
        this.listScript = LuaScript.load(redis, CommandCalls.ListPage.SCRIPT);
    }

    /**
     * Queues a command: 404 unknown thing or action; 403 a critical action without permission; 400 a ttl outside
     * 1 s .. 7 days or a malformed idempotency key; 422 an input the action's schema refuses; 409 an idempotency key
     * used for another input (the same input answers the first command again, nothing new queued); 429 more than
     * {@link #MAX_PENDING} open commands.
     */
    public @NotNull CompletionStage<Outcome<Command>> invoke(@NotNull ThingId thing, @NotNull Invocation invocation) {
        if (invocation.ttl() != null && !ActionModel.isValidTtl(invocation.ttl())) {
            return done(Rejection.malformed(
                    "ttlSeconds must be " + ActionModel.MIN_TTL.toSeconds() + ".." + ActionModel.MAX_TTL.toSeconds()));
        }
        String key = invocation.idempotencyKey();
        if (key != null
                && (key.isEmpty()
                        || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                        || key.chars().anyMatch(Character::isISOControl))) {
            return done(Rejection.malformed("idempotency key must be 1.." + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters without control characters"));
        }
        return invoke(thing, invocation, newCommandId(), 1);
    }

    private CompletionStage<Outcome<Command>> invoke(
            ThingId thing, Invocation invocation, String commandId, int attempt) {
        return read(thing, commandId).thenCompose(read -> {
            if (!(read instanceof Outcome.Ok<CommandCalls.Found> ok)) {
                return CompletableFuture.completedFuture(rejected(read));
            }
            CommandCalls.Found found = ok.value();
            Optional<ActionModel> action = models.get(found.type()).flatMap(model -> model.action(invocation.action()));
            if (found.type().isEmpty()) {
                return done(new Rejection(Rejection.NO_SHADOW, "unknown thing " + thing.value()));
            }
            if (action.isEmpty()) {
                return done(new Rejection(
                        Rejection.NO_SHADOW,
                        "thing type " + found.type() + " has no action " + ThingId.printable(invocation.action())));
            }
            if (action.get().critical() && !invocation.mayInvokeCritical()) {
                return done(Rejection.notAllowed("action " + invocation.action()
                        + " is critical: invoking it needs the actions:critical permission"));
            }
            Optional<Rejection> badInput = action.get().checkInput(invocation.input());
            if (badInput.isPresent()) {
                return done(badInput.get());
            }
            long now = clock.millis();
            Duration ttl = invocation.ttl() == null ? action.get().defaultTtl() : invocation.ttl();
            Command command = new Command(
                    commandId,
                    thing,
                    invocation.action(),
                    invocation.input().isNull() ? MissingNode.getInstance() : invocation.input(),
                    CommandStatus.QUEUED,
                    now,
                    now + ttl.toMillis(),
                    invocation.invokedBy(),
                    null,
                    null,
                    null,
                    now);
            FeedChange change = change(command, found.owner());
            String key = invocation.idempotencyKey();
            String fingerprint =
                    key == null ? "" : RequestFingerprint.ofInvocation(thing, invocation.action(), invocation.input());
            CommandCalls.Invoke invoke = new CommandCalls.Invoke(
                    thing,
                    key == null ? "" : key,
                    found.type(),
                    found.owner(),
                    fingerprint,
                    commandId,
                    IDEMPOTENCY_WINDOW.toMillis(),
                    MAX_PENDING,
                    command.action(),
                    StoredCommand.text(command.input()),
                    now,
                    command.expiresAt(),
                    command.invokedBy(),
                    action.get().concurrent(),
                    now - RETENTION.toMillis(),
                    MAX_KEPT,
                    feedWriter.inScript(change));
            // Scheduled first: a schedule whose command never came is settled away by the sweeper, while a command
            // without its schedule would only expire when something reads it.
            return due.schedule(thing, dueMemberOf(thing, commandId), command.expiresAt())
                    .thenCompose(scheduled -> {
                        if (scheduled instanceof Outcome.Rejected<Boolean> no) {
                            return done(no.rejection());
                        }
                        return call.run("command invoke", invokeScript.call(invoke), Outcome::ok)
                                .thenCompose(commit -> invoked(
                                        thing, invocation, commandId, attempt, command, change, fingerprint, commit));
                    });
        });
    }

    private CompletionStage<Outcome<Command>> invoked(
            ThingId thing,
            Invocation invocation,
            String commandId,
            int attempt,
            Command command,
            FeedChange change,
            String fingerprint,
            Outcome<CommandCalls.Commit> commit) {
        if (!(commit instanceof Outcome.Ok<CommandCalls.Commit> ok)) {
            return CompletableFuture.completedFuture(rejected(commit));
        }
        CommandCalls.Commit done = ok.value();
        if (done instanceof CommandCalls.Committed committed) {
            return routed(committed, change, command);
        }
        if (done instanceof CommandCalls.Stale && attempt < MAX_ATTEMPTS) {
            return invoke(thing, invocation, commandId, attempt + 1);
        }
        CompletionStage<Outcome<Command>> answer;
        if (done instanceof CommandCalls.Claimed claimed
                && claimed.stored().length() > RequestFingerprint.LENGTH
                && claimed.stored().startsWith(fingerprint)) {
            answer = replayed(thing, claimed.stored().substring(RequestFingerprint.LENGTH), change.owner());
        } else if (done instanceof CommandCalls.Claimed) {
            answer = done(new Rejection(
                    Rejection.VERSION_CONFLICT,
                    "idempotency key " + ThingId.printable(invocation.idempotencyKey())
                            + " was already used for a different invocation; use a new key for each invocation"));
        } else if (done instanceof CommandCalls.Full full) {
            answer = done(Rejection.rateLimited("thing " + thing.value() + " has " + full.open()
                    + " open commands, the most it may have (" + MAX_PENDING + "); wait for some to finish"));
        } else if (done instanceof CommandCalls.Stale) {
            answer = done(Rejection.storeUnavailable("thing " + thing.value() + " kept changing; retry"));
        } else {
            answer = done(new Rejection(Rejection.NO_SHADOW, "unknown thing " + thing.value()));
        }
        // Nothing was queued: the expiry scheduled for it goes (the sweeper would only find nothing to expire).
        return due.unschedule(thing, dueMemberOf(thing, commandId)).thenCompose(unscheduled -> answer);
    }

    /**
     * The first command of a repeated invocation. On a Redis Cluster its state is announced again: the first
     * invocation's answer may have been lost (a timeout mid-failover) after its commit but before its feed entry.
     */
    private CompletionStage<Outcome<Command>> replayed(ThingId thing, String commandId, Owner owner) {
        return get(thing, commandId).thenCompose(first -> {
            if (feedWriter.appendsInScripts() || !(first instanceof Outcome.Ok<Command> ok)) {
                return CompletableFuture.completedFuture(first);
            }
            return feedRouter.appendRouted(change(ok.value(), owner.value())).thenApply(announced -> first);
        });
    }

    /** The due-index member of the expiry of command {@code commandId}: {@code cmd|thing|commandId}. */
    public static @NotNull String dueMemberOf(@NotNull ThingId thing, @NotNull String commandId) {
        return new DueMember(DueMember.COMMAND, thing, commandId).member();
    }

    /**
     * The command {@code commandId} of {@code thing}; 404 when there is none. A command past its time-to-live that is
     * not final is expired on the way (the sweeper may not have come by yet).
     */
    public @NotNull CompletionStage<Outcome<Command>> get(@NotNull ThingId thing, @NotNull String commandId) {
        if (!COMMAND_ID.matcher(commandId).matches()) {
            return done(noCommand(thing, commandId));
        }
        return read(thing, commandId).thenCompose(read -> {
            if (!(read instanceof Outcome.Ok<CommandCalls.Found> ok)) {
                return CompletableFuture.completedFuture(rejected(read));
            }
            Optional<Command> found =
                    StoredCommand.parse(thing, ok.value().commands().get(0)).map(StoredCommand::command);
            if (found.isEmpty()) {
                return done(noCommand(thing, commandId));
            }
            Command command = found.get();
            return !command.status().isFinal() && clock.millis() >= command.expiresAt()
                    ? expire(thing, commandId)
                    : CompletableFuture.completedFuture(Outcome.ok(command));
        });
    }

    /**
     * A page of {@code thing}'s commands, newest first, only those of {@code status} when given; 400 for a limit
     * outside 1..{@link #MAX_PAGE} or a cursor this store did not give.
     */
    public @NotNull CompletionStage<Outcome<CommandPage>> list(
            @NotNull ThingId thing, @Nullable CommandStatus status, int limit, @Nullable String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            return done(Rejection.malformed("limit must be 1.." + MAX_PAGE));
        }
        String createdAt = "";
        String after = "";
        if (cursor != null) {
            int colon = cursor.indexOf(':');
            if (colon < 1
                    || !cursor.substring(0, colon).chars().allMatch(Character::isDigit)
                    || colon > 19
                    || !COMMAND_ID.matcher(cursor.substring(colon + 1)).matches()) {
                return done(Rejection.malformed("cursor is not one this API gave"));
            }
            createdAt = cursor.substring(0, colon);
            after = cursor.substring(colon + 1);
        }
        CommandCalls.ListPage page =
                new CommandCalls.ListPage(thing, createdAt, after, limit, status == null ? "" : status.wireName());
        return call.run("command list", listScript.call(page), Outcome::ok)
                .thenApply(listed -> listed.map(groups -> {
                    List<Command> commands = new ArrayList<>();
                    for (Map<String, String> fields : groups) {
                        StoredCommand.parse(thing, fields).ifPresent(stored -> commands.add(stored.command()));
                    }
                    if (commands.size() <= limit) {
                        return new CommandPage(commands, null);
                    }
                    Command last = commands.get(limit - 1);
                    return new CommandPage(commands.subList(0, limit), last.createdAt() + ":" + last.commandId());
                }));
    }

    /** Cancels a queued command; 409 once it was delivered or is final (cancelling a cancelled one answers it). */
    public @NotNull CompletionStage<Outcome<Command>> cancel(@NotNull ThingId thing, @NotNull String commandId) {
        return transition(thing, commandId, (stored, type, now) -> {
            Command command = stored.command();
            if (command.status() == CommandStatus.CANCELLED) {
                return Decision.answer(command);
            }
            if (command.status() != CommandStatus.QUEUED) {
                return Decision.refuse(refused(command, "cancel"));
            }
            return Decision.write(next(command, CommandStatus.CANCELLED, null, null, null, now));
        });
    }

    /**
     * What {@code thing} should be sent now, in order: every delivered or running command (sent again: at-least-once),
     * then the queued ones the ordering allows — the oldest queued one that is not {@code concurrent} when no such
     * command is in flight, and every queued {@code concurrent} one. Commands past their time-to-live are left out
     * (and expired on the way).
     */
    public @NotNull CompletionStage<Outcome<List<Command>>> deliverable(@NotNull ThingId thing) {
        return read(thing, "").thenCompose(read -> {
            if (!(read instanceof Outcome.Ok<CommandCalls.Found> ok)) {
                return CompletableFuture.completedFuture(rejected(read));
            }
            long now = clock.millis();
            List<StoredCommand> open = new ArrayList<>();
            List<CompletableFuture<Outcome<Command>>> expiring = new ArrayList<>();
            for (Map<String, String> fields : ok.value().commands()) {
                StoredCommand.parse(thing, fields).ifPresent(stored -> {
                    if (stored.command().status().isFinal()) {
                        return;
                    }
                    if (now >= stored.command().expiresAt()) {
                        expiring.add(expire(thing, stored.command().commandId()).toCompletableFuture());
                    } else {
                        open.add(stored);
                    }
                });
            }
            List<Command> sendable = deliverableOf(open);
            return CompletableFuture.allOf(expiring.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> Outcome.ok(sendable));
        });
    }

    /** The ordering rule of {@link #deliverable} over a thing's open commands in queue order. */
    static List<Command> deliverableOf(List<StoredCommand> open) {
        boolean exclusiveInFlight =
                open.stream().anyMatch(stored -> stored.command().status().isInFlight() && !stored.concurrent());
        List<Command> inFlight = new ArrayList<>();
        List<Command> queued = new ArrayList<>();
        boolean exclusiveTaken = exclusiveInFlight;
        for (StoredCommand stored : open) {
            Command command = stored.command();
            if (command.status().isInFlight()) {
                inFlight.add(command);
            } else if (command.status() == CommandStatus.QUEUED) {
                if (stored.concurrent()) {
                    queued.add(command);
                } else if (!exclusiveTaken) {
                    queued.add(command);
                    exclusiveTaken = true;
                }
            }
        }
        inFlight.addAll(queued);
        return inFlight;
    }

    /**
     * The thing acknowledged the command (MQTT PUBACK): queued becomes delivered; any other status is answered as
     * it is. 404 for an unknown command.
     */
    public @NotNull CompletionStage<Outcome<Command>> delivered(@NotNull ThingId thing, @NotNull String commandId) {
        return transition(thing, commandId, (stored, type, now) -> {
            Command command = stored.command();
            if (command.status() != CommandStatus.QUEUED) {
                return Decision.answer(command);
            }
            return Decision.write(next(command, CommandStatus.DELIVERED, null, null, null, now));
        });
    }

    /**
     * What the thing reports about its command: 404 unknown command; 400 a status other than running, succeeded or
     * failed; 422 progress outside 0..100 or an output the action's output schema refuses; 409 after another final
     * state (unchanged); the same final state again answers the command unchanged. A report on a queued command
     * counts as its delivery.
     */
    public @NotNull CompletionStage<Outcome<Command>> report(
            @NotNull ThingId thing, @NotNull String commandId, @NotNull StatusReport report) {
        CommandStatus status = report.status();
        if (status != CommandStatus.RUNNING && status != CommandStatus.SUCCEEDED && status != CommandStatus.FAILED) {
            return done(Rejection.malformed("status must be running, succeeded or failed, not " + status));
        }
        Integer progress = report.progress();
        if (progress != null && (progress < 0 || progress > 100)) {
            return done(Rejection.modelViolation("progress: " + progress + " is not in 0..100"));
        }
        return transition(thing, commandId, (stored, type, now) -> {
            Command command = stored.command();
            if (command.status().isFinal()) {
                return command.status() == status
                        ? Decision.answer(command)
                        : Decision.refuse(refused(command, status.wireName()));
            }
            JsonNode output = null;
            if (status == CommandStatus.SUCCEEDED && report.output() != null) {
                Optional<Rejection> badOutput = models.get(type)
                        .flatMap(model -> model.action(command.action()))
                        .flatMap(action -> action.checkOutput(report.output()));
                if (badOutput.isPresent()) {
                    return Decision.refuse(badOutput.get());
                }
                output = report.output().isNull() ? null : report.output();
            }
            return Decision.write(next(
                    command,
                    status,
                    status == CommandStatus.RUNNING ? progress : null,
                    output,
                    status == CommandStatus.FAILED ? report.reason() : null,
                    now));
        });
    }

    /**
     * Expires the command if its time-to-live has passed and it is not final; otherwise answers it as it is (the
     * sweeper's handler, idempotent). 404 for an unknown command.
     */
    public @NotNull CompletionStage<Outcome<Command>> expire(@NotNull ThingId thing, @NotNull String commandId) {
        return transition(thing, commandId, (stored, type, now) -> Decision.answer(stored.command()));
    }

    /**
     * The sweeper's handler of {@link DueMember#COMMAND} members: expires the command; due again at its expiry if
     * that has not come yet (a clock behind another node's), done when it is final or gone.
     */
    public @NotNull CompletionStage<Outcome<Optional<Long>>> onDue(@NotNull DueMember member, long nowMillis) {
        if (!ThingId.isValid(member.thing().value())
                || !COMMAND_ID.matcher(member.detail()).matches()) {
            return CompletableFuture.completedFuture(Outcome.ok(Optional.empty()));
        }
        return expire(member.thing(), member.detail()).thenApply(expired -> {
            if (expired instanceof Outcome.Ok<Command> ok) {
                Command command = ok.value();
                return Outcome.ok(command.status().isFinal() ? Optional.empty() : Optional.of(command.expiresAt()));
            }
            Rejection rejection = ((Outcome.Rejected<Command>) expired).rejection();
            return rejection.code() == Rejection.NO_SHADOW
                    ? Outcome.ok(Optional.<Long>empty())
                    : Outcome.<Optional<Long>>rejected(rejection);
        });
    }

    // ---- transitions

    /** What a transition does with the command as it is now. */
    private sealed interface Decision {

        /** Nothing to write: answer with this. */
        record Answer(@NotNull Outcome<Command> outcome) implements Decision {}

        /** Write this next state. */
        record Write(@NotNull Command next) implements Decision {}

        static Decision answer(Command command) {
            return new Answer(Outcome.ok(command));
        }

        static Decision refuse(Rejection rejection) {
            return new Answer(Outcome.rejected(rejection));
        }

        static Decision write(Command next) {
            return new Write(next);
        }
    }

    @FunctionalInterface
    private interface Decider {
        /**
         * The decision for a command that is open and not past its time-to-live, or final; {@code type} is its
         * thing's type.
         */
        Decision decide(StoredCommand current, String type, long nowMillis);
    }

    /**
     * Reads the command, decides and writes its next state if it is still the state the decision was made on (a
     * compare-and-set on its revision, tried again when another writer came first). A command past its time-to-live
     * that is not final is expired before any decision.
     */
    private CompletionStage<Outcome<Command>> transition(ThingId thing, String commandId, Decider decider) {
        if (!COMMAND_ID.matcher(commandId).matches()) {
            return done(noCommand(thing, commandId));
        }
        return transition(thing, commandId, decider, 1);
    }

    private CompletionStage<Outcome<Command>> transition(
            ThingId thing, String commandId, Decider decider, int attempt) {
        return read(thing, commandId).thenCompose(read -> {
            if (!(read instanceof Outcome.Ok<CommandCalls.Found> ok)) {
                return CompletableFuture.completedFuture(rejected(read));
            }
            Optional<StoredCommand> current =
                    StoredCommand.parse(thing, ok.value().commands().get(0));
            if (current.isEmpty() || ok.value().owner().isEmpty()) {
                return done(noCommand(thing, commandId));
            }
            StoredCommand stored = current.get();
            long now = clock.millis();
            Command command = stored.command();
            Decision decision = !command.status().isFinal() && now >= command.expiresAt()
                    ? Decision.write(next(command, CommandStatus.EXPIRED, null, null, EXPIRED_REASON, now))
                    : decider.decide(stored, ok.value().type(), now);
            if (decision instanceof Decision.Answer answer) {
                return CompletableFuture.completedFuture(answer.outcome());
            }
            Command next = ((Decision.Write) decision).next();
            FeedChange change = change(next, ok.value().owner());
            CommandCalls.Transition write = new CommandCalls.Transition(
                    thing,
                    ok.value().owner(),
                    commandId,
                    stored.rev(),
                    next.status().wireName(),
                    next.status().isFinal(),
                    next.progress() == null ? "" : next.progress().toString(),
                    StoredCommand.text(next.output()),
                    next.reason() == null ? "" : next.reason(),
                    next.updatedAt(),
                    feedWriter.inScript(change));
            return call.run("command " + next.status().wireName(), transitionScript.call(write), Outcome::ok)
                    .thenCompose(commit -> {
                        if (!(commit instanceof Outcome.Ok<CommandCalls.Commit> committed)) {
                            return CompletableFuture.completedFuture(rejected(commit));
                        }
                        if (committed.value() instanceof CommandCalls.Committed done) {
                            return routed(done, change, next);
                        }
                        if (committed.value() instanceof CommandCalls.Stale) {
                            return attempt < MAX_ATTEMPTS
                                    ? transition(thing, commandId, decider, attempt + 1)
                                    : done(Rejection.storeUnavailable(
                                            "command " + commandId + " kept changing; retry"));
                        }
                        return done(noCommand(thing, commandId));
                    });
        });
    }

    private static Command next(
            Command command,
            CommandStatus status,
            @Nullable Integer progress,
            @Nullable JsonNode output,
            @Nullable String reason,
            long now) {
        return new Command(
                command.commandId(),
                command.thingId(),
                command.action(),
                command.input(),
                status,
                command.createdAt(),
                command.expiresAt(),
                command.invokedBy(),
                progress,
                output,
                reason,
                now);
    }

    private static Rejection refused(Command command, String what) {
        return new Rejection(
                Rejection.VERSION_CONFLICT,
                "command " + command.commandId() + " is " + command.status().wireName() + "; " + what + " refused");
    }

    // ---- shared parts

    private CompletionStage<Outcome<CommandCalls.Found>> read(ThingId thing, String commandId) {
        return call.run("command read", readScript.call(new CommandCalls.Read(thing, commandId)), Outcome::ok);
    }

    private static FeedChange change(Command command, String owner) {
        return FeedChange.of(FeedEventKind.COMMAND, command.thingId(), Owner.of(owner), 0, command.toStateJson());
    }

    /** After a commit: on a Redis Cluster the entry is appended and routed now; the answer is the command. */
    private CompletionStage<Outcome<Command>> routed(
            CommandCalls.Committed committed, FeedChange change, Command command) {
        return feedRouter.routeAfterCommit(committed.watchers(), change).thenApply(routed -> Outcome.ok(command));
    }

    private static String newCommandId() {
        byte[] bytes = new byte[COMMAND_ID_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Rejection noCommand(ThingId thing, String commandId) {
        return new Rejection(
                Rejection.NO_SHADOW, "no command " + ThingId.printable(commandId) + " of thing " + thing.value());
    }

    private static <T> CompletionStage<Outcome<T>> done(Rejection rejection) {
        return CompletableFuture.completedFuture(Outcome.rejected(rejection));
    }

    private static <T, U> Outcome<T> rejected(Outcome<U> outcome) {
        return Outcome.rejected(((Outcome.Rejected<U>) outcome).rejection());
    }
}
