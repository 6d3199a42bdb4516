package io.shadowmq.store;

import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.due.DueMember;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Desired values with a lifecycle, against a real Redis: who set them, refusals, and expiry by the due-index sweep
 * with nobody connected, exactly once however many stores sweep.
 */
class DesiredExpiryTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /** 06:30 UTC, 2 Dec 2026. */
    private static final long T0 = 1_796_193_000_000L;

    private final ManualClock clock = new ManualClock(T0);
    private ShadowStore store;
    private ShadowStore other;

    @BeforeEach
    void connect() {
        store = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS, clock);
        other = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS, clock);
        // Each test's clock starts at T0 again: what earlier tests left due would be due here too.
        store.redis().getKeys().deleteByPattern("smq:due:*");
    }

    @AfterEach
    void close() {
        store.close();
        other.close();
    }

    private ThingId car(Owner owner) {
        ThingId car = freshThing("car");
        provision(store, car, "car", owner);
        await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"state\":{\"reported\":{\"cabin\":{\"heater\":" + "{\"isOn\":false}}}}}")));
        return car;
    }

    private UpdateOutcome.Accepted heaterOn(ThingId car, Requester by, String ttl) {
        return (UpdateOutcome.Accepted) await(store.shadows()
                .update(
                        car,
                        by,
                        request("{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}" + ttl + "}")));
    }

    private ShadowDocument latest(ShadowStore from, ThingId car) {
        return await(from.shadows().getLatest(car)).orElseThrow();
    }

    private Optional<Long> dueAt(ThingId car) {
        return await(store.due().dueAt(car, DueMember.of(DueMember.DESIRED, car).member()))
                .orElseThrow();
    }

    @Test
    void setByIsTheRequestersNameAndTheModelsTtlSchedulesTheThingForTheSweep() {
        ThingId car = car(freshOwner());

        heaterOn(car, Requester.apiKey("k3f9a0c", "kitchen tablet"), "");

        ShadowDocument doc = latest(store, car);
        assertThat(doc.desiredMetadata().at("/cabin/heater/isOn/setBy").textValue())
                .isEqualTo("kitchen tablet");
        // the car's model gives heater wishes an hour
        long expiresAt = T0 + Duration.ofHours(1).toMillis();
        assertThat(doc.desiredMetadata().at("/cabin/heater/isOn/expiresAt").longValue())
                .isEqualTo(expiresAt);
        assertThat(dueAt(car)).contains(expiresAt);
    }

    @Test
    void aTtldDesiredValueExpiresWithNobodyConnected() {
        // given a heater wish of the admin for 60 s, and nobody connected anywhere
        ThingId car = car(freshOwner());
        long version =
                heaterOn(car, Requester.admin(), ",\"ttlSeconds\":60").current().version();

        // when a sweep runs a millisecond too early
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        await(store.sweeper().sweep());

        // then nothing changes, not even the version
        assertThat(latest(store, car).version()).isEqualTo(version);
        assertThat(latest(store, car).desired().at("/cabin/heater/isOn").booleanValue())
                .isTrue();

        // when the sweep runs at the expiry
        clock.advance(Duration.ofMillis(1));
        assertThat(await(store.sweeper().sweep())).isEqualTo(1);

        // then
        ShadowDocument expired = latest(store, car);
        assertThat(expired.version()).isEqualTo(version + 1);
        assertThat(expired.desired()).isEmpty();
        assertThat(expired.delta()).isEmpty();
        assertThat(expired.desiredOutcomes().get("cabin.heater.isOn").toString())
                .isEqualTo("{\"status\":\"expired\",\"value\":true,\"setBy\":\"admin\",\"setAt\":" + T0 + ",\"at\":"
                        + (T0 + 60_000) + "}");
        assertThat(dueAt(car)).isEmpty();
        // and a later sweep finds nothing: no version is burnt
        clock.advance(Duration.ofMinutes(5));
        await(store.sweeper().sweep());
        assertThat(latest(store, car).version()).isEqualTo(version + 1);
    }

    @Test
    void aValueAppliedBeforeItsExpiryLeavesNothingToExpire() {
        ThingId car = car(freshOwner());
        heaterOn(car, Requester.admin(), ",\"ttlSeconds\":60");
        clock.advance(Duration.ofSeconds(10));
        UpdateOutcome.Accepted applied = (UpdateOutcome.Accepted) await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"state\":{\"reported\":{\"cabin\":{\"heater\":" + "{\"isOn\":true}}}}}")));
        assertThat(applied.current()
                        .desiredOutcomes()
                        .at("/cabin.heater.isOn/status")
                        .textValue())
                .isEqualTo("applied");

        clock.advance(Duration.ofMinutes(1));
        await(store.sweeper().sweep());

        assertThat(latest(store, car).version()).isEqualTo(applied.current().version());
        assertThat(latest(store, car)
                        .desiredOutcomes()
                        .at("/cabin.heater.isOn/status")
                        .textValue())
                .isEqualTo("applied");
        assertThat(dueAt(car)).isEmpty();
    }

    @Test
    void twoStoresSweepingAtOnceExpireEachValueExactlyOnce() {
        // given 20 cars with heater wishes for 30 s
        Owner owner = freshOwner();
        List<ThingId> cars = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ThingId car = car(owner);
            cars.add(car);
            versions.add(heaterOn(car, Requester.admin(), ",\"ttlSeconds\":30")
                    .current()
                    .version());
        }
        clock.advance(Duration.ofSeconds(30));

        // when both stores sweep at the same time
        CompletableFuture<Integer> first = store.sweeper().sweep().toCompletableFuture();
        CompletableFuture<Integer> second = other.sweeper().sweep().toCompletableFuture();

        // then every member was run once, and every value expired in exactly one new version
        assertThat(await(first) + await(second)).isEqualTo(20);
        for (int i = 0; i < cars.size(); i++) {
            ShadowDocument doc = latest(other, cars.get(i));
            assertThat(doc.version()).isEqualTo(versions.get(i) + 1);
            assertThat(doc.desired()).isEmpty();
            assertThat(doc.desiredOutcomes().at("/cabin.heater.isOn/status").textValue())
                    .isEqualTo("expired");
        }
    }

    @Test
    void twoStoresExpiringTheSameThingAtOnceCommitOneVersion() {
        // the compare-and-set, not only the claim, makes the expiry happen once
        ThingId car = car(freshOwner());
        long version =
                heaterOn(car, Requester.admin(), ",\"ttlSeconds\":30").current().version();
        clock.advance(Duration.ofSeconds(31));

        var first = store.shadows().expireDesired(car).toCompletableFuture();
        var second = other.shadows().expireDesired(car).toCompletableFuture();

        assertThat(await(first).orElseThrow()).isEmpty();
        assertThat(await(second).orElseThrow()).isEmpty();
        assertThat(latest(store, car).version()).isEqualTo(version + 1);
    }

    @Test
    void rejectDesiredEndsTheWishWithTheReasonAndAnUnknownPathIs422() {
        ThingId car = car(freshOwner());
        heaterOn(car, Requester.thing(ThingId.of("speaker-1")), "");

        UpdateOutcome unknown = await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"rejectDesired\":{\"cabin.seat.heat\":\"no seat heater\"}}")));
        UpdateOutcome refused = await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"rejectDesired\":{\"cabin.heater.isOn\":" + "\"battery below 10 %\"}}")));

        assertThat(((UpdateOutcome.Rejected) unknown).rejection())
                .isEqualTo(new Rejection(422, "rejectDesired.cabin.seat.heat: unknown property"));
        ShadowDocument doc = ((UpdateOutcome.Accepted) refused).current();
        assertThat(doc.desired()).isEmpty();
        assertThat(latest(other, car).desiredOutcomes().get("cabin.heater.isOn").toString())
                .isEqualTo("{\"status\":\"rejected\",\"value\":true,\"setBy\":\"speaker-1\",\"setAt\":" + T0
                        + ",\"at\":" + T0 + ",\"reason\":\"battery below 10 %\"}");
    }

    @Test
    void aDocumentStoredBeforeDesiredValuesHadALifecycleStillReadsAndItsWishIsApplied() {
        // given a shadow as a store wrote it before: desired metadata with a timestamp only, no outcomes
        ThingId car = freshThing("car");
        provision(store, car, "car", freshOwner());
        String old = "{\"state\":{\"reported\":{\"cabin\":{\"heater\":{\"isOn\":false}}},\"desired\":{\"cabin\":"
                + "{\"heater\":{\"isOn\":true}}}},\"metadata\":{\"reported\":{\"cabin\":{\"heater\":{\"isOn\":"
                + "{\"timestamp\":" + (T0 - 2) + "}}}},\"desired\":{\"cabin\":{\"heater\":{\"isOn\":{\"timestamp\":"
                + (T0 - 1) + "}}}}},\"version\":4,\"timestamp\":" + (T0 - 1) + "}";
        store.redis()
                .<String, String>getMap(RedisKeys.shadow(car), StringCodec.INSTANCE)
                .putAll(Map.of("doc", old, "version", "4"));

        // when it is read, and the car then reports the heater on
        ShadowDocument read = latest(store, car);
        UpdateOutcome.Accepted applied = (UpdateOutcome.Accepted) await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"state\":{\"reported\":{\"cabin\":{\"heater\":" + "{\"isOn\":true}}}}}")));

        // then
        assertThat(read.version()).isEqualTo(4);
        assertThat(read.desiredMetadata().at("/cabin/heater/isOn/timestamp").longValue())
                .isEqualTo(T0 - 1);
        assertThat(read.desiredOutcomes()).isEmpty();
        assertThat(applied.current().version()).isEqualTo(5);
        assertThat(applied.current().desired()).isEmpty();
        assertThat(latest(other, car).desiredOutcomes().get("cabin.heater.isOn").toString())
                .isEqualTo("{\"status\":\"applied\",\"value\":true,\"setAt\":" + (T0 - 1) + ",\"at\":" + T0 + "}");
    }
}
