package io.shadowmq.store;

import io.shadowmq.model.access.Access;
import io.shadowmq.model.access.Grant;
import io.shadowmq.model.access.GrantJson;
import io.shadowmq.model.access.GrantRequest;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.grant.GrantStore;
import io.shadowmq.store.grant.HouseholdGuardException;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Household grants against a real Redis, with a manual clock for expiry: created, listed, found and revoked within
 * their household only, at most {@link GrantStore#MAX_GRANTS} of them; each change announced on the feed to every
 * node; and the household guard that answers from them, kept current by that feed on another store (another node).
 */
class GrantStoreTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final Requester ADMIN = Requester.admin();

    private TwoStores stores;
    private Owner owner;
    private ThingId speaker;
    private ThingId car;

    @BeforeEach
    void connect() {
        stores = new TwoStores(redis.uri());
        owner = freshOwner();
        speaker = freshThing("speaker");
        car = freshThing("car");
        provision(stores.store, speaker, "speaker", owner);
        provision(stores.store, car, "car", owner);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static GrantRequest request(String grantee, String target, List<String> write, Long expiresAt) {
        return new GrantRequest(grantee, target, List.of("range"), write, List.of(), expiresAt);
    }

    private GrantRequest heaterFor(ThingId grantee) {
        return request(grantee.value(), car.value(), List.of("cabin.heater.**"), null);
    }

    private Grant create(GrantRequest request) {
        return await(stores.store.grants().create(owner, request, ADMIN)).orElseThrow();
    }

    private static Rejection rejection(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<?>) outcome).rejection();
    }

    @Test
    void aGrantIsCreatedListedFoundAndRevoked() throws Exception {
        Grant grant = create(heaterFor(speaker));

        assertThat(grant.id()).matches("g-[A-Za-z0-9]{12}");
        assertThat(grant.owner()).isEqualTo(owner);
        assertThat(grant.grantee()).isEqualTo(speaker.value());
        assertThat(grant.write()).containsExactly("cabin.heater.**");
        assertThat(grant.createdAt()).isEqualTo(stores.clock.millis());
        assertThat(grant.createdBy()).isEqualTo("admin");
        stores.clock.advance(Duration.ofMillis(1)); // oldest first
        Grant second = create(request("type:speaker", "type:car", List.of(), null));
        assertThat(second.id()).isNotEqualTo(grant.id());

        assertThat(await(stores.store.grants().list(owner)).orElseThrow()).containsExactly(grant, second);
        assertThat(await(stores.other.grants().find(owner, grant.id())).orElseThrow())
                .isEqualTo(grant);
        assertThat(GrantJson.read(SafeJson.read(stores.store
                        .redis()
                        .<String, String>getMap(RedisKeys.grants(owner), StringCodec.INSTANCE)
                        .get(grant.id()))))
                .as("stored as GrantJson in the household's hash")
                .isEqualTo(grant);

        assertThat(await(stores.store.grants().revoke(owner, grant.id(), ADMIN)).orElseThrow())
                .isEqualTo(grant);
        assertThat(rejection(await(stores.store.grants().find(owner, grant.id()))))
                .isEqualTo(new Rejection(404, "no grant " + grant.id()));
        assertThat(rejection(await(stores.store.grants().revoke(owner, grant.id(), ADMIN)))
                        .code())
                .isEqualTo(404);
        assertThat(await(stores.store.grants().list(owner)).orElseThrow()).containsExactly(second);
    }

    @Test
    void anotherHouseholdSeesNoneOfItsGrantsAndNamesNoneOfItsThings() {
        Owner neighbour = freshOwner();
        ThingId theirs = freshThing("speaker");
        provision(stores.store, theirs, "speaker", neighbour);
        Grant grant = create(heaterFor(speaker));

        assertThat(rejection(await(stores.store.grants().find(neighbour, grant.id())))
                        .code())
                .isEqualTo(404);
        assertThat(rejection(await(stores.store.grants().revoke(neighbour, grant.id(), ADMIN)))
                        .code())
                .isEqualTo(404);
        assertThat(await(stores.store.grants().list(neighbour)).orElseThrow()).isEmpty();

        assertThat(rejection(await(stores.store.grants().create(owner, heaterFor(theirs), ADMIN))))
                .isEqualTo(new Rejection(404, "no thing " + theirs.value()));
        ThingId missing = freshThing("car");
        assertThat(rejection(await(stores.store
                        .grants()
                        .create(owner, request(speaker.value(), missing.value(), List.of(), null), ADMIN))))
                .isEqualTo(new Rejection(404, "no thing " + missing.value()));
        assertThat(await(stores.store.grants().list(owner)).orElseThrow()).containsExactly(grant);
    }

    @Test
    void aHouseholdHoldsAtMostMaxGrantsAndAnExpiredOneMakesRoom() {
        long now = stores.clock.millis();
        Map<String, String> full = new HashMap<>();
        for (int i = 0; i < GrantStore.MAX_GRANTS; i++) {
            Grant grant = new Grant(
                    "g-seed" + i,
                    owner,
                    speaker.value(),
                    car.value(),
                    List.of("range"),
                    List.of(),
                    List.of(),
                    i == 7 ? now + 1_000 : null,
                    now,
                    "admin");
            full.put(grant.id(), SafeJson.writeString(GrantJson.write(grant)));
        }
        stores.store
                .redis()
                .<String, String>getMap(RedisKeys.grants(owner), StringCodec.INSTANCE)
                .putAll(full);

        Rejection refused = rejection(await(stores.store.grants().create(owner, heaterFor(speaker), ADMIN)));
        assertThat(refused.code()).isEqualTo(409);
        assertThat(refused.message()).contains(Integer.toString(GrantStore.MAX_GRANTS));

        stores.clock.advance(Duration.ofSeconds(1)); // g-seed7 expires: the next create drops it and fits
        Grant created = create(heaterFor(speaker));
        List<Grant> listed = await(stores.store.grants().list(owner)).orElseThrow();
        assertThat(listed).hasSize(GrantStore.MAX_GRANTS).contains(created);
        assertThat(listed).extracting(Grant::id).doesNotContain("g-seed7");
        assertThat(rejection(await(stores.store.grants().create(owner, heaterFor(speaker), ADMIN)))
                        .code())
                .isEqualTo(409);
    }

    @Test
    void anExpiredGrantIsNeitherListedNorFoundNorRevoked() {
        Grant lasting = create(heaterFor(speaker));
        stores.clock.advance(Duration.ofMillis(1)); // oldest first
        Grant brief = create(request(speaker.value(), car.value(), List.of(), stores.clock.millis() + 59_999));
        assertThat(await(stores.store.grants().list(owner)).orElseThrow()).containsExactly(lasting, brief);

        stores.clock.advance(Duration.ofSeconds(60));

        assertThat(await(stores.store.grants().list(owner)).orElseThrow()).containsExactly(lasting);
        assertThat(rejection(await(stores.store.grants().find(owner, brief.id())))
                        .code())
                .isEqualTo(404);
        assertThat(rejection(await(stores.store.grants().revoke(owner, brief.id(), ADMIN)))
                        .code())
                .isEqualTo(404);
        assertThat(rejection(await(stores.store.grants().find(owner, "not a grant id")))
                        .code())
                .isEqualTo(404);
    }

    @Test
    void creatingAndRevokingIsAnnouncedToANodeThatWatchesNoneOfTheThings() {
        List<FeedEvent> seen = new CopyOnWriteArrayList<>();
        NodeFeed node = stores.other.nodeFeed("grants-" + System.nanoTime() % 1_000_000);
        try (FeedSubscription follow = stores.other.follow(node, seen::add)) {
            await(follow.ready());
            assertThat(node.watches(car)).isFalse();
            assertThat(node.watches(speaker)).isFalse();

            Grant grant = create(heaterFor(speaker));
            Grant typed = create(request("type:speaker", "type:car", List.of(), null));
            await(stores.store.grants().revoke(owner, grant.id(), ADMIN));

            await().atMost(Duration.ofSeconds(5)).until(() -> grantEvents(seen).size() == 3);
            List<FeedEvent> events = grantEvents(seen);
            assertThat(events).allSatisfy(event -> assertThat(event.owner()).isEqualTo(owner));
            assertThat(events.get(0).thing())
                    .as("a concrete target names the entry")
                    .isEqualTo(car);
            assertThat(events.get(0).body().get("change").asText()).isEqualTo("created");
            assertThat(events.get(0).body().get("grantId").asText()).isEqualTo(grant.id());
            assertThat(events.get(1).thing())
                    .as("a grant from a type to a type: the grant id")
                    .isEqualTo(ThingId.of(typed.id()));
            assertThat(events.get(2).body().get("change").asText()).isEqualTo("revoked");
            assertThat(events.get(2).body().get("grantId").asText()).isEqualTo(grant.id());
        }
    }

    private static List<FeedEvent> grantEvents(List<FeedEvent> seen) {
        return seen.stream().filter(e -> e.kind() == FeedEventKind.GRANTS).toList();
    }

    @Test
    void grantChangesAreAuditedWithTheirRequester() {
        Grant grant = create(heaterFor(speaker));
        await(stores.store.grants().revoke(owner, grant.id(), Requester.apiKey("k1", "tablet")));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> await(stores.store.audit().list(owner, 10, null))
                                .orElseThrow()
                                .size()
                        == 2);
        List<AuditEntry> entries =
                await(stores.store.audit().list(owner, 10, null)).orElseThrow();
        assertThat(entries)
                .extracting(AuditEntry::operation, AuditEntry::actor, AuditEntry::target, AuditEntry::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("revoke", "key:k1", grant.id(), 200),
                        org.assertj.core.groups.Tuple.tuple("grant", "admin", grant.id(), 200));
    }

    // ---- the household guard

    private Access access(ShadowStore store, ThingId member, ThingId target) {
        try {
            return store.household()
                    .access(member, target)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no access answered", e);
        }
    }

    @Test
    void theThingItselfHasFullAccessAtOnce() {
        assertThat(stores.store.household().access(car, car).toCompletableFuture())
                .isCompletedWithValue(Access.FULL);
    }

    @Test
    void aMemberHasTheModelsDefaultsUntilAGrantWidensThemAndLosesItOnRevocation() {
        Access defaults = access(stores.store, speaker, car);
        assertThat(defaults.isFull()).isFalse();
        assertThat(defaults.mayRead("range")).isTrue();
        assertThat(defaults.mayRead("location.latitude")).isFalse();
        assertThat(defaults.mayWrite("cabin.heater.isOn")).isFalse();
        assertThat(stores.store.household().access(speaker, car).toCompletableFuture())
                .as("warm: answered at once")
                .isCompletedWithValue(defaults);

        Grant grant = create(heaterFor(speaker));
        assertThat(access(stores.store, speaker, car).mayWrite("cabin.heater.isOn"))
                .as("the creating store forgot its cached grants at once")
                .isTrue();

        await(stores.store.grants().revoke(owner, grant.id(), ADMIN));
        assertThat(access(stores.store, speaker, car).mayWrite("cabin.heater.isOn"))
                .isFalse();
    }

    @Test
    void aHouseholdsGrantsAreAnsweredFromMemoryUntilForgotten() {
        create(heaterFor(speaker));
        assertThat(access(stores.other, speaker, car).mayWrite("cabin.heater.isOn"))
                .isTrue();
        // Gone from Redis without a word on the feed (as if revoked by a process that died before announcing it).
        stores.store.redis().getKeys().delete(RedisKeys.grants(owner));

        assertThat(access(stores.other, speaker, car).mayWrite("cabin.heater.isOn"))
                .as("cached")
                .isTrue();
        stores.other.household().forget(owner);
        assertThat(access(stores.other, speaker, car).mayWrite("cabin.heater.isOn"))
                .isFalse();
    }

    @Test
    void aGrantByTypeAppliesToEveryThingOfTheTypeAndNoOther() {
        ThingId otherCar = freshThing("car");
        provision(stores.store, otherCar, "car", owner);
        create(request("type:speaker", "type:car", List.of("cabin.heater.**"), null));

        assertThat(access(stores.store, speaker, car).mayWrite("cabin.heater.isOn"))
                .isTrue();
        assertThat(access(stores.store, speaker, otherCar).mayWrite("cabin.heater.isOn"))
                .isTrue();
        assertThat(access(stores.store, otherCar, car).mayWrite("cabin.heater.isOn"))
                .as("a car is no speaker")
                .isFalse();
    }

    @Test
    void aGrantStopsApplyingWhenItExpiresWithoutAnyoneForgettingIt() {
        create(request(speaker.value(), car.value(), List.of("cabin.heater.**"), stores.clock.millis() + 5_000));
        assertThat(access(stores.store, speaker, car).mayWrite("cabin.heater.isOn"))
                .isTrue();

        stores.clock.advance(Duration.ofSeconds(5));

        assertThat(access(stores.store, speaker, car).mayWrite("cabin.heater.isOn"))
                .isFalse();
    }

    @Test
    void anotherNodeHearsOfGrantAndRevocationOnTheFeedWithinItsCacheLifetime() {
        NodeFeed node = stores.other.nodeFeed("guard-" + System.nanoTime() % 1_000_000);
        try (FeedSubscription follow = stores.other.follow(node, event -> {})) {
            await(follow.ready());
            assertThat(access(stores.other, speaker, car).mayWrite("cabin.heater.isOn"))
                    .as("cached on the other node before the grant")
                    .isFalse();

            Grant grant = create(heaterFor(speaker));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> access(stores.other, speaker, car).mayWrite("cabin.heater.isOn"));

            await(stores.store.grants().revoke(owner, grant.id(), ADMIN));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !access(stores.other, speaker, car).mayWrite("cabin.heater.isOn"));
        }
    }

    @Test
    void anUnknownThingIsRefusedAndNotRememberedAsUnknown() {
        ThingId later = freshThing("speaker");
        var refused = stores.store.household().access(later, car).toCompletableFuture();
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(error ->
                        assertThat(HouseholdGuardException.of(error).code()).isEqualTo(404));

        provision(stores.store, later, "speaker", owner);
        assertThat(access(stores.store, later, car).mayRead("range")).isTrue();
    }

    @Test
    void aThingOfAnotherHouseholdIsRefused() {
        ThingId theirs = freshThing("speaker");
        provision(stores.store, theirs, "speaker", freshOwner());
        assertThatThrownBy(() -> stores.store
                        .household()
                        .access(theirs, car)
                        .toCompletableFuture()
                        .join())
                .isInstanceOf(CompletionException.class)
                .satisfies(error -> assertThat(HouseholdGuardException.of(error))
                        .isEqualTo(new Rejection(404, "no thing " + car.value())));
    }
}
