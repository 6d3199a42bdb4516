package io.shadowmq.extension.auth;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The household: alice owns car-1, speaker-1 and fridge-1; bob owns bob-car. "Fast" means decided without asking
 * the {@link OwnerLookup}: the future is complete when returned and the lookup was never called.
 */
class TopicPolicyTest {

    private static final ConnectedThing CAR = thing("car-1", "alice");
    private static final ConnectedThing SPEAKER = thing("speaker-1", "alice");
    private static final ConnectedThing STRANGER = thing("bob-car", "bob");

    private static final Map<ThingId, Owner> REGISTRY = Map.of(
            ThingId.of("car-1"), Owner.of("alice"),
            ThingId.of("speaker-1"), Owner.of("alice"),
            ThingId.of("fridge-1"), Owner.of("alice"),
            ThingId.of("bob-car"), Owner.of("bob"));

    private final AtomicInteger lookups = new AtomicInteger();
    private final TopicPolicy policy = new TopicPolicy(thing -> {
        lookups.incrementAndGet();
        return CompletableFuture.completedFuture(Optional.ofNullable(REGISTRY.get(thing)));
    });

    // --- publish: the thing itself ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"things/car-1/shadow/update", "things/car-1/shadow/get", "things/car-1/shadow/delete"})
    void thingMayPublishItsOwnRequestsDecidedFast(String topic) {
        assertFast(policy.mayPublish(CAR, topic), true);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/shadow/update/accepted", // responses come from the platform only
                "things/car-1/shadow/update/delta",
                "things/car-1/shadow/get/accepted",
                "things/car-1/shadow/update/documents",
                "things/car-1/shadow/reset",
                "things/car-1/shadow",
                "things/car-1/shadow/",
                "things/car-1/shadow/update/",
                "things/car-1/update",
                "things/car-1",
                "Things/car-1/shadow/update", // topics are case-sensitive
                "things/car-1/Shadow/update",
                "things/car-1/shadow/UPDATE",
                "/things/car-1/shadow/update",
                "car-1/shadow/update",
                "devices/car-1/shadow/update",
                "$SYS/broker/uptime",
                "things/car-1/shadow/+", // never valid in a PUBLISH, refused here too
                "things/car-1/shadow/#",
                "things/+/shadow/update",
                ""
            })
    void thingMayNotPublishAnythingElseDecidedFast(String topic) {
        assertFast(policy.mayPublish(CAR, topic), false);
    }

    // --- publish: another thing of the same household --------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"things/car-1/shadow/update", "things/car-1/shadow/get"})
    void householdMemberMayPublishUpdateAndGetAfterOwnerLookup(String topic) {
        CompletableFuture<TopicAccess> access = policy.mayPublish(SPEAKER, topic);

        assertThat(access.join().granted()).isTrue();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void householdMemberMayNotDeleteAnotherThingsShadowDecidedFast() {
        TopicAccess access = assertFast(policy.mayPublish(SPEAKER, "things/car-1/shadow/delete"), false);

        assertThat(((TopicAccess.Refused) access).reason()).isEqualTo("only thing car-1 itself may delete its shadow");
    }

    // --- publish: strangers ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"things/car-1/shadow/update", "things/car-1/shadow/get"})
    void strangerMayNotPublishToAnotherHouseholdsShadow(String topic) {
        assertThat(policy.mayPublish(STRANGER, topic).join())
                .isEqualTo(TopicAccess.refuse("thing car-1 is not in the household of bob-car"));
    }

    @Test
    void unknownThingIsRefusedWithTheSameReasonAsAStrangersThing() {
        TopicAccess unknown =
                policy.mayPublish(STRANGER, "things/ghost-1/shadow/update").join();
        TopicAccess foreign =
                policy.mayPublish(STRANGER, "things/car-1/shadow/update").join();

        assertThat(unknown).isEqualTo(TopicAccess.refuse("thing ghost-1 is not in the household of bob-car"));
        assertThat(((TopicAccess.Refused) unknown).reason().replace("ghost-1", "X"))
                .isEqualTo(((TopicAccess.Refused) foreign).reason().replace("car-1", "X"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/bad id/shadow/update",
                "things/-car/shadow/update",
                "things/../shadow/update",
                "things/a$b/shadow/update"
            })
    void invalidThingIdInTopicIsRefusedWithoutLookup(String topic) {
        assertFast(policy.mayPublish(CAR, topic), false);
    }

    // --- subscribe: the thing itself -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/shadow/#",
                "things/car-1/shadow",
                "things/car-1/shadow/+",
                "things/car-1/shadow/+/+",
                "things/car-1/shadow/+/accepted",
                "things/car-1/shadow/+/rejected",
                "things/car-1/shadow/update/#",
                "things/car-1/shadow/update/delta",
                "things/car-1/shadow/update/accepted",
                "things/car-1/shadow/update/documents",
                "things/car-1/shadow/get/accepted",
                "things/car-1/shadow/delete/rejected",
                "things/car-1/shadow/update/+"
            })
    void thingMaySubscribeToAnyFilterInsideItsOwnShadowDecidedFast(String filter) {
        assertFast(policy.maySubscribe(CAR, filter), true);
    }

    // --- subscribe: never, for anyone ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#",
                "+",
                "+/#",
                "things/#",
                "things/+",
                "things/+/shadow/#",
                "things/+/shadow/update/accepted",
                "+/car-1/shadow/#",
                "#/car-1/shadow/update",
                "things/car-1/#", // wider than the shadow subtree
                "things/car-1/+/update/accepted",
                "things/car-1/+",
                "things/car-1",
                "$SYS/#",
                "$SYS/broker/clients/connected",
                "$share/group/things/car-1/shadow/#",
                "Things/car-1/shadow/#",
                "things/car-1/Shadow/#",
                "devices/car-1/shadow/#",
                "things//shadow/#",
                "things/car-1/shadow//accepted",
                "things/car-1/shadow/update/",
                "/things/car-1/shadow/#",
                "things/car-1/shadow/#/accepted", // malformed: # not last
                "things/car-1/shadow/up+date", // malformed: + not a whole level
                "things/car-1/shadow/update#",
                "things/bad id/shadow/#",
                ""
            })
    void nobodyMaySubscribeToFiltersReachingBeyondOneThingOrOfAnotherShapeDecidedFast(String filter) {
        assertFast(policy.maySubscribe(CAR, filter), false);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "$SYS/#                             | $-topics ($SYS, shared subscriptions) are not available to things",
                "$share/g/things/car-1/shadow/#     | $-topics ($SYS, shared subscriptions) are not available to things",
                "#                                  | a filter with a wildcard before the thing id reaches beyond one thing",
                "things/+/shadow/#                  | a filter with a wildcard before the thing id reaches beyond one thing",
                "+/car-1/shadow/#                   | a filter with a wildcard before the thing id reaches beyond one thing",
                "things/car-1/#                     | things subscribe only to things/{thingId}/shadow/..., "
                        + "things/{thingId}/commands/... and things/{thingId}/actions/...",
                "things/car-1/shadow/#/accepted     | malformed topic filter: '#' must be the last level",
                "things/car-1/shadow/up+date        | malformed topic filter: a wildcard must be a whole level",
                "things//shadow/#                   | malformed topic filter: empty topic level"
            })
    void refusalReasonNamesTheRule(String filter, String reason) {
        assertThat(policy.maySubscribe(CAR, filter).join()).isEqualTo(TopicAccess.refuse(reason));
    }

    // --- subscribe: another thing of the same household ------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/shadow/+/accepted",
                "things/car-1/shadow/+/rejected",
                "things/car-1/shadow/update/documents",
                "things/car-1/shadow/update/accepted",
                "things/car-1/shadow/update/rejected",
                "things/car-1/shadow/get/accepted",
                "things/car-1/shadow/get/rejected",
                "things/car-1/shadow/delete/accepted", // covered by +/accepted
                "things/car-1/shadow/delete/rejected"
            })
    void householdMemberMaySubscribeToAnotherThingsResponsesAfterOwnerLookup(String filter) {
        assertThat(policy.maySubscribe(SPEAKER, filter).join()).isEqualTo(TopicAccess.grant());
        assertThat(lookups).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/shadow/#", // would include update/delta and the requests
                "things/car-1/shadow",
                "things/car-1/shadow/+",
                "things/car-1/shadow/+/+",
                "things/car-1/shadow/update/#",
                "things/car-1/shadow/update/+",
                "things/car-1/shadow/update/delta", // the delta is for the device itself
                "things/car-1/shadow/update", // other members' requests
                "things/car-1/shadow/get",
                "things/car-1/shadow/+/documents", // only update/documents is allowed, not a filter wider than it
                "things/car-1/shadow/get/documents",
                "things/car-1/shadow/reset/accepted",
                "things/car-1/shadow/+/accepted/#",
                "things/car-1/shadow/update/accepted/x"
            })
    void householdMemberMayNotSubscribeToAnotherThingsDeltaRequestsOrWiderFiltersDecidedFast(String filter) {
        assertFast(policy.maySubscribe(SPEAKER, filter), false);
    }

    // --- subscribe: strangers --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/shadow/+/accepted",
                "things/car-1/shadow/update/documents",
                "things/ghost-1/shadow/get/accepted"
            })
    void strangerMayNotSubscribeToAnotherHouseholdsShadow(String filter) {
        assertThat(policy.maySubscribe(STRANGER, filter).join().granted()).isFalse();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void sameOwnerNameIsComparedExactly() {
        ConnectedThing alice2 = thing("speaker-9", "Alice");

        assertThat(policy.maySubscribe(alice2, "things/car-1/shadow/get/accepted")
                        .join()
                        .granted())
                .isFalse();
    }

    // --- the lookup: asynchronous, fails closed --------------------------------------------------------------

    @Test
    void anotherThingsTopicWaitsForTheLookupAndCompletesWithIt() {
        CompletableFuture<Optional<Owner>> pending = new CompletableFuture<>();
        TopicPolicy slow = new TopicPolicy(thing -> pending);

        CompletableFuture<TopicAccess> access = slow.mayPublish(SPEAKER, "things/car-1/shadow/update");

        assertThat(access).isNotDone();
        pending.complete(Optional.of(Owner.of("alice")));
        assertThat(access).isCompletedWithValue(TopicAccess.grant());
    }

    @Test
    void ownTopicsNeverWaitForASlowLookup() {
        TopicPolicy slow = new TopicPolicy(thing -> new CompletableFuture<>());

        assertThat(slow.maySubscribe(CAR, "things/car-1/shadow/#")).isCompletedWithValue(TopicAccess.grant());
        assertThat(slow.mayPublish(CAR, "things/car-1/shadow/update")).isCompletedWithValue(TopicAccess.grant());
    }

    @Test
    void failedLookupRefuses() {
        TopicPolicy broken =
                new TopicPolicy(thing -> CompletableFuture.failedFuture(new IllegalStateException("redis down")));

        assertThat(broken.mayPublish(SPEAKER, "things/car-1/shadow/update").join())
                .isEqualTo(TopicAccess.refuse("the owner of thing car-1 could not be looked up"));
    }

    @Test
    void lookupThatThrowsOrReturnsNullRefusesInsteadOfThrowing() {
        TopicPolicy throwing = new TopicPolicy(thing -> {
            throw new IllegalStateException("bug");
        });
        TopicPolicy returningNull = new TopicPolicy(thing -> null);

        assertThat(throwing.mayPublish(SPEAKER, "things/car-1/shadow/get")
                        .join()
                        .granted())
                .isFalse();
        assertThat(returningNull
                        .maySubscribe(SPEAKER, "things/car-1/shadow/+/accepted")
                        .join()
                        .granted())
                .isFalse();
    }

    // --- commands and actions: publish ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/actions/lock",
                "things/car-1/actions/startClimatization",
                "things/car-1/commands/c9PzV1q2Xw-_abcdefghij/status",
                "things/car-1/commands/unknown/status" // the store answers 404, not the policy
            })
    void thingMayInvokeItsOwnActionsAndReportItsCommandsDecidedFast(String topic) {
        assertFast(policy.mayPublish(CAR, topic), true);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/commands/c9PzV1q2", // deliveries come from the platform only
                "things/car-1/commands/c9PzV1q2/state",
                "things/car-1/commands/c9PzV1q2/status/rejected",
                "things/car-1/actions/lock/accepted",
                "things/car-1/actions/lock/rejected",
                "things/car-1/commands/+/status",
                "things/car-1/commands/#",
                "things/car-1/commands/c9.Pz/status", // no command id has a dot
                "things/car-1/commands//status",
                "things/car-1/commands/c9PzV1q2/status/",
                "things/car-1/commands/c9PzV1q2/Status",
                "things/car-1/actions/+",
                "things/car-1/actions/#",
                "things/car-1/actions/",
                "things/car-1/actions/1lock", // not an action name
                "things/car-1/actions/lock-now",
                "things/car-1/actions",
                "things/car-1/Actions/lock",
                "things/+/actions/lock"
            })
    void nobodyPublishesWhereThePlatformPublishesOrToOtherCommandShapesDecidedFast(String topic) {
        assertFast(policy.mayPublish(CAR, topic), false);
        assertFast(policy.mayPublish(SPEAKER, topic), false);
    }

    @Test
    void householdMemberMayInvokeAnotherThingsActionAfterOwnerLookup() {
        assertThat(policy.mayPublish(SPEAKER, "things/car-1/actions/unlock").join())
                .isEqualTo(TopicAccess.grant());
        assertThat(lookups).hasValue(1);
    }

    @Test
    void householdMemberMayNotReportAnotherThingsCommandStatusDecidedFast() {
        TopicAccess access = assertFast(policy.mayPublish(SPEAKER, "things/car-1/commands/c9PzV1q2/status"), false);

        assertThat(((TopicAccess.Refused) access).reason())
                .isEqualTo("only thing car-1 itself reports the status of its commands");
    }

    @Test
    void strangerMayNotInvokeAnotherHouseholdsAction() {
        assertThat(policy.mayPublish(STRANGER, "things/car-1/actions/unlock").join())
                .isEqualTo(TopicAccess.refuse("thing car-1 is not in the household of bob-car"));
    }

    // --- commands and actions: subscribe ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/commands/+",
                "things/car-1/commands/#",
                "things/car-1/commands/+/state",
                "things/car-1/commands/+/status/rejected",
                "things/car-1/commands/c9PzV1q2",
                "things/car-1/commands/c9PzV1q2/#",
                "things/car-1/commands",
                "things/car-1/actions/+/accepted",
                "things/car-1/actions/+/rejected",
                "things/car-1/actions/lock/accepted",
                "things/car-1/actions/#"
            })
    void thingMaySubscribeToAnyFilterInsideItsOwnCommandsAndActionsDecidedFast(String filter) {
        assertFast(policy.maySubscribe(CAR, filter), true);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/commands/+/state",
                "things/car-1/commands/c9PzV1q2Xw-_abcdefghij/state",
                "things/car-1/actions/+/accepted",
                "things/car-1/actions/+/rejected",
                "things/car-1/actions/unlock/accepted",
                "things/car-1/actions/unlock/rejected"
            })
    void householdMemberMaySubscribeToAnotherThingsCommandStatesAndActionAnswersAfterOwnerLookup(String filter) {
        assertThat(policy.maySubscribe(SPEAKER, filter).join()).isEqualTo(TopicAccess.grant());
        assertThat(lookups).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/commands/+", // would receive the car's commands
                "things/car-1/commands/#",
                "things/car-1/commands",
                "things/car-1/commands/c9PzV1q2",
                "things/car-1/commands/+/+",
                "things/car-1/commands/+/#",
                "things/car-1/commands/c9PzV1q2/#",
                "things/car-1/commands/+/status", // the car's reports
                "things/car-1/commands/+/status/rejected",
                "things/car-1/commands/+/state/#",
                "things/car-1/commands/c9.Pz/state",
                "things/car-1/actions/+", // other members' invocations
                "things/car-1/actions/#",
                "things/car-1/actions/unlock",
                "things/car-1/actions/+/+",
                "things/car-1/actions/+/#",
                "things/car-1/actions/unlock/#",
                "things/car-1/actions/+/documents",
                "$share/g/things/car-1/commands/+/state",
                "$share/g/things/car-1/commands/+"
            })
    void householdMemberMayNeverSubscribeToAnotherThingsCommandsDecidedFast(String filter) {
        assertFast(policy.maySubscribe(SPEAKER, filter), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/g/things/car-1/commands/+", "$share/g/things/car-1/actions/+/accepted"})
    void sharedSubscriptionsToOwnCommandsAreRefusedToo(String filter) {
        assertFast(policy.maySubscribe(CAR, filter), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"things/car-1/commands/+/state", "things/car-1/actions/+/accepted"})
    void strangerMayNotSubscribeToAnotherHouseholdsCommandStates(String filter) {
        assertThat(policy.maySubscribe(STRANGER, filter).join().granted()).isFalse();
        assertThat(lookups).hasValue(1);
    }

    private TopicAccess assertFast(CompletableFuture<TopicAccess> access, boolean granted) {
        assertThat(access).as("decided without waiting").isDone();
        assertThat(lookups).as("owner lookups").hasValue(0);
        TopicAccess result = access.join();
        assertThat(result.granted()).as(result.toString()).isEqualTo(granted);
        return result;
    }

    private static ConnectedThing thing(String id, String owner) {
        return new ConnectedThing(ThingId.of(id), Owner.of(owner));
    }
}
