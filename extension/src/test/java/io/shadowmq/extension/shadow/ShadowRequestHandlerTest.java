package io.shadowmq.extension.shadow;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import io.shadowmq.extension.harness.TestStores;
import io.shadowmq.model.access.Grant;
import io.shadowmq.model.access.GrantRequest;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.ShadowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The request path against a real Redis, without a broker: what is answered on which topic. */
class ShadowRequestHandlerTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final AtomicInteger ids = new AtomicInteger();

    static ShadowStore store;
    private final RecordingSink sink = new RecordingSink();
    private final MetricRegistry registry = new MetricRegistry();
    private final ShadowRequestHandler handler = new ShadowRequestHandler(
            store.shadows(),
            TestStores.members(store),
            sink,
            new UpdateRateLimiter(20, 40),
            new ShadowMetrics(registry),
            Clock.systemUTC());

    @BeforeAll
    static void connect() {
        store = TestStores.connect(redis);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private ThingId provision(String type, String owner) throws Exception {
        ThingId thing = ThingId.of(type + "-" + ids.incrementAndGet() + "-" + System.nanoTime() % 100000);
        store.things()
                .provision(thing, type, Owner.of(owner))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();
        return thing;
    }

    private void send(ThingId requester, ThingId target, String operation, String payload) throws Exception {
        ShadowTopic topic =
                ShadowTopic.parse("things/" + target + "/shadow/" + operation).orElseThrow();
        handler.handle(requester, topic, payload.getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAcceptedUpdateIsAnsweredOnUpdateAcceptedWithVersionAndClientToken() throws Exception {
        ThingId car = provision("car", "alice");

        send(car, car, "update", "{\"state\":{\"reported\":{\"range\":420}},\"clientToken\":\"t-1\"}");

        assertThat(sink.last().topic()).isEqualTo("things/" + car + "/shadow/update/accepted");
        assertThat(sink.last().payload().get("version").asLong()).isEqualTo(1);
        assertThat(sink.last().payload().get("clientToken").asText()).isEqualTo("t-1");
        assertThat(registry.counter(ShadowMetrics.PREFIX + "updates.accepted").getCount())
                .isEqualTo(1);
    }

    @Test
    void aRequestTheBrokerGotToTooLateIsAnswered503UnappliedWithItsClientToken() throws Exception {
        ThingId car = provision("car", "alice");
        ShadowTopic topic =
                ShadowTopic.parse("things/" + car + "/shadow/update").orElseThrow();

        handler.shed(
                        topic,
                        "{\"state\":{\"reported\":{\"range\":1}},\"clientToken\":\"late-1\"}"
                                .getBytes(StandardCharsets.UTF_8),
                        812,
                        500)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(sink.last().topic()).isEqualTo("things/" + car + "/shadow/update/rejected");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(503);
        assertThat(sink.last().payload().get("message").asText())
                .isEqualTo("broker busy: the request waited 812 ms in the broker's queue (at most 500 ms), retry "
                        + "shortly");
        assertThat(sink.last().payload().get("clientToken").asText()).isEqualTo("late-1");
        assertThat(store.shadows()
                        .getLatest(car)
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .isOk())
                .as("not applied")
                .isFalse();
    }

    @Test
    void malformedJsonIsRejectedWith400OnUpdateRejected() throws Exception {
        ThingId car = provision("car", "alice");

        send(car, car, "update", "{\"state\":");

        assertThat(sink.last().topic()).isEqualTo("things/" + car + "/shadow/update/rejected");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(400);
        assertThat(registry.counter(ShadowMetrics.PREFIX + "requests.rejected.400")
                        .getCount())
                .isEqualTo(1);
    }

    @Test
    void aHouseholdMemberMayNotWriteReported() throws Exception {
        ThingId car = provision("car", "alice");
        ThingId speaker = provision("speaker", "alice");

        send(speaker, car, "update", "{\"state\":{\"reported\":{\"range\":1}},\"clientToken\":\"x\"}");

        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(403);
        assertThat(sink.last().payload().get("message").asText()).contains("reported");
        assertThat(sink.last().payload().get("clientToken").asText()).isEqualTo("x");
    }

    @Test
    void desiredOnAReadOnlyPropertyIs422NamingIt() throws Exception {
        ThingId car = provision("car", "alice");
        ThingId speaker = provision("speaker", "alice");

        send(speaker, car, "update", "{\"state\":{\"desired\":{\"range\":1}}}");

        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(422);
        assertThat(sink.last().payload().get("message").asText()).startsWith("range");
    }

    @Test
    void aHouseholdMemberWritesTheCarsHeaterOnlyWithAGrant() throws Exception {
        ThingId car = provision("car", "erin");
        ThingId speaker = provision("speaker", "erin");
        String heaterOn = "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}},\"clientToken\":\"h\"}";

        send(speaker, car, "update", heaterOn);
        assertThat(sink.last().topic()).endsWith("/update/rejected");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(403);
        assertThat(sink.last().payload().get("message").asText())
                .isEqualTo("desired.cabin.heater.isOn: " + speaker + " may not write it on " + car
                        + " (household read; a grant can allow it)");

        Grant grant = store.grants()
                .create(
                        Owner.of("erin"),
                        new GrantRequest(
                                speaker.value(), car.value(), List.of(), List.of("cabin.heater.**"), List.of(), null),
                        Requester.admin())
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();
        // This test follows no feed: the grants cache of this process is told by hand, as the feed would.
        store.household().forget(Owner.of("erin"));
        send(speaker, car, "update", heaterOn);
        assertThat(sink.last().topic()).endsWith("/update/accepted");

        store.grants()
                .revoke(Owner.of("erin"), grant.id(), Requester.admin())
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        store.household().forget(Owner.of("erin"));
        send(speaker, car, "update", "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":null}}}}}");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(403);
        assertThat(sink.last().payload().get("message").asText()).startsWith("desired.cabin.heater.isOn: ");
    }

    @Test
    void aHouseholdMembersGetLeavesOutWhatItMayNotReadAndRefusesToSelectIt() throws Exception {
        ThingId car = provision("car", "frank");
        ThingId speaker = provision("speaker", "frank");
        send(car, car, "update", "{\"state\":{\"reported\":{\"range\":300,\"location\":{\"latitude\":48.1}}}}");

        send(speaker, car, "get", "{\"clientToken\":\"all\"}");
        assertThat(sink.last().topic()).endsWith("/get/accepted");
        assertThat(sink.last().payload().at("/state/reported/range").asInt()).isEqualTo(300);
        assertThat(sink.last().payload().at("/state/reported").has("location")).isFalse();

        send(car, car, "get", "{\"paths\":[\"location\"]}");
        assertThat(sink.last().payload().at("/state/reported/location/latitude").asDouble())
                .isEqualTo(48.1);
        assertThat(sink.last().payload().at("/state/reported").has("range")).isFalse();

        send(speaker, car, "get", "{\"paths\":[\"location.latitude\"],\"clientToken\":\"loc\"}");
        assertThat(sink.last().topic()).endsWith("/get/rejected");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(403);
        assertThat(sink.last().payload().get("message").asText())
                .isEqualTo("location.latitude: " + speaker + " may not read location.latitude of " + car);

        send(speaker, car, "get", "{\"paths\":[\"range\",\"locaton\"]}");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(422);
        assertThat(sink.last().payload().get("message").asText())
                .isEqualTo("paths[1]: no property 'locaton' in model car");
    }

    @Test
    void theStoreLatencyIsTheTimeOnTheInjectedClockFromHandingTheUpdateToTheStoreToItsOutcome() throws Exception {
        ThingId car = provision("car", "alice");
        // Each reading moves the clock 7 ms on: the update is handed over at one reading, its outcome seen at the next.
        AtomicLong nanos = new AtomicLong();
        ShadowRequestHandler timed = new ShadowRequestHandler(
                store.shadows(),
                TestStores.members(store),
                sink,
                new UpdateRateLimiter(20, 40),
                new ShadowMetrics(registry),
                Clock.systemUTC(),
                () -> nanos.getAndAdd(7_000_000));

        timed.handle(
                        car,
                        ShadowTopic.parse("things/" + car + "/shadow/update").orElseThrow(),
                        "{\"state\":{\"reported\":{\"range\":1}}}".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        Snapshot latency =
                registry.timer(ShadowMetrics.PREFIX + "store.latency").getSnapshot();
        assertThat(latency.size()).isEqualTo(1);
        assertThat(latency.getMax()).isEqualTo(7_000_000);
    }

    @Test
    void moreThanTheBurstOfUpdatesIsRejectedWith429() throws Exception {
        ThingId speaker = provision("speaker", "bob");
        // A clock that stands still: no token is refilled while the burst is spent.
        ShadowRequestHandler frozen = new ShadowRequestHandler(
                store.shadows(),
                TestStores.members(store),
                sink,
                new UpdateRateLimiter(20, 40, () -> 0L),
                new ShadowMetrics(registry),
                Clock.systemUTC());
        ShadowTopic update =
                ShadowTopic.parse("things/" + speaker + "/shadow/update").orElseThrow();

        for (int i = 0; i < 45; i++) {
            frozen.handle(
                            speaker,
                            update,
                            ("{\"state\":{\"reported\":{\"volume\":" + i + "}}}").getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        }

        assertThat(sink.sent)
                .filteredOn(sent -> sent.topic().endsWith("/update/accepted"))
                .hasSize(40);
        assertThat(sink.sent)
                .filteredOn(sent -> sent.topic().endsWith("/update/rejected"))
                .hasSize(5)
                .allSatisfy(
                        sent -> assertThat(sent.payload().get("code").asInt()).isEqualTo(429));
        assertThat(sink.last().payload().get("message").asText()).contains("20 updates/s per thing, burst 40");
    }

    @Test
    void getAnswersTheDocumentWithDeltaAndGetOfNothingIs404() throws Exception {
        ThingId fridge = provision("fridge", "carol");
        send(fridge, fridge, "get", "");
        assertThat(sink.last().topic()).endsWith("/get/rejected");
        assertThat(sink.last().payload().get("code").asInt()).isEqualTo(404);

        send(
                fridge,
                fridge,
                "update",
                "{\"state\":{\"reported\":{\"targetTemperature\":5},\"desired\":{\"targetTemperature\":3}}}");
        send(fridge, fridge, "get", "{\"clientToken\":\"g\"}");

        assertThat(sink.last().topic()).endsWith("/get/accepted");
        assertThat(sink.last().payload().at("/state/delta/targetTemperature").asInt())
                .isEqualTo(3);
        assertThat(sink.last().payload().get("clientToken").asText()).isEqualTo("g");
    }

    @Test
    void deleteAnswersTheDeletedVersion() throws Exception {
        ThingId washer = provision("washer", "dave");
        send(washer, washer, "update", "{\"state\":{\"reported\":{\"state\":\"idle\"}}}");

        send(washer, washer, "delete", "");

        assertThat(sink.last().topic()).endsWith("/delete/accepted");
        assertThat(sink.last().payload().get("version").asLong()).isEqualTo(1);
    }
}
