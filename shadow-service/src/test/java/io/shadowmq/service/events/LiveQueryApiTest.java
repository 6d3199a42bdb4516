package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.service.Api;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

import static io.shadowmq.service.events.SseTestClient.QUIET;
import static io.shadowmq.service.events.SseTestClient.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** A search filter followed live: enter and leave events over a real service and a real Redis. */
class LiveQueryApiTest {

    /** Cars whose heater is asked for more than 20 degrees. */
    private static final String WARM = "and(eq(type,\"car\"),gt(state.desired.cabin.heater.targetTemperature,20))";

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void aThingEntersOnTheUpdateThatStartsMatchingAndLeavesOnTheOneThatStops() throws Exception {
        String owner = Api.fresh("alice");
        String car = api.provision("car", "car", owner);
        String otherCar = api.provision("car", "car", owner);
        try (SseTestClient live = SseTestClient.connect(
                api, api.adminToken(), query(owner, WARM, "state.desired.cabin.heater.targetTemperature"))) {
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.contentType()).startsWith("text/event-stream");

            patch(car, 18); // v1: does not match, did not before
            patch(car, 22); // v2: enters
            patch(car, 25); // v3: still matches
            patch(otherCar, 19); // another car that never matches
            patch(car, 19); // v4: leaves
            patch(car, 17); // v5: still does not match

            List<SseTestClient.Event> got = live.take(2, WAIT);
            assertThat(got).extracting(SseTestClient.Event::name).containsExactly("enter", "leave");
            assertThat(got).allSatisfy(event -> assertThat(event.id()).matches("\\d+-\\d+"));
            JsonNode enter = got.get(0).json();
            assertThat(enter.get("thingId").asText()).isEqualTo(car);
            assertThat(enter.get("version").asLong()).isEqualTo(2);
            assertThat(enter.get("timestamp").asLong()).isPositive();
            assertThat(enter.at("/state/desired/cabin/heater/targetTemperature").asInt())
                    .isEqualTo(22);
            assertThat(enter.has("type")).as("only the fields asked for").isFalse();
            JsonNode leave = got.get(1).json();
            assertThat(leave.get("thingId").asText()).isEqualTo(car);
            assertThat(leave.get("version").asLong()).isEqualTo(4);
            assertThat(leave.at("/state/desired/cabin/heater/targetTemperature").asInt())
                    .isEqualTo(19);
            assertThat(live.next(QUIET))
                    .as("updates that keep the state say nothing")
                    .isNull();
        }
    }

    @Test
    void aDeletedShadowThatMatchedLeavesAndADeprovisionedThingThatMatchedLeavesDeleted() throws Exception {
        String owner = Api.fresh("alice");
        String car = api.provision("car", "car", owner);
        try (SseTestClient live = followWarm(owner)) {
            patch(car, 27);
            JsonNode shown = expect(live, "enter").json();
            assertThat(shown.get("type").asText()).as("the default fields").isEqualTo("car");
            assertThat(shown.get("owner").asText()).isEqualTo(owner);
            assertThat(shown.has("connected")).isFalse();

            assertThat(api.send("DELETE", "/api/v1/things/" + car + "/shadow", null)
                            .status())
                    .isEqualTo(204);
            JsonNode shadowDeleted = expect(live, "leave").json();
            assertThat(shadowDeleted.get("thingId").asText()).isEqualTo(car);
            assertThat(shadowDeleted.has("deleted"))
                    .as("the thing is still there")
                    .isFalse();

            patch(car, 28);
            expect(live, "enter");

            assertThat(api.send("DELETE", "/api/v1/things/" + car, null).status())
                    .isEqualTo(204);
            JsonNode deprovisioned = expect(live, "leave").json();
            assertThat(deprovisioned.get("thingId").asText()).isEqualTo(car);
            assertThat(deprovisioned.get("deleted").asBoolean()).isTrue();
            assertThat(live.next(QUIET)).isNull();
        }
    }

    @Test
    void anOwnerLimitedKeyHearsNothingOfAnotherHousehold() throws Exception {
        String alice = Api.fresh("alice");
        String bob = Api.fresh("bob");
        String alicesCar = api.provision("car", "car", alice);
        String bobsCar = api.provision("car", "car", bob);
        String aliceKey = api.key("[\"things:read\"]", "[\"" + alice + "\"]");

        Api.Response bobs = api.sendAs(aliceKey, "GET", query(bob, WARM, null), null);
        assertThat(bobs.status()).isEqualTo(404);

        // Limited to one household, the key may leave the owner out.
        try (SseTestClient own = SseTestClient.connect(api, aliceKey, query(null, WARM, null))) {
            assertThat(own.status()).isEqualTo(200);
            patch(bobsCar, 24);
            patch(alicesCar, 24);

            SseTestClient.Event event = own.next(WAIT);
            assertThat(event).isNotNull();
            assertThat(event.json().get("thingId").asText()).isEqualTo(alicesCar);
            assertThat(own.next(QUIET)).isNull();
        }
    }

    @Test
    void resumingWithLastEventIdGetsTheEventsInBetweenExactlyOnce() throws Exception {
        String owner = Api.fresh("alice");
        String car = api.provision("car", "car", owner);
        String lastSeen = enterThenDisconnect(owner, car); // v1 enters

        patch(car, 18); // v2 leaves
        patch(car, 17); // v3 nothing
        patch(car, 26); // v4 enters

        try (SseTestClient resumed =
                SseTestClient.connect(api, api.adminToken(), query(owner, WARM, null), "Last-Event-ID", lastSeen)) {
            List<SseTestClient.Event> missed = resumed.take(2, WAIT);
            patch(car, 16); // v5 leaves, live
            List<SseTestClient.Event> live = resumed.take(1, WAIT);
            List<SseTestClient.Event> extra = resumed.take(1, QUIET);

            assertThat(missed).extracting(SseTestClient.Event::name).containsExactly("leave", "enter");
            assertThat(missed).extracting(LiveQueryApiTest::version).containsExactly(2L, 4L);
            assertThat(live).extracting(SseTestClient.Event::name).containsExactly("leave");
            assertThat(live).extracting(LiveQueryApiTest::version).containsExactly(5L);
            assertThat(extra).as("no duplicates").isEmpty();
        }
    }

    @Test
    void resumingWhileThingsKeepEnteringAndLeavingHasNoGapsOrDuplicates() throws Exception {
        String owner = Api.fresh("alice");
        String car = api.provision("car", "car", owner);
        String start = enterThenDisconnect(owner, car); // v1 enters
        for (int i = 0; i < 10; i++) {
            patch(car, i % 2 == 0 ? 18 : 22); // each update flips: v2 leaves, v3 enters, ...
        }
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                patch(car, i % 2 == 0 ? 18 : 22);
            }
        });

        try (SseTestClient resumed =
                SseTestClient.connect(api, api.adminToken(), query(owner, WARM, null), "Last-Event-ID", start)) {
            writer.start(); // live updates race the replay
            writer.join();
            List<SseTestClient.Event> got = resumed.take(20, WAIT.multipliedBy(2));

            assertThat(got)
                    .extracting(LiveQueryApiTest::version)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(2, 21).boxed().toList());
            assertThat(got)
                    .allSatisfy(
                            event -> assertThat(event.name()).isEqualTo(version(event) % 2 == 0 ? "leave" : "enter"));
            assertThat(resumed.take(1, QUIET)).as("no duplicates").isEmpty();
        }
    }

    @Test
    void badLiveQueriesAreProblems() {
        String owner = Api.fresh("alice");
        String speaker = api.provision("speaker", "car", owner);
        String thingKey = api.thingKey("[\"things:read\"]", speaker);

        Api.Response unknownPath = api.get(query(owner, "eq(state.reported.nothing,1)", null));
        Api.Response syntax = api.get(query(owner, "eq(type,", null));
        Api.Response noFilter = api.get(query(owner, null, null));
        Api.Response connected = api.get(query(owner, "eq(connected,true)", null));
        Api.Response connectedField = api.get(query(owner, WARM, "connected"));
        Api.Response sorted = api.get(query(owner, WARM, null) + "&sort=-thingId");
        Api.Response noOwner = api.get(query(null, WARM, null));
        Api.Response badResume = api.get(query(owner, WARM, null), "Last-Event-ID", "yesterday");
        Api.Response byThingKey = api.sendAs(thingKey, "GET", query(owner, WARM, null), null);
        Api.Response searched = api.get("/api/v1/search/things?filter=" + encode("eq(state.reported.nothing,1)"));

        assertThat(unknownPath.status()).isEqualTo(400);
        assertThat(unknownPath.body())
                .contains("state.reported.nothing is not searchable")
                .as("the search route's message")
                .contains(searched.json().get("detail").asText());
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(noFilter.status()).isEqualTo(400);
        assertThat(noFilter.body()).contains("filter: required");
        assertThat(connected.status()).isEqualTo(400);
        assertThat(connected.body()).contains("connected cannot be followed live");
        assertThat(connectedField.status()).isEqualTo(400);
        assertThat(sorted.status()).isEqualTo(400);
        assertThat(sorted.body()).contains("sort");
        assertThat(noOwner.status()).isEqualTo(400);
        assertThat(noOwner.body()).contains("owner: required");
        assertThat(badResume.status()).isEqualTo(400);
        assertThat(byThingKey.status()).isEqualTo(403);
    }

    /** A stream of the household's warm cars, with the admin token; open. */
    private SseTestClient followWarm(String owner) throws Exception {
        SseTestClient live = SseTestClient.connect(api, api.adminToken(), query(owner, WARM, null));
        assertThat(live.status()).isEqualTo(200);
        return live;
    }

    /** Makes the car enter (a first update warm enough) on a stream, then drops it; the id of the enter event. */
    private String enterThenDisconnect(String owner, String car) throws Exception {
        try (SseTestClient live = followWarm(owner)) {
            patch(car, 22);
            return expect(live, "enter").id();
        }
    }

    /** The next event, which must come and be called {@code name}. */
    private static SseTestClient.Event expect(SseTestClient live, String name) throws InterruptedException {
        SseTestClient.Event event = live.next(WAIT);
        assertThat(event).as("a %s event", name).isNotNull();
        assertThat(event.name()).isEqualTo(name);
        return event;
    }

    private static String query(String owner, String filter, String fields) {
        StringBuilder path = new StringBuilder("/api/v1/search/things/events?");
        if (owner != null) {
            path.append("owner=").append(owner).append('&');
        }
        if (filter != null) {
            path.append("filter=").append(encode(filter)).append('&');
        }
        if (fields != null) {
            path.append("fields=").append(encode(fields)).append('&');
        }
        return path.substring(0, path.length() - 1);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private void patch(String car, int targetTemperature) {
        api.patchHeaterTarget(car, targetTemperature);
    }

    private static long version(SseTestClient.Event event) {
        return event.json().get("version").asLong();
    }
}
