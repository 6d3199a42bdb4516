package io.shadowmq.store.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.command.Invocation;
import io.shadowmq.store.due.DueIndex;
import io.shadowmq.store.due.DueMember;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Household schedules in Redis, and their firing: each schedule is a member {@code schedule|<target>|<id>} of the
 * {@link DueIndex}, scored at its next occurrence, so whichever process's sweeper claims it runs the occurrence. An
 * occurrence is claimed exactly once across all processes (the schedule's cursor {@code after} moves past it in one
 * script), then its condition is read from the target's reported state and its effect applied as an ordinary desired
 * write ({@code setBy} {@code schedule:<name>}) or command ({@code invokedBy} the same), and the run recorded (the
 * last {@value #MAX_RUNS} are kept). An occurrence no process handled within the grace period is recorded
 * {@code missed}; one handled late within it fires.
 *
 * <pre>{@code
 * store.schedules().create(Owner.of("alice"), body).thenAccept(outcome -> ...);
 * store.schedules().runs(Owner.of("alice"), scheduleId);
 * }</pre>
 *
 * <p>Every call is asynchronous, bounded and never exceptional (503 on Redis trouble), as the other stores.
 */
public final class ScheduleStore {

    private static final Logger log = LoggerFactory.getLogger(ScheduleStore.class);

    /** The due index kind of schedules; the member's detail is the schedule id. */
    public static final String DUE_KIND = "schedule";
    /** How late an occurrence may still fire; later it is recorded missed. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);
    /** The runs kept per schedule. */
    public static final int MAX_RUNS = 100;
    /** The most occurrences one due run looks at (a schedule asleep for long only records its latest ones). */
    static final int MAX_OCCURRENCES_PER_RUN = MAX_RUNS;

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DEF = "def";
    private static final String TYPE = "type";
    private static final String AFTER = "after";

    private final RedissonClient redis;
    private final ThingModels models;
    private final ThingRegistry things;
    private final ShadowRepository shadows;
    private final CommandStore commands;
    private final StoreCall call;
    private final DueIndex due;
    private final Clock clock;
    private final Duration grace;
    private final LuaScript claimScript;
    private final LuaScript recordScript;

    public ScheduleStore(
            @NotNull RedissonClient redis,
            @NotNull ThingModels models,
            @NotNull ThingRegistry things,
            @NotNull ShadowRepository shadows,
            @NotNull CommandStore commands,
            @NotNull StoreCall call,
            @NotNull DueIndex due,
            @NotNull Clock clock,
            @NotNull Duration grace) {
        this.redis = redis;
        this.models = models;
        this.things = things;
        this.shadows = shadows;
        this.commands = commands;
        this.call = call;
        this.due = due;
        this.clock = clock;
        this.grace = grace;
        this.claimScript = LuaScript.load(redis, ScheduleCalls.Claim.SCRIPT);
        this.recordScript = LuaScript.load(redis, ScheduleCalls.Record.SCRIPT);
    }

    /**
     * Creates a schedule of {@code owner} from a POST body: 201-worthy schedule, 404 when the target is not a thing of
     * this household (as for a missing thing), 422 naming the field for anything impossible.
     */
    public @NotNull CompletionStage<Outcome<Schedule>> create(@NotNull Owner owner, @NotNull ObjectNode body) {
        Outcome<ThingId> target = Schedule.targetOf(body);
        if (target instanceof Outcome.Rejected<ThingId> no) {
            return done(Outcome.rejected(no.rejection()));
        }
        ThingId thing = target.orElseThrow();
        return things.find(thing).thenCompose(found -> {
            if (found instanceof Outcome.Rejected<ThingRecord> no) {
                return done(Outcome.<Schedule>rejected(no.rejection()));
            }
            ThingRecord record = found.orElseThrow();
            if (!record.owner().equals(owner)) {
                return done(Outcome.<Schedule>rejected(noThing(thing)));
            }
            Optional<ThingModel> model = models.get(record.type());
            if (model.isEmpty()) {
                return done(Outcome.<Schedule>rejected(
                        Rejection.modelViolation("target: no model of type " + record.type())));
            }
            long now = clock.millis();
            ObjectNode fresh = body.deepCopy();
            fresh.remove(List.of("id", "owner", "createdAt", "updatedAt"));
            Outcome<Schedule> parsed = Schedule.parse(fresh, newId(), owner, model.get(), now);
            if (!parsed.isOk()) {
                return done(parsed);
            }
            Schedule schedule = parsed.orElseThrow();
            Map<String, String> fields = Map.of(
                    DEF, SafeJson.writeString(schedule.toJson()), TYPE, record.type(), AFTER, Long.toString(now));
            return call.run(
                            "schedule create",
                            redis.<String, String>getMap(RedisKeys.schedule(schedule.id()), StringCodec.INSTANCE)
                                    .putAllAsync(fields)
                                    .thenCompose(ignored -> redis.<String>getSet(
                                                    RedisKeys.schedulesOfOwner(owner), StringCodec.INSTANCE)
                                            .addAsync(schedule.id())),
                            added -> Outcome.ok(schedule))
                    .thenCompose(created -> created.isOk() ? scheduleNext(schedule, now) : done(created));
        });
    }

    /** The household's schedules, oldest first. */
    public @NotNull CompletionStage<Outcome<List<Schedule>>> list(@NotNull Owner owner) {
        return call.run(
                        "schedule list",
                        redis.<String>getSet(RedisKeys.schedulesOfOwner(owner), StringCodec.INSTANCE)
                                .readAllAsync(),
                        ids -> Outcome.ok(List.copyOf(ids)))
                .thenCompose(ids -> {
                    if (ids instanceof Outcome.Rejected<List<String>> no) {
                        return done(Outcome.<List<Schedule>>rejected(no.rejection()));
                    }
                    List<CompletableFuture<Outcome<Optional<Stored>>>> reads = new ArrayList<>();
                    for (String id : ids.orElseThrow()) {
                        reads.add(read(id).toCompletableFuture());
                    }
                    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                            .thenApply(ignored -> {
                                List<Schedule> schedules = new ArrayList<>();
                                for (CompletableFuture<Outcome<Optional<Stored>>> read : reads) {
                                    Outcome<Optional<Stored>> outcome = read.join();
                                    if (outcome instanceof Outcome.Rejected<Optional<Stored>> no) {
                                        return Outcome.<List<Schedule>>rejected(no.rejection());
                                    }
                                    outcome.orElseThrow()
                                            .map(Stored::schedule)
                                            .filter(schedule -> schedule.owner().equals(owner))
                                            .ifPresent(schedules::add);
                                }
                                schedules.sort(Comparator.comparingLong(Schedule::createdAt)
                                        .thenComparing(Schedule::id));
                                return Outcome.ok(List.copyOf(schedules));
                            });
                });
    }

    /** One schedule of the household; 404 when it has none by that id. */
    public @NotNull CompletionStage<Outcome<Schedule>> get(@NotNull Owner owner, @NotNull String id) {
        return find(owner, id).thenApply(found -> found.map(Stored::schedule));
    }

    /**
     * Changes {@code enabled} and/or {@code name}: a schedule enabled again fires from its next occurrence on (what
     * fell due while it was disabled is neither fired nor recorded missed).
     */
    public @NotNull CompletionStage<Outcome<Schedule>> update(
            @NotNull Owner owner, @NotNull String id, @Nullable Boolean enabled, @Nullable String name) {
        if (name != null) {
            Outcome<String> valid =
                    Schedule.nameOf(SafeJson.mapper().getNodeFactory().textNode(name));
            if (valid instanceof Outcome.Rejected<String> no) {
                return done(Outcome.rejected(no.rejection()));
            }
        }
        return find(owner, id).thenCompose(found -> {
            if (found instanceof Outcome.Rejected<Stored> no) {
                return done(Outcome.<Schedule>rejected(no.rejection()));
            }
            Schedule before = found.orElseThrow().schedule();
            long now = clock.millis();
            boolean enabling = Boolean.TRUE.equals(enabled) && !before.enabled();
            Schedule after =
                    before.with(enabled == null ? before.enabled() : enabled, name == null ? before.name() : name, now);
            Map<String, String> fields = enabling
                    ? Map.of(DEF, SafeJson.writeString(after.toJson()), AFTER, Long.toString(now))
                    : Map.of(DEF, SafeJson.writeString(after.toJson()));
            return call.run(
                            "schedule update",
                            redis.<String, String>getMap(RedisKeys.schedule(id), StringCodec.INSTANCE)
                                    .putAllAsync(fields),
                            ignored -> Outcome.ok(after))
                    .thenCompose(updated -> updated.isOk() && enabling ? scheduleNext(after, now) : done(updated));
        });
    }

    /** Deletes the schedule and its runs; 404 when the household has none by that id. */
    public @NotNull CompletionStage<Outcome<Schedule>> delete(@NotNull Owner owner, @NotNull String id) {
        return find(owner, id).thenCompose(found -> {
            if (found instanceof Outcome.Rejected<Stored> no) {
                return done(Outcome.<Schedule>rejected(no.rejection()));
            }
            Schedule schedule = found.orElseThrow().schedule();
            return call.run(
                    "schedule delete",
                    redis.getKeys()
                            .deleteAsync(RedisKeys.schedule(id), RedisKeys.scheduleRuns(id))
                            .thenCompose(ignored -> redis.<String>getSet(
                                            RedisKeys.schedulesOfOwner(owner), StringCodec.INSTANCE)
                                    .removeAsync(id))
                            .thenCompose(ignored -> due.unschedule(
                                    schedule.target(), member(schedule).member())),
                    ignored -> Outcome.ok(schedule));
        });
    }

    /** The schedule's recorded runs, newest first (at most {@value #MAX_RUNS}). */
    public @NotNull CompletionStage<Outcome<List<ScheduleRun>>> runs(@NotNull Owner owner, @NotNull String id) {
        return find(owner, id).thenCompose(found -> {
            if (found instanceof Outcome.Rejected<Stored> no) {
                return done(Outcome.<List<ScheduleRun>>rejected(no.rejection()));
            }
            return call.run(
                    "schedule runs",
                    redis.<String>getList(RedisKeys.scheduleRuns(id), StringCodec.INSTANCE)
                            .readAllAsync(),
                    stored -> Outcome.ok(stored.stream()
                            .map(ScheduleRun::parse)
                            .flatMap(Optional::stream)
                            .toList()));
        });
    }

    /** When {@code schedule} is next due in the index, if it is (tests, diagnostics). */
    public @NotNull CompletionStage<Outcome<Optional<Long>>> dueAt(@NotNull Schedule schedule) {
        return due.dueAt(schedule.target(), member(schedule).member());
    }

    /**
     * The sweeper's handler of {@code schedule|T|id}: handles every occurrence up to {@code nowMillis} not handled
     * yet (claimed exactly once each), and answers the next occurrence (empty for a schedule deleted or disabled).
     */
    public @NotNull CompletionStage<Outcome<Optional<Long>>> onDue(@NotNull DueMember member, long nowMillis) {
        String id = member.detail();
        return read(id).thenCompose(found -> {
            if (found instanceof Outcome.Rejected<Optional<Stored>> no) {
                return done(Outcome.<Optional<Long>>rejected(no.rejection()));
            }
            Optional<Stored> stored = found.orElseThrow();
            if (stored.isEmpty() || !stored.get().schedule().enabled()) {
                return done(Outcome.ok(Optional.<Long>empty()));
            }
            Schedule schedule = stored.get().schedule();
            List<Long> occurrences = new ArrayList<>();
            Optional<Long> next = schedule.nextAfter(stored.get().after());
            while (next.isPresent() && next.get() <= nowMillis) {
                occurrences.add(next.get());
                next = schedule.nextAfter(next.get());
            }
            List<Long> handled =
                    occurrences.subList(Math.max(0, occurrences.size() - MAX_OCCURRENCES_PER_RUN), occurrences.size());
            Optional<Long> upcoming = next;
            return handleInOrder(schedule, handled, 0, nowMillis)
                    .thenApply(outcome -> outcome.map(ignored -> upcoming));
        });
    }

    private CompletionStage<Outcome<Boolean>> handleInOrder(
            Schedule schedule, List<Long> occurrences, int index, long now) {
        if (index == occurrences.size()) {
            return done(Outcome.ok(true));
        }
        long occurrence = occurrences.get(index);
        return call.run(
                        "schedule claim",
                        claimScript.call(new ScheduleCalls.Claim(RedisKeys.schedule(schedule.id()), occurrence)),
                        Outcome::ok)
                .thenCompose(claim -> {
                    if (claim instanceof Outcome.Rejected<String> no) {
                        return done(Outcome.<Boolean>rejected(no.rejection()));
                    }
                    return switch (claim.orElseThrow()) {
                        case "claimed" ->
                            run(schedule, occurrence, now)
                                    .thenCompose(run -> record(schedule, run))
                                    .thenCompose(ignored -> handleInOrder(schedule, occurrences, index + 1, now));
                        case "done" -> handleInOrder(schedule, occurrences, index + 1, now);
                        default -> done(Outcome.ok(false)); // deleted meanwhile
                    };
                });
    }

    /** Runs one claimed occurrence: missed, skipped, fired or failed. */
    private CompletionStage<ScheduleRun> run(Schedule schedule, long occurrence, long now) {
        if (now - occurrence > grace.toMillis()) {
            return CompletableFuture.completedFuture(new ScheduleRun(
                    occurrence,
                    ScheduleRun.MISSED,
                    "no process ran it within " + grace.toMinutes() + " min of its time",
                    null,
                    null,
                    null,
                    now));
        }
        ScheduleCondition when = schedule.when();
        if (when == null) {
            return fire(schedule, occurrence, null);
        }
        return shadows.getLatest(schedule.target()).thenCompose(read -> {
            if (read instanceof Outcome.Rejected<ShadowDocument> no
                    && no.rejection().code() != Rejection.NO_SHADOW) {
                return CompletableFuture.completedFuture(failed(
                        occurrence,
                        "its condition could not be read: " + no.rejection().message(),
                        null));
            }
            JsonNode seen = read instanceof Outcome.Ok<ShadowDocument> ok
                    ? when.valueIn(ok.value().reported()).deepCopy()
                    : MissingNode.getInstance();
            if (!when.holdsFor(seen)) {
                return CompletableFuture.completedFuture(new ScheduleRun(
                        occurrence,
                        ScheduleRun.SKIPPED,
                        when.whyNot(seen),
                        seen.isMissingNode() ? null : seen,
                        null,
                        null,
                        clock.millis()));
            }
            return fire(schedule, occurrence, seen);
        });
    }

    private CompletionStage<ScheduleRun> fire(Schedule schedule, long occurrence, @Nullable JsonNode seen) {
        ObjectNode desired = schedule.desired();
        if (desired != null) {
            UpdateRequest request = UpdateRequest.of(MissingNode.getInstance(), desired, null, null);
            return shadows.update(schedule.target(), Requester.schedule(schedule.id(), schedule.setBy()), request)
                    .thenApply(outcome -> outcome instanceof UpdateOutcome.Accepted accepted
                            ? new ScheduleRun(
                                    occurrence,
                                    ScheduleRun.FIRED,
                                    null,
                                    seen,
                                    null,
                                    accepted.current().version(),
                                    clock.millis())
                            : failed(
                                    occurrence,
                                    ((UpdateOutcome.Rejected) outcome)
                                            .rejection()
                                            .message(),
                                    seen));
        }
        Invocation invocation = new Invocation(
                String.valueOf(schedule.action()),
                schedule.actionInput(),
                null,
                // A repeat of this occurrence's invocation (a lease run out mid-way) answers the first command.
                "schedule-" + schedule.id() + "-" + occurrence,
                schedule.setBy(),
                false);
        return commands.invoke(schedule.target(), invocation)
                .thenApply(outcome -> outcome instanceof Outcome.Ok<Command> ok
                        ? new ScheduleRun(
                                occurrence,
                                ScheduleRun.FIRED,
                                null,
                                seen,
                                ok.value().commandId(),
                                null,
                                clock.millis())
                        : failed(
                                occurrence,
                                ((Outcome.Rejected<Command>) outcome)
                                        .rejection()
                                        .message(),
                                seen));
    }

    private ScheduleRun failed(long occurrence, String reason, @Nullable JsonNode seen) {
        return new ScheduleRun(occurrence, ScheduleRun.FAILED, reason, seen, null, null, clock.millis());
    }

    private CompletionStage<Outcome<Boolean>> record(Schedule schedule, ScheduleRun run) {
        if (!run.status().equals(ScheduleRun.FIRED)) {
            log.info(
                    "schedule {} ({}): occurrence {} {}: {}",
                    schedule.id(),
                    schedule.name(),
                    run.occurrence(),
                    run.status(),
                    run.reason());
        }
        return call.run(
                "schedule record run",
                recordScript.call(new ScheduleCalls.Record(
                        RedisKeys.schedule(schedule.id()),
                        RedisKeys.scheduleRuns(schedule.id()),
                        SafeJson.writeString(run.toJson()),
                        MAX_RUNS)),
                Outcome::ok);
    }

    private CompletionStage<Outcome<Schedule>> scheduleNext(Schedule schedule, long now) {
        Optional<Long> next = schedule.nextAfter(now);
        if (!schedule.enabled() || next.isEmpty()) {
            return done(Outcome.ok(schedule));
        }
        return due.schedule(member(schedule), next.get()).thenApply(scheduled -> scheduled.map(ignored -> schedule));
    }

    private static DueMember member(Schedule schedule) {
        return new DueMember(DUE_KIND, schedule.target(), schedule.id());
    }

    /** A stored schedule with its cursor. */
    private record Stored(Schedule schedule, long after) {}

    private CompletionStage<Outcome<Stored>> find(Owner owner, String id) {
        if (!ID.matcher(id).matches()) {
            return done(Outcome.rejected(noSchedule(id)));
        }
        return read(id).thenApply(found -> {
            if (found instanceof Outcome.Rejected<Optional<Stored>> no) {
                return Outcome.rejected(no.rejection());
            }
            return found.orElseThrow()
                    .filter(stored -> stored.schedule().owner().equals(owner))
                    .map(Outcome::ok)
                    .orElseGet(() -> Outcome.rejected(noSchedule(id)));
        });
    }

    private CompletionStage<Outcome<Optional<Stored>>> read(String id) {
        return call.run(
                "schedule read",
                redis.<String, String>getMap(RedisKeys.schedule(id), StringCodec.INSTANCE)
                        .readAllMapAsync(),
                fields -> Outcome.ok(parseStored(id, fields)));
    }

    private Optional<Stored> parseStored(String id, Map<String, String> fields) {
        String def = fields.get(DEF);
        Optional<ThingModel> model = models.get(String.valueOf(fields.get(TYPE)));
        if (def == null || model.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode json = SafeJson.read(def);
            if (!(json instanceof ObjectNode object)
                    || !ThingId.isValid(object.path("owner").asText())) {
                return Optional.empty();
            }
            Outcome<Schedule> parsed =
                    Schedule.parse(object, id, Owner.of(object.get("owner").asText()), model.get(), clock.millis());
            if (parsed instanceof Outcome.Rejected<Schedule> no) {
                log.warn(
                        "schedule {} no longer fits its target's model: {}",
                        id,
                        no.rejection().message());
                return Optional.empty();
            }
            return Optional.of(new Stored(parsed.orElseThrow(), Long.parseLong(fields.getOrDefault(AFTER, "0"))));
        } catch (MalformedJsonException | NumberFormatException e) {
            log.warn("schedule {}: stored form unreadable ({})", id, e.getMessage());
            return Optional.empty();
        }
    }

    private static Rejection noSchedule(String id) {
        return new Rejection(Rejection.NO_SHADOW, "no schedule " + id);
    }

    private static Rejection noThing(ThingId thing) {
        return new Rejection(Rejection.NO_SHADOW, "no thing " + thing.value());
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        StringBuilder id = new StringBuilder("s");
        for (byte b : bytes) {
            id.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return id.toString();
    }

    private static <T> CompletionStage<Outcome<T>> done(Outcome<T> outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
