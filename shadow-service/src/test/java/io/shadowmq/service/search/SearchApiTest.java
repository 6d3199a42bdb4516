package io.shadowmq.service.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search through the REST API: a few hundred things of three households with known states, and for each documented
 * filter exactly the things the test knows match (an expectation written here, independent of the filter code),
 * through every page; an owner-limited key never sees another household; an update is found as soon as it was
 * accepted; bad input is a 400 that names what was wrong.
 */
class SearchApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private static final String RUN = Api.fresh("s").replace("-", "");
    private static final List<String> OWNERS = List.of(RUN + "alice", RUN + "bob", RUN + "carol");
    /** Every thing of this test: its id, and the facts its states were made from. */
    private static final Map<String, Known> THINGS = new LinkedHashMap<>();

    /** What the test set in a thing's shadow. */
    record Known(String id, String type, String owner, int n) {
        boolean car() {
            return type.equals("car");
        }

        int fuel() {
            return n % 50;
        }

        boolean rearLeftWindowOpen() {
            return car() && n % 7 == 0;
        }

        boolean frontLeftDoorOpen() {
            return car() && n % 11 == 0;
        }

        boolean heaterDesired() {
            return car() && n % 5 == 0;
        }

        double fridgeTemperature() {
            return n % 12;
        }

        String washerState() {
            return List.of("idle", "running", "paused", "finished").get(n % 4);
        }
    }

    @BeforeAll
    static void household() {
        Api api = service.api();
        List<String> types = List.of("car", "car", "fridge", "washer");
        for (int n = 0; n < 240; n++) {
            String type = types.get(n % types.size());
            String owner = OWNERS.get(n % OWNERS.size());
            String id = api.provision(RUN + type, type, owner);
            Known known = new Known(id, type, owner, n);
            THINGS.put(id, known);
            switch (type) {
                case "car" -> {
                    service.report(
                            id,
                            "{\"state\":{\"reported\":{\"fuel\":{\"level\":" + known.fuel() + "},"
                                    + "\"windows\":{\"rearLeft\":{\"isOpen\":" + known.rearLeftWindowOpen() + "}},"
                                    + "\"doors\":{\"frontLeft\":{\"isOpen\":" + known.frontLeftDoorOpen() + "}}}}}");
                    if (known.heaterDesired()) {
                        service.report(id, "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
                    }
                }
                case "fridge" ->
                    service.report(
                            id, "{\"state\":{\"reported\":{\"temperature\":" + known.fridgeTemperature() + "}}}");
                default -> service.report(id, "{\"state\":{\"reported\":{\"state\":\"" + known.washerState() + "\"}}}");
            }
        }
    }

    @Test
    void everyDocumentedFilterFindsExactlyTheThingsThatMatch() {
        Map<String, Predicate<Known>> cases = new LinkedHashMap<>();
        cases.put("and(eq(type,\"car\"),lt(state.reported.fuel.level,20))", k -> k.car() && k.fuel() < 20);
        cases.put(
                "or(eq(state.reported.doors.frontLeft.isOpen,true),eq(state.reported.windows.rearLeft.isOpen,true))",
                k -> k.frontLeftDoorOpen() || k.rearLeftWindowOpen());
        cases.put("exists(state.desired.cabin.heater.isOn)", Known::heaterDesired);
        cases.put(
                "and(eq(type,\"fridge\"),gt(state.reported.temperature,8))",
                k -> k.type().equals("fridge") && k.fridgeTemperature() > 8);
        cases.put(
                "in(state.reported.state,\"running\",\"paused\")",
                k -> k.type().equals("washer") && List.of("running", "paused").contains(k.washerState()));
        cases.put("like(thingId,\"" + RUN + "fridge*\")", k -> k.type().equals("fridge"));
        cases.put(
                "and(eq(type,\"car\"),not(eq(state.reported.windows.rearLeft.isOpen,true)))",
                k -> k.car() && !k.rearLeftWindowOpen());

        cases.forEach((filter, expected) -> {
            List<String> want = THINGS.values().stream()
                    .filter(expected)
                    .map(Known::id)
                    .sorted()
                    .toList();
            assertThat(searchAll(service.api().adminToken(), filter, 17).stream()
                            .filter(THINGS::containsKey)
                            .toList())
                    .as(filter)
                    .isEqualTo(want);
        });
    }

    @Test
    void fieldsProjectAndSortOrdersByANumber() {
        Response page = get(
                service.api().adminToken(),
                "and(eq(type,\"car\"),lt(state.reported.fuel.level,3))",
                "&fields=thingId,state.reported.fuel&sort=-state.reported.fuel.level&limit=1000");

        assertThat(page.status()).isEqualTo(200);
        List<Double> levels = new ArrayList<>();
        for (JsonNode item : page.json().get("items")) {
            assertThat(item.fieldNames()).toIterable().containsExactlyInAnyOrder("thingId", "state");
            levels.add(item.at("/state/reported/fuel/level").asDouble());
        }
        assertThat(levels).isNotEmpty().isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(page.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void anOwnerLimitedKeyNeverSeesAnotherHousehold() {
        String alice = OWNERS.get(0);
        String token = service.api().key("[\"things:read\"]", "[\"" + alice + "\"]");

        List<String> cars = searchAll(token, "eq(type,\"car\")", 7);
        List<String> bobs = searchAll(token, "eq(owner,\"" + OWNERS.get(1) + "\")", 7);

        assertThat(cars)
                .isNotEmpty()
                .allSatisfy(id -> assertThat(THINGS.get(id).owner()).isEqualTo(alice))
                .containsExactlyElementsOf(THINGS.values().stream()
                        .filter(k -> k.car() && k.owner().equals(alice))
                        .map(Known::id)
                        .sorted()
                        .toList());
        assertThat(bobs).isEmpty();
    }

    @Test
    void anAcceptedUpdateIsFoundByTheNextSearch() {
        String car = service.api().provision(RUN + "fresh", "car", OWNERS.get(2));
        service.report(car, "{\"state\":{\"reported\":{\"range\":1777}}}");

        List<String> found = searchAll(service.api().adminToken(), "eq(state.reported.range,1777)", 10);

        assertThat(found).containsExactly(car);
    }

    @Test
    void badInputIs400NamingWhatWasWrong() {
        String admin = service.api().adminToken();
        Response malformed = get(admin, "and(eq(type,\"car\")", "");
        Response undeclared = get(admin, "eq(state.reported.colour,\"red\")", "");
        Response tooMany = get(admin, "eq(type,\"car\")", "&limit=5000");
        Response missing = service.api().get("/api/v1/search/things");
        Response cursor = get(admin, "eq(type,\"car\")", "&cursor=bm90LWEtY3Vyc29y");

        assertThat(List.of(malformed, undeclared, tooMany, missing, cursor))
                .extracting(Response::status)
                .containsOnly(400);
        assertThat(detail(malformed)).startsWith("filter:").contains("position");
        assertThat(detail(undeclared)).contains("state.reported.colour").contains("state.reported.fuel.level");
        assertThat(detail(tooMany)).startsWith("limit:");
        assertThat(detail(missing)).startsWith("filter:");
        assertThat(detail(cursor)).startsWith("cursor:");
    }

    private static String detail(Response response) {
        return response.json().get("detail").asText();
    }

    private static Response get(String token, String filter, String rest) {
        return service.api()
                .sendAs(
                        token,
                        "GET",
                        "/api/v1/search/things?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8) + rest,
                        null);
    }

    /** Every page of a search, the ids in order. */
    private static List<String> searchAll(String token, String filter, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 500; page++) {
            Response response = get(
                    token,
                    filter,
                    "&fields=thingId&limit=" + limit
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(response.status()).as(filter + ": " + response.body()).isEqualTo(200);
            for (JsonNode item : response.json().get("items")) {
                String id = item.get("thingId").asText();
                if (id.startsWith(RUN)) {
                    ids.add(id);
                }
            }
            JsonNode next = response.json().get("nextCursor");
            if (next == null || next.isNull()) {
                return ids;
            }
            cursor = next.asText();
        }
        throw new AssertionError("no last page of " + filter);
    }
}
