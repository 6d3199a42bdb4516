package io.shadowmq.store;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StoreConfig#withSearchIndex(boolean) withSearchIndex(false)} (what the benchmark's {@code index-cost} compares
 * with) really leaves the index alone on updates: a store without it commits updates that never reach the index's
 * record or value sets, while a store with it (the default) on the same Redis indexes the same thing's next update.
 */
class SearchIndexSwitchTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private static final String FUEL = "state.reported.fuel.level";

    private static ShadowStore withoutIndex;

    @BeforeAll
    static void connect() {
        withoutIndex =
                ShadowStore.connect(StoreFixture.config(redis.uri()).withSearchIndex(false), StoreFixture.MODELS);
    }

    @AfterAll
    static void close() {
        withoutIndex.close();
    }

    @Test
    void theDefaultIndexesUpdates() {
        assertThat(StoreFixture.config(redis.uri()).searchIndex()).isTrue();
    }

    @Test
    void updatesOfAStoreWithoutTheIndexAreCommittedButNotIndexed() {
        ThingId car = StoreFixture.freshThing("car");
        provision(withoutIndex, car, "car", StoreFixture.freshOwner());
        String provisioned = record(car);
        assertThat(provisioned)
                .as("provisioning indexes type and owner either way")
                .isNotNull();

        update(withoutIndex, car, 5);
        assertThat(await(withoutIndex.shadows().get(car)).orElseThrow().version())
                .as("the update was committed")
                .isPositive();
        assertThat(record(car)).as("the record is the one provisioning wrote").isEqualTo(provisioned);
        assertThat(fuelScore(car)).as("not in the fuel level's set").isNull();

        update(redis.store(), car, 7);
        assertThat(record(car)).as("the indexing store's update is indexed").contains(FUEL);
        assertThat(fuelScore(car)).isEqualTo(7.0);

        update(withoutIndex, car, 3);
        assertThat(fuelScore(car))
                .as("the non-indexing store's next update leaves the index as it was")
                .isEqualTo(7.0);
    }

    private static void update(ShadowStore store, ThingId car, int level) {
        UpdateOutcome outcome = await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        request("{\"state\":{\"reported\":{\"fuel\":{\"level\":" + level + "}}}}")));
        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
    }

    private static String record(ThingId thing) {
        return redis.store()
                .redis()
                .<String, String>getMap(RedisKeys.searchRecords(), StringCodec.INSTANCE)
                .get(thing.value());
    }

    private static Double fuelScore(ThingId thing) {
        return redis.store()
                .redis()
                .<String>getScoredSortedSet(RedisKeys.SEARCH_INDEX_PREFIX + "n:" + FUEL, StringCodec.INSTANCE)
                .getScore(thing.value());
    }
}
