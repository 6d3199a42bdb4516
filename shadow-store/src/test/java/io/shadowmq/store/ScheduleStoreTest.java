package io.shadowmq.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.schedule.Schedule;
import io.shadowmq.store.schedule.ScheduleRun;
import io.shadowmq.store.schedule.ScheduleStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Household schedules against a real Redis with a manual clock: each occurrence fires once however many stores sweep,
 * conditions skip it, downtime beyond the grace period records it missed, and its effect is an ordinary desired write
 * or command that names the schedule.
 */
class ScheduleStoreTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final long T0 = TwoStores.T0;

    private TwoStores stores;

    @BeforeEach
    void connect() {
        stores = new TwoStores(redis.uri());
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private ThingId car(Owner owner, double exteriorTemperature) {
        return stores.car(
                owner, "{\"exteriorTemperature\":" + exteriorTemperature + ",\"cabin\":{\"heater\":{\"isOn\":false}}}");
    }

    /** The time of day a minute after the clock, UTC, as "HH:MM". */
    private String aMinuteFromNow() {
        return LocalTime.ofInstant(Instant.ofEpochMilli(stores.clock.millis()).plusSeconds(60), ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("HH:mm"));
    }

    private static ObjectNode body(String json) {
        try {
            return (ObjectNode) SafeJson.read(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Schedule create(Owner owner, String json) {
        return await(stores.store.schedules().create(owner, body(json))).orElseThrow();
    }

    private Rejection refused(Owner owner, String json) {
        Outcome<Schedule> outcome = await(stores.store.schedules().create(owner, body(json)));
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<Schedule>) outcome).rejection();
    }

    private String heaterAt(ThingId car, String at, String when) {
        return "{'name':'winter mornings','timezone':'UTC','at':'" + at + "','target':'" + car.value()
                + "','desired':{'cabin':{'heater':{'isOn':true}}}" + when + "}";
    }

    private List<ScheduleRun> runs(Owner owner, Schedule schedule) {
        return await(stores.store.schedules().runs(owner, schedule.id())).orElseThrow();
    }

    private ShadowDocument latest(ThingId car) {
        return await(stores.store.shadows().getLatest(car)).orElseThrow();
    }

    private void sweepBoth() {
        CompletableFuture.allOf(
                        stores.store.sweeper().sweep().toCompletableFuture(),
                        stores.other.sweeper().sweep().toCompletableFuture())
                .join();
    }

    @Test
    void aScheduleDueAMinuteFromNowFiresExactlyOnceWithTwoStoresSweeping() {
        Owner owner = freshOwner();
        ThingId car = car(owner, 2);
        Schedule schedule =
                create(owner, heaterAt(car, aMinuteFromNow(), ",'when':{'path':'exteriorTemperature','below':5}"));
        long occurrence = T0 + 60_000;
        assertThat(await(stores.store.schedules().dueAt(schedule)).orElseThrow())
                .contains(occurrence);

        // a sweep a second too early does nothing
        stores.clock.advance(Duration.ofSeconds(59));
        sweepBoth();
        assertThat(runs(owner, schedule)).isEmpty();

        // at the minute both stores sweep, again and again
        stores.clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            sweepBoth();
        }
        // and after the claim lease has run out, too
        stores.clock.advance(Duration.ofSeconds(31));
        sweepBoth();

        List<ScheduleRun> runs = runs(owner, schedule);
        assertThat(runs).hasSize(1);
        ScheduleRun run = runs.get(0);
        assertThat(run.occurrence()).isEqualTo(occurrence);
        assertThat(run.status()).isEqualTo(ScheduleRun.FIRED);
        assertThat(run.value().doubleValue()).isEqualTo(2.0);
        ShadowDocument doc = latest(car);
        assertThat(run.version()).isEqualTo(doc.version());
        assertThat(doc.desired().at("/cabin/heater/isOn").booleanValue()).isTrue();
        assertThat(doc.desiredMetadata().at("/cabin/heater/isOn/setBy").textValue())
                .isEqualTo("schedule:winter mornings");
        // the next occurrence is tomorrow's
        assertThat(await(stores.store.schedules().dueAt(schedule)).orElseThrow())
                .contains(occurrence + 86_400_000L);
    }

    @Test
    void anOccurrenceWhoseConditionIsFalseIsSkippedWithTheValueSeen() {
        Owner owner = freshOwner();
        ThingId car = car(owner, 7.5);
        long version = latest(car).version();
        Schedule schedule =
                create(owner, heaterAt(car, aMinuteFromNow(), ",'when':{'path':'exteriorTemperature','below':5}"));

        stores.clock.advance(Duration.ofMinutes(1));
        sweepBoth();

        List<ScheduleRun> runs = runs(owner, schedule);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).status()).isEqualTo(ScheduleRun.SKIPPED);
        assertThat(runs.get(0).value().doubleValue()).isEqualTo(7.5);
        assertThat(runs.get(0).reason()).isEqualTo("exteriorTemperature is 7.5, not below 5");
        assertThat(runs.get(0).toJson().toString())
                .isEqualTo("{\"occurrence\":" + (T0 + 60_000) + ",\"status\":\"skipped\",\"reason\":"
                        + "\"exteriorTemperature is 7.5, not below 5\",\"value\":7.5,\"at\":" + (T0 + 60_000) + "}");
        assertThat(latest(car).version()).isEqualTo(version);
    }

    @Test
    void aLongDowntimeRecordsMissedAndALateStartWithinTheGraceFires() {
        Owner owner = freshOwner();
        ThingId car = car(owner, 0);
        Schedule schedule = create(owner, heaterAt(car, aMinuteFromNow(), ""));

        // nobody sweeps for two days and a minute: three occurrences passed, the last a minute ago
        stores.clock.advance(Duration.ofDays(2).plusMinutes(2));
        stores.store.sweeper().sweep().toCompletableFuture().join();

        List<ScheduleRun> runs = runs(owner, schedule);
        assertThat(runs)
                .extracting(ScheduleRun::status)
                .containsExactly(ScheduleRun.FIRED, ScheduleRun.MISSED, ScheduleRun.MISSED);
        assertThat(runs)
                .extracting(ScheduleRun::occurrence)
                .containsExactly(T0 + 60_000 + 2 * 86_400_000L, T0 + 60_000 + 86_400_000L, T0 + 60_000);
        assertThat(runs.get(2).reason()).isEqualTo("no process ran it within " + 10 + " min of its time");
        assertThat(runs.get(0).at() - runs.get(0).occurrence()).isEqualTo(60_000);
        assertThat(ScheduleStore.DEFAULT_GRACE).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void anActionIsInvokedAsACommandByTheSchedule() {
        Owner owner = freshOwner();
        ThingId car = car(owner, -3);
        Schedule schedule = create(
                owner,
                "{'name':'warm cabin','timezone':'Europe/Berlin','cron':'" + "0 31 7 * * *" + "','target':'"
                        + car.value() + "','action':{'name':'startClimatization','input':{'targetTemperature':21}}}");
        // 07:31 in Berlin is 06:31 UTC, a minute from T0

        stores.clock.advance(Duration.ofMinutes(1));
        sweepBoth();
        sweepBoth();

        List<ScheduleRun> runs = runs(owner, schedule);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).status()).isEqualTo(ScheduleRun.FIRED);
        Command command =
                await(stores.store.commands().get(car, runs.get(0).commandId())).orElseThrow();
        assertThat(command.invokedBy()).isEqualTo("schedule:warm cabin");
        assertThat(command.action()).isEqualTo("startClimatization");
        assertThat(command.status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(command.input().path("targetTemperature").intValue()).isEqualTo(21);
    }

    @Test
    void aDisabledScheduleDoesNotFireAndEnabledAgainFiresFromItsNextOccurrence() {
        Owner owner = freshOwner();
        ThingId car = car(owner, 0);
        Schedule schedule = create(owner, heaterAt(car, aMinuteFromNow(), ""));

        Schedule disabled = await(stores.store.schedules().update(owner, schedule.id(), false, "paused mornings"))
                .orElseThrow();
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.name()).isEqualTo("paused mornings");
        stores.clock.advance(Duration.ofMinutes(1));
        sweepBoth();
        assertThat(runs(owner, schedule)).isEmpty();
        assertThat(await(stores.store.schedules().dueAt(schedule)).orElseThrow())
                .isEmpty();

        stores.clock.advance(Duration.ofHours(1));
        await(stores.store.schedules().update(owner, schedule.id(), true, null)).orElseThrow();
        assertThat(await(stores.store.schedules().dueAt(schedule)).orElseThrow())
                .contains(T0 + 60_000 + 86_400_000L);
        stores.clock.advance(Duration.ofDays(1).minusHours(1)); // to tomorrow's occurrence
        sweepBoth();
        assertThat(runs(owner, schedule)).extracting(ScheduleRun::status).containsExactly(ScheduleRun.FIRED);
        assertThat(latest(car).desiredMetadata().at("/cabin/heater/isOn/setBy").textValue())
                .isEqualTo("schedule:paused mornings");
    }

    @Test
    void listGetAndDeleteKeepToTheHousehold() {
        Owner owner = freshOwner();
        Owner stranger = freshOwner();
        ThingId car = car(owner, 0);
        Schedule first = create(owner, heaterAt(car, "06:30", ""));
        Schedule second = create(owner, heaterAt(car, "07:30", ""));

        assertThat(await(stores.store.schedules().list(owner)).orElseThrow())
                .extracting(Schedule::id)
                .containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(await(stores.store.schedules().list(stranger)).orElseThrow()).isEmpty();
        assertThat(await(stores.store.schedules().get(owner, first.id()))
                        .orElseThrow()
                        .toJson())
                .isEqualTo(first.toJson());
        Outcome<Schedule> strangers = await(stores.store.schedules().get(stranger, first.id()));
        assertThat(((Outcome.Rejected<Schedule>) strangers).rejection().code()).isEqualTo(404);

        await(stores.store.schedules().delete(owner, first.id())).orElseThrow();

        assertThat(await(stores.store.schedules().list(owner)).orElseThrow())
                .extracting(Schedule::id)
                .containsExactly(second.id());
        assertThat(await(stores.store.schedules().dueAt(first)).orElseThrow()).isEmpty();
        assertThat(((Outcome.Rejected<Schedule>) await(stores.store.schedules().get(owner, first.id())))
                        .rejection()
                        .code())
                .isEqualTo(404);
    }

    @Test
    void theRunsAreBoundedToTheLastHundred() {
        Owner owner = freshOwner();
        ThingId car = car(owner, 0);
        Schedule schedule = create(
                owner,
                "{'name':'every minute','timezone':'UTC','cron':'* * * * *','target':'" + car.value()
                        + "','desired':{'cabin':{'heater':{'isOn':true}}}}");

        stores.clock.advance(Duration.ofMinutes(150));
        stores.store.sweeper().sweep().toCompletableFuture().join();

        List<ScheduleRun> runs = runs(owner, schedule);
        assertThat(runs).hasSize(ScheduleStore.MAX_RUNS);
        assertThat(runs.get(0).occurrence())
                .isEqualTo(T0 + Duration.ofMinutes(150).toMillis());
        assertThat(runs.get(0).status()).isEqualTo(ScheduleRun.FIRED);
        assertThat(runs.get(ScheduleStore.MAX_RUNS - 1).status()).isEqualTo(ScheduleRun.MISSED);
    }

    @Test
    void impossibleSchedulesAre422NamingTheFieldAndAnotherHouseholdsThingIs404() {
        Owner owner = freshOwner();
        ThingId car = car(owner, 0);
        String target = "'target':'" + car.value() + "'";
        String at = "'name':'n','timezone':'UTC','at':'06:30',";

        assertThat(refused(owner, heaterAt(car, "25:00", "")).message()).startsWith("at: no such time of day 25:00");
        assertThat(refused(
                                owner,
                                "{'name':'n','timezone':'Nowhere/City','at':'06:30'," + target
                                        + ",'desired':{'cabin':{'heater':{'isOn':true}}}}")
                        .message())
                .isEqualTo("timezone: unknown time zone 'Nowhere/City'");
        assertThat(refused(owner, heaterAt(car, "06:30", ",'when':{'path':'outsideTemp','below':5}"))
                        .message())
                .isEqualTo("when.path: the car model has no property outsideTemp");
        assertThat(refused(owner, heaterAt(car, "06:30", ",'when':{'path':'exteriorTemperature','below':'cold'}"))
                        .message())
                .isEqualTo("when.below: must be a number");
        assertThat(refused(owner, "{" + at + target + ",'desired':{'range':100}}")
                        .message())
                .startsWith("desired: range:");
        assertThat(refused(owner, "{" + at + target + ",'desired':{'cabin':{'heater':{'targetTemperature':99}}}}")
                        .message())
                .startsWith("desired: cabin.heater.targetTemperature:");
        assertThat(refused(owner, "{" + at + target + ",'action':{'name':'fly'}}")
                        .message())
                .isEqualTo("action.name: the car model has no action fly");
        assertThat(refused(
                                owner,
                                "{" + at + target + ",'action':{'name':'startClimatization','input':"
                                        + "{'targetTemperature':99}}}")
                        .message())
                .startsWith("action.input.targetTemperature:");
        assertThat(refused(owner, "{" + at + target + "}").message())
                .isEqualTo("desired: give exactly one of desired and action");
        assertThat(refused(owner, "{'timezone':'UTC','at':'06:30'," + target + ",'desired':{'range':1}}")
                        .message())
                .startsWith("name: required");
        Rejection otherHousehold = refused(freshOwner(), heaterAt(car, "06:30", ""));
        assertThat(otherHousehold.code()).isEqualTo(404);
        assertThat(otherHousehold.message()).isEqualTo("no thing " + car.value());
        assertThat(refused(owner, heaterAt(ThingId.of("no-such-car"), "06:30", ""))
                        .code())
                .isEqualTo(404);
    }
}
