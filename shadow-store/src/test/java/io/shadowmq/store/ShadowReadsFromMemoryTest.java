package io.shadowmq.store;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A store that follows the change feed answers shadow reads from memory, and never with something the feed has
 * already overtaken. One store writes (as a broker would), another follows and reads (as the REST service does).
 */
class ShadowReadsFromMemoryTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore writer = redis.store();
    private ShadowStore reader;
    private FeedSubscription follow;
    private ThingId car;
    private Owner owner;

    @BeforeEach
    void followingReader() {
        reader = StoreFixture.connect(redis.uri());
        follow = reader.follow(event -> {});
        StoreFixture.await(follow.ready());
        car = freshThing("car");
        owner = freshOwner();
        provision(writer, car, "car", owner);
        StoreFixture.await(writer.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":100}}}")));
    }

    @AfterEach
    void close() {
        follow.close();
        reader.close();
    }

    @Test
    void theFirstReadAsksRedisTheNextAreAnsweredFromMemory() {
        assertThat(version(reader)).isEqualTo(1);
        long fromStore = reader.shadows().readsFromStore();

        assertThat(version(reader)).isEqualTo(1);
        assertThat(version(reader)).isEqualTo(1);

        assertThat(reader.shadows().readsFromStore()).isEqualTo(fromStore);
        assertThat(reader.shadows().readsFromMemory()).isEqualTo(2);
    }

    @Test
    void anotherProcesssChangeIsReadAsSoonAsTheFeedDeliversIt() {
        assertThat(version(reader)).isEqualTo(1);

        StoreFixture.await(writer.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":90}}}")));

        await().atMost(Duration.ofSeconds(5)).until(() -> version(reader) == 2);
        ShadowDocument read = StoreFixture.await(reader.shadows().get(car)).orElseThrow();
        assertThat(read.reported().get("range").asInt()).isEqualTo(90);
    }

    @Test
    void aShadowDeletedElsewhereIsGoneFromMemoryToo() {
        assertThat(version(reader)).isEqualTo(1);

        StoreFixture.await(writer.shadows().delete(car));

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Outcome<ShadowDocument> read = StoreFixture.await(reader.shadows().get(car));
            return read instanceof Outcome.Rejected<ShadowDocument> missing
                    && missing.rejection().code() == 404;
        });
    }

    @Test
    void aReadSlowerThanTheFeedIsNotKept() {
        assertThat(version(reader)).isEqualTo(1);
        long fromStore = reader.shadows().readsFromStore();

        // The feed says version 5 exists while Redis (in this test) still has version 1: what a read brings back
        // from Redis after that is older than what the feed announced, so it answers but is not remembered.
        reader.shadows()
                .observe(new FeedEvent(
                        "9-0",
                        0,
                        FeedEventKind.SHADOW_UPDATED,
                        car,
                        owner,
                        5,
                        SafeJson.object().put("timestamp", 1)));

        assertThat(version(reader)).isEqualTo(1);
        assertThat(version(reader)).isEqualTo(1);
        assertThat(reader.shadows().readsFromStore()).isEqualTo(fromStore + 2);
    }

    @Test
    void getLatestAlwaysAsksRedis() {
        assertThat(version(reader)).isEqualTo(1);
        long fromStore = reader.shadows().readsFromStore();

        Outcome<ShadowDocument> latest = StoreFixture.await(reader.shadows().getLatest(car));

        assertThat(latest.orElseThrow().version()).isEqualTo(1);
        assertThat(reader.shadows().readsFromStore()).isEqualTo(fromStore + 1);
    }

    @Test
    void withoutAFollowThatKeepsUpEveryReadAsksRedis() {
        follow.close();
        long fromMemory = reader.shadows().readsFromMemory();

        assertThat(version(reader)).isEqualTo(1);
        StoreFixture.await(writer.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":80}}}")));
        assertThat(version(reader)).as("no feed delay: straight from Redis").isEqualTo(2);

        assertThat(reader.shadows().readsFromMemory()).isEqualTo(fromMemory);
        assertThat(follow.liveSince()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void whatWasLearnedLongerAgoThanMemoryReadsForIsReadFromRedisAgain() {
        AtomicLong nanos = new AtomicLong(System.nanoTime());
        try (ShadowStore briefMemory = ShadowStore.connect(
                        StoreFixture.config(redis.uri()).withMemoryReadsFor(Duration.ofMillis(200)),
                        StoreFixture.MODELS,
                        Clock.systemUTC(),
                        nanos::get);
                FeedSubscription briefFollow = briefMemory.follow(event -> {})) {
            StoreFixture.await(briefFollow.ready());
            assertThat(version(briefMemory)).isEqualTo(1);
            assertThat(version(briefMemory)).isEqualTo(1);
            assertThat(briefMemory.shadows().readsFromMemory()).isEqualTo(1);
            long fromStore = briefMemory.shadows().readsFromStore();

            nanos.addAndGet(Duration.ofMillis(300).toNanos()); // the follow still keeps up: well within LIVE_WITHIN

            assertThat(version(briefMemory)).isEqualTo(1);
            assertThat(briefMemory.shadows().readsFromStore()).isEqualTo(fromStore + 1);
        }
    }

    private long version(ShadowStore store) {
        return StoreFixture.await(store.shadows().get(car)).orElseThrow().version();
    }
}
