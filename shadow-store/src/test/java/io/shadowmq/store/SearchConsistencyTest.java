package io.shadowmq.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.search.SearchQuery;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.search.ThingView;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.search.SearchPage;
import io.shadowmq.store.search.ThingSearch;
import io.shadowmq.store.shadow.ThingShadow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search answers exactly what a brute-force scan of the same shadows answers: a few hundred things of every model in
 * a handful of households get random model-valid values, then every documented filter and many random ones are run
 * through {@code ThingSearch} (all pages, small pages, both sort directions, owner-limited) and compared with the
 * filter checked on every shadow read back from Redis; then random updates change the values and it is compared
 * again. The seed is printed, so a failure can be replayed.
 */
class SearchConsistencyTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private static final long SEED = Long.getLong("search.seed", System.nanoTime());
    private static final Random RANDOM = new Random(SEED);
    private static final SearchSchema SCHEMA = SearchSchema.of(StoreFixture.MODELS);
    private static final List<String> TYPES = List.of("car", "fridge", "speaker", "washer");
    private static final List<Owner> OWNERS = new ArrayList<>();
    private static final Map<ThingId, String> THINGS = new LinkedHashMap<>();

    /** The filters docs/search.md shows, and others on every operator. */
    static final List<String> DOCUMENTED = List.of(
            "and(eq(type,\"car\"),lt(state.reported.fuel.level,20))",
            "or(eq(state.reported.doors.frontLeft.isOpen,true),eq(state.reported.windows.rearLeft.isOpen,true))",
            "exists(state.desired.cabin.heater.isOn)",
            "like(thingId,\"car-*\")",
            "and(eq(type,\"fridge\"),gt(state.reported.temperature,8))",
            "in(state.reported.state,\"running\",\"paused\")",
            "and(eq(type,\"car\"),not(eq(state.reported.doors.trunk.isLocked,true)))",
            "and(eq(type,\"speaker\"),ne(state.reported.isMuted,true))",
            "and(ge(state.reported.volume,20),le(state.reported.volume,60))",
            "and(eq(type,\"car\"),eq(connected,false))",
            "eq(type,\"washer\")");

    /** Never builds a candidate set whole: walks the sort order, 17 things a step, so pages take several steps. */
    private static ThingSearch walking;

    @BeforeAll
    static void household() {
        walking = new ThingSearch(
                redis.store().searchIndex(),
                redis.store().shadows(),
                redis.store().presence(),
                10_000,
                0,
                17);
        System.out.println("SearchConsistencyTest seed " + SEED + " (-Dsearch.seed=" + SEED + " replays it)");
        for (int i = 0; i < 4; i++) {
            OWNERS.add(StoreFixture.freshOwner());
        }
        for (int i = 0; i < 240; i++) {
            String type = TYPES.get(i % TYPES.size());
            ThingId thing = StoreFixture.freshThing(type);
            provision(redis.store(), thing, type, OWNERS.get(RANDOM.nextInt(OWNERS.size())));
            THINGS.put(thing, type);
            if (RANDOM.nextInt(8) != 0) { // some things never report
                update(thing, type, 1.0);
            }
        }
    }

    @Test
    void searchAnswersWhatABruteForceScanOfTheShadowsAnswers() {
        List<String> filters = new ArrayList<>(DOCUMENTED);
        for (int i = 0; i < 40; i++) {
            filters.add(randomFilter(3));
        }
        for (int round = 0; round < 3; round++) {
            Map<ThingId, ThingView> shadows = readAll();
            for (String filter : filters) {
                compare(filter, shadows);
            }
            for (ThingId thing : THINGS.keySet()) {
                if (RANDOM.nextInt(3) == 0) {
                    update(thing, THINGS.get(thing), 0.5);
                }
            }
        }
    }

    @Test
    void anAcceptedUpdateIsFoundByTheNextSearch() {
        ThingId car = StoreFixture.freshThing("car");
        provision(redis.store(), car, "car", OWNERS.get(0));
        THINGS.put(car, "car");
        for (int level = 90; level >= 0; level -= 15) {
            await(redis.store()
                    .shadows()
                    .update(
                            car,
                            Requester.thing(car),
                            request("{\"state\":{\"reported\":{\"fuel\":{\"level\":" + level + "}}}}")));
            assertThat(ids(search(
                            "and(eq(thingId,\"" + car + "\"),eq(state.reported.fuel.level," + level + "))",
                            null,
                            null,
                            10)))
                    .as("found right after its update was accepted")
                    .containsExactly(car.value());
        }
    }

    @Test
    void thingsTheIndexDoesNotHoldAreIndexedByCatchingUp() {
        ThingId car = StoreFixture.freshThing("car");
        provision(redis.store(), car, "car", OWNERS.get(1));
        THINGS.put(car, "car");
        await(redis.store()
                .shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":1234}}}")));
        await(redis.store().searchIndex().remove(car)); // as if it was provisioned before the index existed
        String filter = "eq(state.reported.range,1234)";
        assertThat(ids(search(filter, null, null, 10))).isEmpty();

        int indexed = await(redis.store()
                        .searchIndex()
                        .catchUp(redis.store().things(), redis.store().shadows()))
                .orElseThrow();

        assertThat(indexed).isEqualTo(1);
        assertThat(ids(search(filter, null, null, 10))).containsExactly(car.value());
    }

    @Test
    void aFilterNothingNarrowsIsRefusedOverMoreThingsThanTheLimitButServedInAHousehold() {
        ThingSearch strict = new ThingSearch(
                redis.store().searchIndex(),
                redis.store().shadows(),
                redis.store().presence(),
                10);
        SearchQuery query = SearchQuery.parse(SCHEMA, "like(thingId,\"car-*\")", "thingId", null, "1000");

        Outcome<SearchPage> everyone = await(strict.search(query, null, null));
        Outcome<SearchPage> household = await(strict.search(query, List.of(OWNERS.get(0)), null));

        assertThat(everyone).isInstanceOfSatisfying(Outcome.Rejected.class, refused -> {
            assertThat(refused.rejection().code()).isEqualTo(400);
            assertThat(refused.rejection().message())
                    .startsWith("filter:")
                    .contains("search.maxScanThings")
                    .contains("over the limit of 10");
        });
        assertThat(household.orElseThrow().items())
                .isNotEmpty()
                .allSatisfy(item -> assertThat(item.path("thingId").asText()).startsWith("car-"));
    }

    private void compare(String filter, Map<ThingId, ThingView> shadows) {
        SearchQuery probe = SearchQuery.parse(SCHEMA, filter, null, null, null);
        List<String> expected = shadows.values().stream()
                .filter(probe.filter()::matches)
                .map(ThingView::thingId)
                .sorted()
                .toList();
        assertThat(ids(all(filter, null, null, 1000))).as(filter).isEqualTo(expected);
        assertThat(ids(all(walking, filter, null, null, 13)))
                .as(filter + " walking the order")
                .isEqualTo(expected);
        assertThat(ids(all(walking, filter, "-state.reported.range", null, 13)).stream()
                        .sorted()
                        .toList())
                .as(filter + " walking the order of range, descending")
                .isEqualTo(expected);
        assertThat(ids(all(filter, null, null, 7)))
                .as(filter + " in pages of 7")
                .isEqualTo(expected);
        assertThat(ids(all(filter, "-thingId", null, 11)))
                .as(filter + " descending")
                .isEqualTo(reversed(expected));

        String sortPath = "state.reported.fuel.level";
        List<String> bySort = all(filter, "+" + sortPath, null, 9).stream()
                .map(item -> item.path("thingId").asText())
                .toList();
        assertThat(new TreeSet<>(bySort))
                .as(filter + " sorted by fuel: the same things")
                .isEqualTo(new TreeSet<>(expected));
        assertThat(bySort).as(filter + " sorted by fuel: each once").doesNotHaveDuplicates();
        List<Double> levels = bySort.stream()
                .map(id -> shadows.get(ThingId.of(id)))
                .map(view -> view.document() == null
                        ? Double.NaN
                        : SearchSchema.at(view.document().reported(), "fuel.level")
                                .asDouble(Double.NaN))
                .toList();
        List<Double> present = levels.stream().filter(v -> !v.isNaN()).toList();
        assertThat(present).as(filter + " sorted by fuel").isSorted();
        assertThat(levels.subList(0, present.size()))
                .as(filter + ": values first, then things without")
                .isEqualTo(present);

        Owner owner = OWNERS.get(RANDOM.nextInt(OWNERS.size()));
        List<String> ofOwner = shadows.values().stream()
                .filter(probe.filter()::matches)
                .filter(view -> view.owner().equals(owner.value()))
                .map(ThingView::thingId)
                .sorted()
                .toList();
        assertThat(ids(all(filter, null, List.of(owner), 5)))
                .as(filter + " of one household")
                .isEqualTo(ofOwner);
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static List<ObjectNode> all(String filter, String sort, List<Owner> owners, int limit) {
        return all(redis.store().search(), filter, sort, owners, limit);
    }

    private static List<ObjectNode> all(ThingSearch search, String filter, String sort, List<Owner> owners, int limit) {
        List<ObjectNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            SearchQuery query = SearchQuery.parse(SCHEMA, filter, "thingId", sort, Integer.toString(limit));
            Outcome<SearchPage> answer = await(search.search(query, owners, cursor));
            SearchPage found = answer.orElseThrow();
            assertThat(found.items().size()).isLessThanOrEqualTo(limit);
            items.addAll(found.items());
            cursor = found.cursor();
            if (cursor == null) {
                return items;
            }
        }
        throw new AssertionError("no last page after 1000 pages of " + filter);
    }

    private static SearchPage search(String filter, String sort, List<Owner> owners, int limit) {
        SearchQuery query = SearchQuery.parse(SCHEMA, filter, "thingId", sort, Integer.toString(limit));
        return await(redis.store().search().search(query, owners, null)).orElseThrow();
    }

    private static List<String> ids(SearchPage page) {
        return ids(page.items());
    }

    private static List<String> ids(List<ObjectNode> items) {
        return items.stream().map(item -> item.path("thingId").asText()).toList();
    }

    /** Every thing as Redis holds it now (the brute force). */
    private static Map<ThingId, ThingView> readAll() {
        Map<ThingId, ThingView> views = new LinkedHashMap<>();
        THINGS.forEach((thing, type) -> {
            Optional<ThingShadow> read =
                    await(redis.store().shadows().readThing(thing)).orElseThrow();
            ThingShadow shadow = read.orElseThrow();
            views.put(
                    thing,
                    new ThingView(thing.value(), shadow.type(), shadow.owner().value(), false, shadow.document()));
        });
        return views;
    }

    /** Sets each searchable reported and desired value of the thing, with probability {@code share}, at random. */
    private static void update(ThingId thing, String type, double share) {
        ThingModel model = StoreFixture.MODELS.get(type).orElseThrow();
        ObjectNode reported = SafeJson.object();
        ObjectNode desired = SafeJson.object();
        for (String path : SCHEMA.pathsOf(type).keySet()) {
            if (RANDOM.nextDouble() >= share) {
                continue;
            }
            boolean isReported = path.startsWith("state.reported.");
            String dotted = path.substring(isReported ? "state.reported.".length() : "state.desired.".length());
            DataSchema schema = model.schemaAt(dotted).orElseThrow();
            JsonNode value = RANDOM.nextInt(10) == 0 ? SafeJson.mapper().nullNode() : randomValue(schema);
            put(isReported ? reported : desired, dotted, value);
        }
        ObjectNode state = SafeJson.object();
        if (!reported.isEmpty()) {
            state.set("reported", reported);
        }
        if (!desired.isEmpty()) {
            state.set("desired", desired);
        }
        if (state.isEmpty()) {
            return;
        }
        ObjectNode body = SafeJson.object();
        body.set("state", state);
        UpdateOutcome outcome =
                await(redis.store().shadows().update(thing, Requester.admin(), request(SafeJson.writeString(body))));
        assertThat(outcome).as("update of " + thing + ": " + body).isInstanceOf(UpdateOutcome.Accepted.class);
    }

    private static void put(ObjectNode section, String dotted, JsonNode value) {
        String[] names = dotted.split("\\.");
        ObjectNode node = section;
        for (int i = 0; i < names.length - 1; i++) {
            node = node.has(names[i]) ? (ObjectNode) node.get(names[i]) : node.putObject(names[i]);
        }
        node.set(names[names.length - 1], value);
    }

    private static JsonNode randomValue(DataSchema schema) {
        if (!schema.enumValues().isEmpty()) {
            return schema.enumValues().get(RANDOM.nextInt(schema.enumValues().size()));
        }
        return switch (schema.type()) {
            case BOOLEAN -> SafeJson.mapper().getNodeFactory().booleanNode(RANDOM.nextBoolean());
            case INTEGER ->
                SafeJson.mapper()
                        .getNodeFactory()
                        .numberNode(randomNumber(schema, 0).longValue());
            default -> SafeJson.mapper().getNodeFactory().numberNode(randomNumber(schema, 1));
        };
    }

    /** A number within the schema's bounds, from a small set so that ties and equality happen. */
    private static BigDecimal randomNumber(DataSchema schema, int scale) {
        BigDecimal min = schema.minimum() == null ? BigDecimal.valueOf(-50) : schema.minimum();
        BigDecimal max = schema.maximum() == null ? BigDecimal.valueOf(150) : schema.maximum();
        BigDecimal step = max.subtract(min).divide(BigDecimal.valueOf(12), scale, RoundingMode.DOWN);
        return min.add(step.multiply(BigDecimal.valueOf(RANDOM.nextInt(13)))).setScale(scale, RoundingMode.DOWN);
    }

    /** A random filter over the searchable paths, with literals the values above can equal. */
    private static String randomFilter(int depth) {
        int pick = RANDOM.nextInt(depth <= 0 ? 3 : 6);
        if (pick >= 3) {
            String op = List.of("and", "or", "not").get(pick - 3);
            if (op.equals("not")) {
                return "not(" + randomFilter(depth - 1) + ")";
            }
            int n = 1 + RANDOM.nextInt(3);
            List<String> kids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                kids.add(randomFilter(depth - 1));
            }
            return op + "(" + String.join(",", kids) + ")";
        }
        if (RANDOM.nextInt(6) == 0) {
            return RANDOM.nextBoolean()
                    ? "eq(type,\"" + TYPES.get(RANDOM.nextInt(TYPES.size())) + "\")"
                    : "eq(owner,\"" + OWNERS.get(RANDOM.nextInt(OWNERS.size())) + "\")";
        }
        String type = TYPES.get(RANDOM.nextInt(TYPES.size()));
        List<String> paths = new ArrayList<>(SCHEMA.pathsOf(type).keySet());
        String path = paths.get(RANDOM.nextInt(paths.size()));
        boolean isReported = path.startsWith("state.reported.");
        DataSchema schema = StoreFixture.MODELS
                .get(type)
                .orElseThrow()
                .schemaAt(path.substring(isReported ? "state.reported.".length() : "state.desired.".length()))
                .orElseThrow();
        String literal = SafeJson.writeString(randomValue(schema));
        if (RANDOM.nextInt(5) == 0) {
            return "exists(" + path + ")";
        }
        if (schema.type().isNumeric()) {
            String op = List.of("eq", "ne", "lt", "le", "gt", "ge").get(RANDOM.nextInt(6));
            return op + "(" + path + "," + literal + ")";
        }
        if (!schema.enumValues().isEmpty() && RANDOM.nextBoolean()) {
            return "in(" + path + "," + literal + "," + SafeJson.writeString(randomValue(schema)) + ")";
        }
        return (RANDOM.nextBoolean() ? "eq(" : "ne(") + path + "," + literal + ")";
    }
}
