package io.shadowmq.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandPage;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.command.Invocation;
import io.shadowmq.store.command.StatusReport;
import io.shadowmq.store.due.DueMember;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

/** Commands on a real Redis: every transition and refusal, the ordering, idempotency, expiry and the feed. */
class CommandStoreTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final ManualClock clock = ManualClock.atNow();
    private ShadowStore store;
    private CommandStore commands;

    @BeforeEach
    void connect() {
        store = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS, clock);
        commands = store.commands();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ThingId thing(String type) {
        return thing(type, freshOwner());
    }

    private ThingId thing(String type, Owner owner) {
        ThingId thing = freshThing(type);
        provision(store, thing, type, owner);
        return thing;
    }

    private static JsonNode json(String text) {
        try {
            return SafeJson.read(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Invocation invocation(String action, String input) {
        return new Invocation(
                action, input == null ? MissingNode.getInstance() : json(input), null, null, "car-1", false);
    }

    private Command invoke(ThingId thing, String action, String input) {
        return await(commands.invoke(thing, invocation(action, input))).orElseThrow();
    }

    private static Rejection rejection(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<?>) outcome).rejection();
    }

    private static StatusReport report(CommandStatus status) {
        return new StatusReport(status, null, null, null);
    }

    private List<String> deliverableIds(ThingId thing) {
        return await(commands.deliverable(thing)).orElseThrow().stream()
                .map(Command::commandId)
                .toList();
    }

    /** The command expiries the due index holds for {@code thing}, over all its partitions. */
    private List<String> scheduledExpiries(ThingId thing) {
        List<String> members = new ArrayList<>();
        for (int partition = 0; partition < store.feed().partitions(); partition++) {
            store.redis().<String>getScoredSortedSet(RedisKeys.due(partition), StringCodec.INSTANCE).readAll().stream()
                    .filter(member -> member.startsWith(DueMember.COMMAND + "|" + thing.value() + "|"))
                    .forEach(members::add);
        }
        return members;
    }

    @Test
    void anInvocationIsQueuedAndReadBack() {
        ThingId washer = thing("washer");

        Command queued = invoke(washer, "start", "{'program':'eco'}");

        assertThat(queued.commandId()).matches("^[A-Za-z0-9_-]{22}$");
        assertThat(queued.status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(queued.createdAt()).isEqualTo(clock.millis());
        assertThat(queued.expiresAt()).isEqualTo(clock.millis() + 600_000);
        Command read = await(commands.get(washer, queued.commandId())).orElseThrow();
        assertThat(read).isEqualTo(queued);
        assertThat(read.toJson().toString())
                .isEqualTo("{\"commandId\":\"" + queued.commandId() + "\",\"thingId\":\"" + washer.value()
                        + "\",\"action\":\"start\",\"input\":{\"program\":\"eco\"},\"status\":\"queued\",\"createdAt\":"
                        + queued.createdAt() + ",\"expiresAt\":" + queued.expiresAt()
                        + ",\"invokedBy\":\"car-1\",\"updatedAt\":" + queued.createdAt() + "}");
        assertThat(read.toDeviceJson().toString())
                .isEqualTo("{\"commandId\":\"" + queued.commandId()
                        + "\",\"action\":\"start\",\"input\":{\"program\":\"eco\"},\"expiresAt\":" + queued.expiresAt()
                        + ",\"invokedBy\":\"car-1\"}");
    }

    @Test
    void invocationsAreRefusedWithTheirCodes() {
        ThingId washer = thing("washer");
        ThingId car = thing("car");

        assertThat(rejection(await(commands.invoke(freshThing("ghost"), invocation("start", "{'program':'eco'}")))))
                .extracting(Rejection::code)
                .isEqualTo(404);
        assertThat(rejection(await(commands.invoke(washer, invocation("spin", null)))))
                .isEqualTo(new Rejection(404, "thing type washer has no action spin"));
        assertThat(rejection(await(commands.invoke(car, invocation("unlock", null)))))
                .isEqualTo(new Rejection(
                        403, "action unlock is critical: invoking it needs the actions:critical permission"));
        assertThat(rejection(await(commands.invoke(washer, invocation("start", "{'program':'boil'}")))))
                .isEqualTo(new Rejection(
                        422, "input.program: 'boil' is not one of [cotton, synthetics, wool, quick, eco]"));
        assertThat(rejection(await(commands.invoke(washer, invocation("start", "{}")))))
                .isEqualTo(new Rejection(422, "input.program: required"));
        assertThat(rejection(await(commands.invoke(washer, invocation("pause", "{'now':true}")))))
                .isEqualTo(new Rejection(422, "input: this action takes no input"));
        Invocation tooShort =
                new Invocation("pause", MissingNode.getInstance(), Duration.ofMillis(500), null, "admin", true);
        assertThat(rejection(await(commands.invoke(washer, tooShort))).code()).isEqualTo(400);
        Invocation tooLong =
                new Invocation("pause", MissingNode.getInstance(), Duration.ofDays(8), null, "admin", true);
        assertThat(rejection(await(commands.invoke(washer, tooLong))).code()).isEqualTo(400);

        Invocation permitted = new Invocation("unlock", MissingNode.getInstance(), null, null, "admin", true);
        assertThat(await(commands.invoke(car, permitted)).orElseThrow().status())
                .isEqualTo(CommandStatus.QUEUED);
        assertThat(await(commands.list(washer, null, 100, null)).orElseThrow().commands())
                .isEmpty();
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstCommandForTheSameInputAndRefusesAnother() {
        ThingId washer = thing("washer");
        Invocation first = new Invocation("start", json("{'program':'eco'}"), null, "car-1:token-7", "car-1", false);
        Invocation sameReordered =
                new Invocation("start", json("{ 'program' : 'eco' }"), null, "car-1:token-7", "car-1", false);
        Invocation other = new Invocation("start", json("{'program':'wool'}"), null, "car-1:token-7", "car-1", false);

        Command queued = await(commands.invoke(washer, first)).orElseThrow();
        Command again = await(commands.invoke(washer, sameReordered)).orElseThrow();
        Rejection conflict = rejection(await(commands.invoke(washer, other)));

        assertThat(again).isEqualTo(queued);
        assertThat(conflict.code()).isEqualTo(409);
        // Only the queued command waits for its expiry: the refused invocations scheduled none that stays.
        assertThat(scheduledExpiries(washer)).containsExactly(CommandStore.dueMemberOf(washer, queued.commandId()));
        assertThat(conflict.message()).contains("car-1:token-7", "different invocation");
        assertThat(await(commands.list(washer, null, 100, null)).orElseThrow().commands())
                .extracting(Command::commandId)
                .containsExactly(queued.commandId());
    }

    @Test
    void moreThanTheMostOpenCommandsIsTooManyRequests() {
        ThingId speaker = thing("speaker");
        List<CompletableFuture<Outcome<Command>>> invoked = new ArrayList<>();
        for (int i = 0; i < CommandStore.MAX_PENDING; i++) {
            invoked.add(commands.invoke(speaker, invocation("announce", "{'text':'hello " + i + "'}"))
                    .toCompletableFuture());
        }
        invoked.forEach(stage -> assertThat(await(stage).isOk()).isTrue());

        Rejection full = rejection(await(commands.invoke(speaker, invocation("announce", "{'text':'one more'}"))));

        assertThat(full.code()).isEqualTo(429);
        assertThat(scheduledExpiries(speaker)).hasSize(CommandStore.MAX_PENDING);
        // A final command frees its place.
        String first = await(commands.deliverable(speaker)).orElseThrow().get(0).commandId();
        await(commands.cancel(speaker, first)).orElseThrow();
        assertThat(await(commands.invoke(speaker, invocation("announce", "{'text':'now'}")))
                        .isOk())
                .isTrue();
    }

    @Test
    void commandsAreDeliveredInOrderOneAtATime() {
        ThingId washer = thing("washer");
        Command start = invoke(washer, "start", "{'program':'cotton'}");
        Command pause = invoke(washer, "pause", null);
        Command stop = invoke(washer, "stop", null);

        assertThat(deliverableIds(washer)).containsExactly(start.commandId());
        await(commands.delivered(washer, start.commandId())).orElseThrow();
        assertThat(deliverableIds(washer)).containsExactly(start.commandId()); // sent again on reconnect
        await(commands.report(washer, start.commandId(), report(CommandStatus.SUCCEEDED)))
                .orElseThrow();
        assertThat(deliverableIds(washer)).containsExactly(pause.commandId());
        await(commands.report(washer, pause.commandId(), new StatusReport(CommandStatus.FAILED, null, null, "idle")))
                .orElseThrow();
        assertThat(deliverableIds(washer)).containsExactly(stop.commandId());
    }

    @Test
    void concurrentCommandsAreDeliveredBesideOthers() {
        ThingId car = thing("car");
        Command lock = invoke(car, "lock", null);
        Command honk = invoke(car, "honkAndFlash", null);
        Command climate = invoke(car, "startClimatization", "{'targetTemperature':21}");
        Command honkAgain = invoke(car, "honkAndFlash", null);

        assertThat(deliverableIds(car)).containsExactly(lock.commandId(), honk.commandId(), honkAgain.commandId());
        await(commands.delivered(car, lock.commandId())).orElseThrow();
        await(commands.delivered(car, honk.commandId())).orElseThrow();
        assertThat(deliverableIds(car)).containsExactly(lock.commandId(), honk.commandId(), honkAgain.commandId());
        await(commands.report(car, lock.commandId(), report(CommandStatus.SUCCEEDED)))
                .orElseThrow();
        assertThat(deliverableIds(car)).containsExactly(honk.commandId(), climate.commandId(), honkAgain.commandId());
    }

    @Test
    void everyTransitionOfACommandsLife() {
        ThingId washer = thing("washer");
        Command start = invoke(washer, "start", "{'program':'quick'}");
        String id = start.commandId();

        clock.advance(Duration.ofSeconds(1));
        Command delivered = await(commands.delivered(washer, id)).orElseThrow();
        assertThat(delivered.status()).isEqualTo(CommandStatus.DELIVERED);
        assertThat(delivered.updatedAt()).isEqualTo(clock.millis());
        assertThat(await(commands.delivered(washer, id)).orElseThrow()).isEqualTo(delivered); // no-op

        Command running = await(commands.report(washer, id, new StatusReport(CommandStatus.RUNNING, 35, null, null)))
                .orElseThrow();
        assertThat(running.status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(running.progress()).isEqualTo(35);
        Command further = await(commands.report(washer, id, new StatusReport(CommandStatus.RUNNING, 80, null, null)))
                .orElseThrow();
        assertThat(further.progress()).isEqualTo(80);

        assertThat(rejection(
                        await(commands.report(washer, id, new StatusReport(CommandStatus.RUNNING, 101, null, null)))))
                .isEqualTo(new Rejection(422, "progress: 101 is not in 0..100"));
        assertThat(rejection(await(commands.report(
                        washer, id, new StatusReport(CommandStatus.SUCCEEDED, null, json("{'minutes':-1}"), null)))))
                .isEqualTo(new Rejection(422, "output.minutes: -1 < minimum 0"));
        assertThat(rejection(await(commands.report(washer, id, report(CommandStatus.QUEUED))))
                        .code())
                .isEqualTo(400);
        assertThat(rejection(await(commands.cancel(washer, id))))
                .isEqualTo(new Rejection(409, "command " + id + " is running; cancel refused"));

        clock.advance(Duration.ofSeconds(1));
        Command succeeded = await(commands.report(
                        washer, id, new StatusReport(CommandStatus.SUCCEEDED, null, json("{'minutes':29}"), null)))
                .orElseThrow();
        assertThat(succeeded.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(succeeded.output()).isEqualTo(json("{'minutes':29}"));
        assertThat(succeeded.progress()).isNull();

        clock.advance(Duration.ofSeconds(1));
        assertThat(await(commands.report(washer, id, report(CommandStatus.SUCCEEDED)))
                        .orElseThrow())
                .isEqualTo(succeeded); // the same final state again: nothing changes
        assertThat(rejection(await(commands.report(washer, id, report(CommandStatus.FAILED)))))
                .isEqualTo(new Rejection(409, "command " + id + " is succeeded; failed refused"));
        assertThat(await(commands.get(washer, id)).orElseThrow()).isEqualTo(succeeded);
        assertThat(rejection(await(commands.report(washer, "nope", report(CommandStatus.RUNNING))))
                        .code())
                .isEqualTo(404);
        assertThat(rejection(await(commands.get(washer, "no-such-command"))).code())
                .isEqualTo(404);
    }

    @Test
    void aReportOnAQueuedCommandCountsAsItsDelivery() {
        ThingId fridge = thing("fridge");
        Command cool = invoke(fridge, "superCool", "{'hours':3}");

        Command running = await(commands.report(
                        fridge, cool.commandId(), new StatusReport(CommandStatus.RUNNING, 0, null, null)))
                .orElseThrow();

        assertThat(running.status()).isEqualTo(CommandStatus.RUNNING);
    }

    @Test
    void onlyAQueuedCommandCanBeCancelled() {
        ThingId washer = thing("washer");
        Command start = invoke(washer, "start", "{'program':'eco'}");
        Command stop = invoke(washer, "stop", null);

        Command cancelled = await(commands.cancel(washer, stop.commandId())).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(await(commands.cancel(washer, stop.commandId())).orElseThrow())
                .isEqualTo(cancelled);
        await(commands.delivered(washer, start.commandId())).orElseThrow();
        assertThat(rejection(await(commands.cancel(washer, start.commandId()))))
                .isEqualTo(new Rejection(409, "command " + start.commandId() + " is delivered; cancel refused"));
        assertThat(rejection(await(commands.report(washer, stop.commandId(), report(CommandStatus.SUCCEEDED)))))
                .isEqualTo(new Rejection(409, "command " + stop.commandId() + " is cancelled; succeeded refused"));
        assertThat(deliverableIds(washer)).containsExactly(start.commandId());
    }

    @Test
    void theSweeperExpiresACommandAfterItsTimeToLiveAndALateSuccessIsRefused() {
        ThingId washer = thing("washer");
        Invocation shortLived =
                new Invocation("start", json("{'program':'eco'}"), Duration.ofSeconds(5), null, "car-1", false);
        Command start = await(commands.invoke(washer, shortLived)).orElseThrow();
        await(commands.delivered(washer, start.commandId())).orElseThrow();

        clock.advance(Duration.ofSeconds(4));
        await(store.sweeper().sweep());
        assertThat(await(commands.get(washer, start.commandId())).orElseThrow().status())
                .isEqualTo(CommandStatus.DELIVERED);

        clock.advance(Duration.ofSeconds(2));
        assertThat(await(store.sweeper().sweep())).isGreaterThanOrEqualTo(1);

        Command expired = await(commands.get(washer, start.commandId())).orElseThrow();
        assertThat(expired.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(expired.reason()).isEqualTo("not finished within its time-to-live");
        assertThat(expired.updatedAt()).isEqualTo(clock.millis());
        assertThat(rejection(await(commands.report(washer, start.commandId(), report(CommandStatus.SUCCEEDED)))))
                .isEqualTo(new Rejection(409, "command " + start.commandId() + " is expired; succeeded refused"));
        assertThat(await(commands.get(washer, start.commandId())).orElseThrow()).isEqualTo(expired);
        assertThat(deliverableIds(washer)).isEmpty();
        String member = CommandStore.dueMemberOf(washer, start.commandId());
        assertThat(await(store.due().dueAt(washer, member)).orElseThrow()).isEmpty();
    }

    @Test
    void aCommandPastItsTimeToLiveIsNotDeliverableEvenBeforeTheSweep() {
        ThingId speaker = thing("speaker");
        Command announce = invoke(speaker, "announce", "{'text':'dinner'}");

        clock.advance(Duration.ofMinutes(11));

        assertThat(deliverableIds(speaker)).isEmpty();
        assertThat(await(commands.get(speaker, announce.commandId()))
                        .orElseThrow()
                        .status())
                .isEqualTo(CommandStatus.EXPIRED);
        Command other = invoke(speaker, "announce", "{'text':'breakfast'}");
        clock.advance(Duration.ofMinutes(11));
        assertThat(await(commands.get(speaker, other.commandId())).orElseThrow().status())
                .isEqualTo(CommandStatus.EXPIRED);
    }

    @Test
    void twoStoresSweepingTheSameRedisExpireEachCommandExactlyOnce() throws Exception {
        Owner owner = freshOwner();
        ThingId speaker = thing("speaker", owner);
        int partition = store.feed().partitionOf(owner);
        String before = await(store.feed().latestId(partition)).orElseThrow();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(invoke(speaker, "announce", "{'text':'n" + i + "'}").commandId());
        }
        clock.advance(Duration.ofMinutes(11));

        try (ShadowStore other = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS, clock)) {
            for (int round = 0; round < 3; round++) {
                CompletableFuture<Integer> one = store.sweeper().sweep().toCompletableFuture();
                CompletableFuture<Integer> two = other.sweeper().sweep().toCompletableFuture();
                await(CompletableFuture.allOf(one, two));
            }
        }

        List<FeedEvent> events =
                await(store.feed().readAfter(partition, before, 1000)).orElseThrow();
        Map<String, Long> expiredEvents = events.stream()
                .filter(event -> event.kind() == FeedEventKind.COMMAND)
                .filter(event -> event.body().get("status").asText().equals("expired"))
                .collect(Collectors.groupingBy(
                        event -> event.body().get("commandId").asText(), Collectors.counting()));
        assertThat(expiredEvents).hasSize(ids.size());
        assertThat(expiredEvents.values()).containsOnly(1L);
    }

    @Test
    void everyTransitionAppendsACommandEventWithTheStateMessage() {
        Owner owner = freshOwner();
        ThingId washer = thing("washer", owner);
        int partition = store.feed().partitionOf(owner);
        String before = await(store.feed().latestId(partition)).orElseThrow();

        Command start = invoke(washer, "start", "{'program':'eco'}");
        await(commands.delivered(washer, start.commandId())).orElseThrow();
        await(commands.report(washer, start.commandId(), new StatusReport(CommandStatus.RUNNING, 10, null, null)))
                .orElseThrow();
        Command done = await(commands.report(
                        washer, start.commandId(), new StatusReport(CommandStatus.FAILED, null, null, "door open")))
                .orElseThrow();

        List<FeedEvent> events = await(store.feed().readAfter(partition, before, 100)).orElseThrow().stream()
                .filter(event -> event.thing().equals(washer))
                .toList();
        assertThat(events).extracting(FeedEvent::kind).containsOnly(FeedEventKind.COMMAND);
        assertThat(events)
                .extracting(event -> event.body().get("status").asText())
                .containsExactly("queued", "delivered", "running", "failed");
        assertThat(events.get(2).body().get("progress").asInt()).isEqualTo(10);
        assertThat(events.get(3).body()).isEqualTo(done.toStateJson());
        assertThat(done.toStateJson().toString())
                .isEqualTo("{\"commandId\":\"" + start.commandId() + "\",\"thingId\":\"" + washer.value()
                        + "\",\"action\":\"start\",\"status\":\"failed\",\"reason\":\"door open\",\"timestamp\":"
                        + clock.millis() + "}");
    }

    @Test
    void commandEventsAreRoutedToTheInboxesOfTheNodesWatchingTheThing() {
        ThingId washer = thing("washer");
        String node = "node-" + System.nanoTime();
        var inbox = store.redis().<String, String>getStream(RedisKeys.nodeInbox(node), StringCodec.INSTANCE);
        inbox.add(org.redisson.api.stream.StreamAddArgs.entry("kind", "hello"));
        store.redis()
                .<String>getSet(RedisKeys.watchers(washer), StringCodec.INSTANCE)
                .add(node);

        Command start = invoke(washer, "start", "{'program':'eco'}");

        assertThat(inbox.size()).isEqualTo(2);
        assertThat(inbox
                        .range(org.redisson.api.stream.StreamMessageId.MIN, org.redisson.api.stream.StreamMessageId.MAX)
                        .values()
                        .stream()
                        .map(fields -> fields.get("body"))
                        .filter(body -> body != null && body.contains(start.commandId())))
                .hasSize(1);
    }

    @Test
    void theListingIsNewestFirstInPagesAndFiltersByStatus() {
        ThingId speaker = thing("speaker");
        List<Command> invoked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            invoked.add(invoke(speaker, "announce", "{'text':'n" + i + "'}"));
            clock.advance(Duration.ofMillis(1));
        }
        await(commands.cancel(speaker, invoked.get(1).commandId())).orElseThrow();
        await(commands.cancel(speaker, invoked.get(3).commandId())).orElseThrow();

        CommandPage first = await(commands.list(speaker, null, 2, null)).orElseThrow();
        CommandPage second =
                await(commands.list(speaker, null, 2, first.nextCursor())).orElseThrow();
        CommandPage third =
                await(commands.list(speaker, null, 2, second.nextCursor())).orElseThrow();
        CommandPage cancelled =
                await(commands.list(speaker, CommandStatus.CANCELLED, 10, null)).orElseThrow();

        Function<CommandPage, List<String>> ids =
                page -> page.commands().stream().map(Command::commandId).toList();
        assertThat(ids.apply(first))
                .containsExactly(invoked.get(4).commandId(), invoked.get(3).commandId());
        assertThat(ids.apply(second))
                .containsExactly(invoked.get(2).commandId(), invoked.get(1).commandId());
        assertThat(ids.apply(third)).containsExactly(invoked.get(0).commandId());
        assertThat(third.nextCursor()).isNull();
        assertThat(ids.apply(cancelled))
                .containsExactly(invoked.get(3).commandId(), invoked.get(1).commandId());
        assertThat(rejection(await(commands.list(speaker, null, 0, null))).code())
                .isEqualTo(400);
        assertThat(rejection(await(commands.list(speaker, null, 10, "garbage"))).code())
                .isEqualTo(400);
    }

    @Test
    void aDeprovisionedThingsCommandsGoWithIt() {
        Owner owner = freshOwner();
        ThingId washer = thing("washer", owner);
        Command start = invoke(washer, "start", "{'program':'eco'}");
        Command stop = invoke(washer, "stop", null);
        await(commands.cancel(washer, stop.commandId())).orElseThrow();

        await(store.things().deprovision(washer)).orElseThrow();
        provision(store, washer, "washer", owner);

        assertThat(deliverableIds(washer)).isEmpty();
        assertThat(await(commands.list(washer, null, 100, null)).orElseThrow().commands())
                .isEmpty();
        assertThat(rejection(await(commands.get(washer, start.commandId()))).code())
                .isEqualTo(404);
    }

    @Test
    void finalCommandsOlderThanTheRetentionLeaveTheListing() {
        ThingId speaker = thing("speaker");
        Command old = invoke(speaker, "announce", "{'text':'old'}");
        Command stillOpen = invoke(speaker, "announce", "{'text':'open'}");
        await(commands.cancel(speaker, old.commandId())).orElseThrow();

        clock.advance(CommandStore.RETENTION.plusMinutes(1));
        Command fresh = invoke(speaker, "announce", "{'text':'new'}");

        assertThat(await(commands.list(speaker, null, 100, null)).orElseThrow().commands())
                .extracting(Command::commandId)
                .containsExactly(fresh.commandId(), stillOpen.commandId());
        assertThat(rejection(await(commands.get(speaker, old.commandId()))).code())
                .isEqualTo(404);
    }
}
