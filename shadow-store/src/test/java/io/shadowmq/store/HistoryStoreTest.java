package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.history.HistoryBucket;
import io.shadowmq.store.history.HistoryPoint;
import io.shadowmq.store.history.HistoryPolicy;
import io.shadowmq.store.history.HistoryQuery;
import io.shadowmq.store.history.PropertyHistory;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property's recent history against a real Redis: what the write path appended, read back per property and window,
 * downsampled, trimmed by count and by age, and gone with the thing.
 */
class HistoryStoreTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<ShadowStore> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ShadowStore::close);
    }

    private ShadowStore store(ManualClock clock, HistoryPolicy policy) {
        ShadowStore store =
                ShadowStore.connect(StoreFixture.config(redis.uri()).withHistory(policy), StoreFixture.MODELS, clock);
        opened.add(store);
        // It connects in the background: answering before the test starts.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!await(store.ping()).isOk() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return store;
    }

    private static ThingId car(ShadowStore store) {
        ThingId car = freshThing("car");
        provision(store, car, "car", freshOwner());
        return car;
    }

    private static long report(ShadowStore store, ThingId car, String reported) {
        UpdateOutcome outcome = await(store.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":" + reported + "}}")));
        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
        return ((UpdateOutcome.Accepted) outcome).current().version();
    }

    private static Outcome<PropertyHistory> read(
            ShadowStore store, ThingId car, String path, Long from, Long to, Integer limit, Duration every) {
        HistoryQuery query = HistoryQuery.of(path, from, to, limit, every).orElseThrow();
        return await(store.history().read(car, query));
    }

    private static PropertyHistory points(ShadowStore store, ThingId car, String path) {
        return read(store, car, path, null, null, null, null).orElseThrow();
    }

    private static List<String> values(PropertyHistory history) {
        return history.points().stream().map(point -> point.value().toString()).toList();
    }

    @Test
    void eachPropertysValuesComeBackOldestFirstWithTheirVersionsAndTimestamps() {
        ManualClock clock = ManualClock.atNow();
        ShadowStore store = store(clock, HistoryPolicy.DEFAULT);
        ThingId car = car(store);
        long t0 = clock.millis();

        long v1 = report(store, car, "{\"cabin\":{\"temperature\":20.5},\"range\":400}");
        clock.advance(Duration.ofSeconds(1));
        long v2 = report(store, car, "{\"range\":390}");
        clock.advance(Duration.ofSeconds(1));
        long v3 = report(store, car, "{\"cabin\":{\"temperature\":21}}");
        clock.advance(Duration.ofSeconds(1));
        report(store, car, "{\"cabin\":{\"temperature\":21}}"); // unchanged: no point
        long v5 = report(store, car, "{\"cabin\":{\"temperature\":null}}");

        PropertyHistory temperature = points(store, car, "state.reported.cabin.temperature");
        assertThat(temperature.thing()).isEqualTo(car);
        assertThat(temperature.every()).isNull();
        assertThat(temperature.points()).extracting(HistoryPoint::version).containsExactly(v1, v3, v5);
        assertThat(temperature.points()).extracting(HistoryPoint::timestamp).containsExactly(t0, t0 + 2000, t0 + 3000);
        assertThat(values(temperature)).containsExactly("20.5", "21", "null");
        assertThat(points(store, car, "state.reported.range").points())
                .extracting(HistoryPoint::version)
                .containsExactly(v1, v2);

        // the window and the limit
        assertThat(read(store, car, "state.reported.cabin.temperature", t0 + 1, t0 + 2000, null, null)
                        .orElseThrow()
                        .points())
                .extracting(HistoryPoint::version)
                .containsExactly(v3);
        assertThat(read(store, car, "state.reported.cabin.temperature", null, null, 2, null)
                        .orElseThrow()
                        .points())
                .extracting(HistoryPoint::version)
                .containsExactly(v1, v3);
        // a value never reported: no points
        assertThat(points(store, car, "state.reported.fuel.level").points()).isEmpty();
    }

    @Test
    void bucketsAreAlignedToTheEpochWithMinMaxAvgLastAndCount() {
        long minute = 60_000;
        long base = (System.currentTimeMillis() / minute) * minute - 3 * minute;
        ManualClock clock = new ManualClock(base + 5_000);
        ShadowStore store = store(clock, HistoryPolicy.DEFAULT);
        ThingId car = car(store);

        report(store, car, "{\"range\":400,\"doors\":{\"frontLeft\":{\"isOpen\":true}}}"); // base+5s
        clock.advance(Duration.ofSeconds(20));
        report(store, car, "{\"range\":410,\"doors\":{\"frontLeft\":{\"isOpen\":false}}}"); // base+25s
        clock.advance(Duration.ofSeconds(20));
        report(store, car, "{\"range\":403}"); // base+45s
        clock.advance(Duration.ofSeconds(70));
        report(store, car, "{\"range\":380}"); // base+115s: the second minute
        clock.advance(Duration.ofSeconds(10));
        report(store, car, "{\"range\":null}"); // base+125s: the third minute, removed

        PropertyHistory range = read(
                        store, car, "state.reported.range", base, base + 5 * minute, null, Duration.ofSeconds(60))
                .orElseThrow();
        assertThat(range.every()).isEqualTo(Duration.ofSeconds(60));
        assertThat(range.points()).isEmpty();
        assertThat(range.buckets())
                .extracting(HistoryBucket::from)
                .containsExactly(base, base + minute, base + 2 * minute);
        HistoryBucket first = range.buckets().get(0);
        assertThat(first.min().asInt()).isEqualTo(400);
        assertThat(first.max().asInt()).isEqualTo(410);
        assertThat(first.avg()).isEqualTo((400 + 410 + 403) / 3.0);
        assertThat(first.last().asInt()).isEqualTo(403);
        assertThat(first.count()).isEqualTo(3);
        HistoryBucket second = range.buckets().get(1);
        assertThat(List.of(
                        second.min().asInt(),
                        second.max().asInt(),
                        second.last().asInt(),
                        second.count()))
                .containsExactly(380, 380, 380, 1);
        assertThat(second.avg()).isEqualTo(380.0);
        HistoryBucket removed = range.buckets().get(2);
        assertThat(removed.min()).isNull();
        assertThat(removed.avg()).isNull();
        assertThat(removed.last().isNull()).isTrue();
        assertThat(removed.count()).isEqualTo(1);

        // two-minute buckets; the limit caps the buckets
        assertThat(read(store, car, "state.reported.range", null, null, 1, Duration.ofMinutes(2))
                        .orElseThrow()
                        .buckets())
                .singleElement()
                .satisfies(bucket -> {
                    assertThat(bucket.from()).isEqualTo(Math.floorDiv(base, 2 * minute) * 2 * minute);
                    assertThat(bucket.count()).isEqualTo(base % (2 * minute) == 0 ? 4 : 3);
                });

        // not numeric: last and count only
        HistoryBucket door = read(
                        store, car, "state.reported.doors.frontLeft.isOpen", null, null, null, Duration.ofMinutes(1))
                .orElseThrow()
                .buckets()
                .get(0);
        assertThat(door.min()).isNull();
        assertThat(door.max()).isNull();
        assertThat(door.avg()).isNull();
        assertThat(door.last().asBoolean()).isFalse();
        assertThat(door.count()).isEqualTo(2);
    }

    @Test
    void theNewestMaxPointsAreKept() {
        ManualClock clock = ManualClock.atNow();
        ShadowStore store = store(clock, new HistoryPolicy(3, Duration.ofDays(7)));
        ThingId car = car(store);
        for (int i = 1; i <= 6; i++) {
            report(store, car, "{\"range\":" + (100 + i) + "}");
        }

        assertThat(values(points(store, car, "state.reported.range"))).containsExactly("104", "105", "106");
        assertThat(store.redis().getStream(RedisKeys.history(car)).size()).isEqualTo(3);
    }

    @Test
    void pointsOlderThanTheRetentionAreNeverAnswered() {
        long now = System.currentTimeMillis();
        ManualClock clock = new ManualClock(now - Duration.ofDays(8).toMillis());
        ShadowStore store = store(clock, new HistoryPolicy(100, Duration.ofDays(7)));
        ThingId car = car(store);
        report(store, car, "{\"range\":300}");
        clock.advance(Duration.ofDays(7).minusHours(1));
        report(store, car, "{\"range\":310}");
        clock.advance(Duration.ofHours(2));
        report(store, car, "{\"range\":320}");

        assertThat(values(points(store, car, "state.reported.range"))).containsExactly("310", "320");
        assertThat(values(read(store, car, "state.reported.range", 0L, null, null, null)
                        .orElseThrow()))
                .containsExactly("310", "320");

        clock.advance(Duration.ofDays(7).minusHours(1));
        assertThat(values(points(store, car, "state.reported.range"))).containsExactly("320");
    }

    @Test
    void aDeprovisionedThingLosesItsHistory() {
        ShadowStore store = store(ManualClock.atNow(), HistoryPolicy.DEFAULT);
        ThingId car = car(store);
        report(store, car, "{\"range\":300}");
        assertThat(store.redis().getStream(RedisKeys.history(car)).isExists()).isTrue();

        assertThat(await(store.things().deprovision(car)).isOk()).isTrue();

        assertThat(store.redis().getStream(RedisKeys.history(car)).isExists()).isFalse();
        assertThat(code(read(store, car, "state.reported.range", null, null, null, null)))
                .isEqualTo(Rejection.NO_SHADOW);
        // provisioned again under the same id: a history of its own
        provision(store, car, "car", freshOwner());
        report(store, car, "{\"range\":5}");
        assertThat(values(points(store, car, "state.reported.range"))).containsExactly("5");
    }

    @Test
    void aPathOutsideTheModelOrAnObjectIsRefusedNamingIt() {
        ShadowStore store = store(ManualClock.atNow(), HistoryPolicy.DEFAULT);
        ThingId car = car(store);

        assertThat(message(read(store, car, "state.reported.cabin.humidity", null, null, null, null)))
                .isEqualTo("path: state.reported.cabin.humidity is not a property of the thing model car");
        assertThat(message(read(store, car, "state.reported.cabin", null, null, null, null)))
                .startsWith("path: state.reported.cabin is an object");
        assertThat(code(read(store, freshThing("ghost"), "state.reported.range", null, null, null, null)))
                .isEqualTo(Rejection.NO_SHADOW);
    }

    @Test
    void queriesAreCheckedNamingTheBadParameter() {
        assertThat(message(HistoryQuery.of("state.desired.range", null, null, null, null)))
                .startsWith("path: must name a reported value as state.reported.<property>");
        assertThat(message(HistoryQuery.of("state.reported.", null, null, null, null)))
                .startsWith("path: ");
        assertThat(message(HistoryQuery.of("state.reported.range", null, null, 10_001, null)))
                .isEqualTo("limit: must be 1..10000, was 10001");
        assertThat(message(HistoryQuery.of("state.reported.range", 0L, null, 0, null)))
                .isEqualTo("limit: must be 1..10000, was 0");
        assertThat(message(HistoryQuery.of("state.reported.range", 5L, 4L, null, null)))
                .isEqualTo("from: 5 is after to: 4");
        assertThat(message(HistoryQuery.parseEvery("500ms"))).startsWith("every: must be a duration from 1s to 168h");
        assertThat(message(HistoryQuery.parseEvery("soon")))
                .startsWith("every: ")
                .endsWith("is 'soon'");
        assertThat(HistoryQuery.parseEvery("60s").orElseThrow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(HistoryQuery.parseEvery("5m").orElseThrow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(HistoryQuery.parseEvery("1h").orElseThrow()).isEqualTo(Duration.ofHours(1));
        assertThat(HistoryQuery.of("state.reported.range", null, null, null, null)
                        .orElseThrow()
                        .limit())
                .isEqualTo(HistoryQuery.DEFAULT_LIMIT);
    }

    private static int code(Outcome<?> outcome) {
        return ((Outcome.Rejected<?>) outcome).rejection().code();
    }

    private static String message(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        Rejection rejection = ((Outcome.Rejected<?>) outcome).rejection();
        assertThat(rejection.code()).isEqualTo(Rejection.MALFORMED);
        return rejection.message();
    }
}
