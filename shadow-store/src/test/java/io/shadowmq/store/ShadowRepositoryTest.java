package io.shadowmq.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

class ShadowRepositoryTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore store = redis.store();

    private ThingId car() {
        ThingId car = freshThing("car");
        provision(store, car, "car", freshOwner());
        return car;
    }

    @Test
    void anAcceptedUpdateIsStoredWithVersionOneAndReadBack() {
        ThingId car = car();

        UpdateOutcome outcome = await(store.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":420}}}")));

        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
        assertThat(((UpdateOutcome.Accepted) outcome).current().version()).isEqualTo(1);
        ShadowDocument stored = await(store.shadows().get(car)).orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.reported().get("range").asInt()).isEqualTo(420);
    }

    @Test
    void everyAcceptedUpdateIncrementsTheVersionByExactlyOne() {
        ThingId car = car();

        for (int i = 1; i <= 5; i++) {
            UpdateOutcome outcome = await(store.shadows()
                    .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":" + i + "}}}")));
            assertThat(((UpdateOutcome.Accepted) outcome).current().version()).isEqualTo(i);
        }
    }

    @Test
    void aStaleVersionIsRejectedWith409AndChangesNothing() {
        ThingId car = car();
        await(store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":100}}}")));

        UpdateOutcome outcome = await(store.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":5}},\"version\":7}")));

        assertThat(rejection(outcome).code()).isEqualTo(409);
        assertThat(await(store.shadows().get(car))
                        .orElseThrow()
                        .reported()
                        .get("range")
                        .asInt())
                .isEqualTo(100);
    }

    @Test
    void theMatchingVersionIsAccepted() {
        ThingId car = car();
        await(store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":100}}}")));

        UpdateOutcome outcome = await(store.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":99}},\"version\":1}")));

        assertThat(((UpdateOutcome.Accepted) outcome).current().version()).isEqualTo(2);
    }

    @Test
    void aModelViolationIsRejectedWith422NamingThePropertyAndTheRule() {
        ThingId car = car();

        UpdateOutcome outcome = await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":35}}}}}")));

        assertThat(rejection(outcome).code()).isEqualTo(422);
        assertThat(rejection(outcome).message())
                .contains("cabin.heater.targetTemperature")
                .contains("28");
        assertThat(await(store.shadows().get(car))).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void anUnknownThingIs404() {
        UpdateOutcome outcome = await(store.shadows()
                .update(freshThing("ghost"), Requester.admin(), request("{\"state\":{\"reported\":{\"range\":1}}}")));

        assertThat(rejection(outcome).code()).isEqualTo(404);
    }

    @Test
    void aRetryWithTheSameClientTokenReturnsTheFirstResultInsteadOfApplyingTwice() {
        ThingId car = car();
        String body = "{\"state\":{\"reported\":{\"range\":300}},\"clientToken\":\"retry-1\"}";

        UpdateOutcome first = await(store.shadows().update(car, Requester.thing(car), request(body)));
        UpdateOutcome retry = await(store.shadows().update(car, Requester.thing(car), request(body)));

        assertThat(((UpdateOutcome.Accepted) first).current().version()).isEqualTo(1);
        assertThat(((UpdateOutcome.Accepted) retry).current().version()).isEqualTo(1);
        assertThat(await(store.shadows().get(car)).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void aClientTokenBelongsToItsRequesterAndADifferentRequestUnderItIsRefused() {
        ThingId washer = freshThing("washer");
        provision(store, washer, "washer", freshOwner());
        Requester car = Requester.thing(ThingId.of("car-of-" + washer.value()));
        Requester speaker = Requester.thing(ThingId.of("speaker-of-" + washer.value()));
        String wool = "{\"state\":{\"desired\":{\"program\":\"wool\"}},\"clientToken\":\"home-1\"}";
        String eco = "{\"state\":{\"desired\":{\"program\":\"eco\"}},\"clientToken\":\"home-1\"}";

        UpdateOutcome byCar = await(store.shadows().update(washer, car, request(wool)));
        UpdateOutcome bySpeaker = await(store.shadows().update(washer, speaker, request(eco)));
        UpdateOutcome carAgain = await(store.shadows().update(washer, car, request(wool)));
        UpdateOutcome carReusing = await(store.shadows().update(washer, car, request(eco)));

        assertThat(((UpdateOutcome.Accepted) byCar).current().version()).isEqualTo(1);
        assertThat(((UpdateOutcome.Accepted) bySpeaker).current().version()).isEqualTo(2);
        assertThat(((UpdateOutcome.Accepted) carAgain).current().version()).isEqualTo(1);
        assertThat(rejection(carReusing)).isEqualTo(Rejection.clientTokenReused("home-1"));
        ShadowDocument stored = await(store.shadows().getLatest(washer)).orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.desired().get("program").asText()).isEqualTo("eco");
    }

    @Test
    void aRetryOfAVersionedUpdateIsReplayedAlthoughTheVersionMovedOnAndAReusedTokenWinsOverModelChecks() {
        ThingId car = car();
        Requester self = Requester.thing(car);
        String versioned = "{\"state\":{\"reported\":{\"range\":300}},\"version\":0,\"clientToken\":\"v-1\"}";

        await(store.shadows().update(car, self, request(versioned)));
        UpdateOutcome retry = await(store.shadows().update(car, self, request(versioned)));
        UpdateOutcome invalidUnderUsedToken = await(store.shadows()
                .update(car, self, request("{\"state\":{\"desired\":{\"range\":1}},\"clientToken\":\"v-1\"}")));

        assertThat(((UpdateOutcome.Accepted) retry).current().version()).isEqualTo(1);
        assertThat(rejection(invalidUnderUsedToken).code()).isEqualTo(409);
    }

    @Test
    void deletingKeepsTheVersionSoTheNextShadowContinuesFromIt() {
        ThingId car = car();
        await(store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":1}}}")));
        await(store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":2}}}")));

        Outcome<Long> deleted = await(store.shadows().delete(car));
        Outcome<ShadowDocument> afterDelete = await(store.shadows().get(car));
        UpdateOutcome next = await(
                store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":3}}}")));

        assertThat(deleted.orElseThrow()).isEqualTo(2);
        assertThat(((Outcome.Rejected<ShadowDocument>) afterDelete).rejection().code())
                .isEqualTo(404);
        assertThat(((UpdateOutcome.Accepted) next).current().version()).isEqualTo(3);
        assertThat(((UpdateOutcome.Accepted) next).current().reported().has("range"))
                .isTrue();
        assertThat(await(store.shadows().delete(freshThing("ghost")))).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void requestsOfOneThingAreAppliedInSubmissionOrder() {
        ThingId car = car();
        List<CompletableFuture<UpdateOutcome>> outcomes = new ArrayList<>();

        for (int i = 1; i <= 1000; i++) {
            outcomes.add(store.shadows()
                    .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":" + i + "}}}"))
                    .toCompletableFuture());
        }

        for (int i = 1; i <= 1000; i++) {
            UpdateOutcome.Accepted accepted = (UpdateOutcome.Accepted) await(outcomes.get(i - 1));
            assertThat(accepted.current().version()).isEqualTo(i);
            assertThat(accepted.current().reported().get("range").asInt()).isEqualTo(i);
        }
        assertThat(await(store.shadows().get(car))
                        .orElseThrow()
                        .reported()
                        .get("range")
                        .asInt())
                .isEqualTo(1000);
    }

    @Test
    void twoProcessesRacingOnOneThingNeverLoseAnUpdate() throws Exception {
        // Two stores = two Redisson clients with their own caches, like the extension and the REST service.
        ThingId speaker = freshThing("speaker");
        Owner owner = freshOwner();
        provision(store, speaker, "speaker", owner);
        int perWriter = 150;
        try (ShadowStore other = StoreFixture.connect(redis.uri())) {
            List<CompletableFuture<UpdateOutcome>> all = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                ShadowStore writer = w % 2 == 0 ? store : other;
                boolean desired = w >= 2;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String section = desired ? "desired" : "reported";
                        CompletableFuture<UpdateOutcome> f = writer.shadows()
                                .update(
                                        speaker,
                                        Requester.thing(speaker),
                                        request("{\"state\":{\"" + section + "\":{\"volume\":" + (i % 100) + "}}}"))
                                .toCompletableFuture();
                        synchronized (all) {
                            all.add(f);
                        }
                    }
                });
                writers.add(thread);
                thread.start();
            }
            for (Thread thread : writers) {
                thread.join();
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);

            List<Long> versions = new ArrayList<>();
            for (CompletableFuture<UpdateOutcome> f : all) {
                assertThat(f.join()).isInstanceOf(UpdateOutcome.Accepted.class);
                versions.add(((UpdateOutcome.Accepted) f.join()).current().version());
            }
            // Every accepted version appears exactly once: 1..N with no gap and no duplicate.
            assertThat(versions).doesNotHaveDuplicates().hasSize(4 * perWriter);
            assertThat(versions.stream().mapToLong(Long::longValue).max().orElseThrow())
                    .isEqualTo(4L * perWriter);
            assertThat(await(store.shadows().get(speaker)).orElseThrow().version())
                    .isEqualTo(4L * perWriter);
        }
    }

    @Test
    void concurrentWritersOfDisjointPropertiesAllEndUpInTheFinalState() throws Exception {
        ThingId car = car();
        try (ShadowStore other = StoreFixture.connect(redis.uri())) {
            String[] doors = {"frontLeft", "frontRight", "rearLeft", "rearRight"};
            List<CompletableFuture<UpdateOutcome>> all = new ArrayList<>();
            for (int d = 0; d < doors.length; d++) {
                ShadowStore writer = d % 2 == 0 ? store : other;
                all.add(writer.shadows()
                        .update(
                                car,
                                Requester.thing(car),
                                request("{\"state\":{\"desired\":{\"doors\":{\"" + doors[d]
                                        + "\":{\"isLocked\":true}}}}}"))
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(20, java.util.concurrent.TimeUnit.SECONDS);

            JsonNode desired = await(store.shadows().get(car)).orElseThrow().desired();
            for (String door : doors) {
                assertThat(desired.at("/doors/" + door + "/isLocked").asBoolean())
                        .as(door)
                        .isTrue();
            }
        }
    }

    private static Rejection rejection(UpdateOutcome outcome) {
        assertThat(outcome).isInstanceOf(UpdateOutcome.Rejected.class);
        return ((UpdateOutcome.Rejected) outcome).rejection();
    }
}
