package io.shadowmq.model.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.ShadowDocument;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index plan never loses a match: for random shadows of the shipped models and random filters, every thing
 * a filter matches is accepted by its plan run over the thing's index entries, as the Redis search script runs it
 * (a small interpreter below, written from docs/search.md, not from the planner). Also: filters read back from
 * their RQL text mean the same.
 */
class FilterPlanPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ThingModels MODELS = ThingModels.bundled();
    private static final SearchSchema SCHEMA = SearchSchema.of(MODELS);
    private static final List<String> TYPES = List.copyOf(MODELS.types());

    /** Few values, so that filters and shadows often meet. */
    private static final List<Double> NUMBERS =
            List.of(-3.0, 0.0, 4.0, 12.5, 20.0, 42.0, 120.0, 1_764_000_000_000.0, 0.1 + 0.2);

    private static final List<String> STRINGS = List.of(
            "car",
            "fridge",
            "washer",
            "speaker",
            "alice",
            "bob",
            "eco",
            "running",
            "idle",
            "car-1",
            "fridge-2",
            "",
            "a\"b\\c");
    private static final List<String> GLOBS = List.of("car-*", "*", "e*o", "?dle", "*-1", "a*", "??????-2", "");
    private static final List<Long> TIMESTAMPS = List.of(1_763_000_000_000L, 1_764_000_000_000L, 1_765_000_000_000L);
    private static final List<String> PATHS = paths();

    @Property(tries = 3000)
    void everyMatchIsAcceptedByThePlan(@ForAll("cases") Case example) {
        ThingView thing = example.thing();
        Filter filter = example.filter();
        List<String> plan = filter.plan();
        List<String> entries = SCHEMA.indexEntries(thing.type(), thing.owner(), thing.document());

        boolean matches = filter.matches(thing);
        boolean accepted = new PlanRun(plan, entries, thing.thingId()).accepts();

        if (matches) {
            assertThat(accepted)
                    .as("%s matches %s but its plan %s rejects the entries %s", filter.toRql(), thing, plan, entries)
                    .isTrue();
        }
        Statistics.label("matches").collect(matches);
        Statistics.label("matches").coverage(coverage -> coverage.check(true).percentage(p -> p > 15));
        // Only a match under a plan that restricts puts the planner to the test.
        Statistics.label("a match under a restricting plan").collect(matches && !plan.equals(List.of("all")));
        Statistics.label("a match under a restricting plan")
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 4));
    }

    @Property(tries = 1000)
    void aFilterReadBackFromItsRqlMeansTheSame(@ForAll("cases") Case example) {
        ThingView thing = example.thing();
        Filter filter = example.filter();
        Filter read = Rql.parse(filter.toRql());

        assertThat(read.toRql()).isEqualTo(filter.toRql());
        assertThat(read).isEqualTo(withoutKinds(filter)); // kinds come from the schema, not from the text
        assertThat(read.matches(thing)).isEqualTo(withoutKinds(filter).matches(thing));
        assertThat(read.paths()).isEqualTo(filter.paths());
    }

    /** The filter as {@link Rql#parse} reads it: exists without kinds. */
    private static Filter withoutKinds(Filter filter) {
        if (filter instanceof Filter.Exists exists) {
            return new Filter.Exists(exists.path());
        }
        if (filter instanceof Filter.And and) {
            return new Filter.And(and.filters().stream()
                    .map(FilterPlanPropertyTest::withoutKinds)
                    .toList());
        }
        if (filter instanceof Filter.Or or) {
            return new Filter.Or(or.filters().stream()
                    .map(FilterPlanPropertyTest::withoutKinds)
                    .toList());
        }
        if (filter instanceof Filter.Not not) {
            return new Filter.Not(withoutKinds(not.filter()));
        }
        return filter;
    }

    // ---- the plan as the search script runs it ----

    /** Runs a plan over one thing's index entries ({@code [path, token, ...]}) and thing id. */
    private static final class PlanRun {
        private final List<String> plan;
        private final List<String> entries;
        private final String thingId;
        private int at;

        PlanRun(List<String> plan, List<String> entries, String thingId) {
            this.plan = plan;
            this.entries = entries;
            this.thingId = thingId;
        }

        boolean accepts() {
            boolean accepted = next();
            assertThat(at).as("plan %s has trailing elements", plan).isEqualTo(plan.size());
            return accepted;
        }

        private boolean next() {
            String op = plan.get(at++);
            switch (op) {
                case "all":
                    return true;
                case "and":
                case "or": {
                    int n = Integer.parseInt(plan.get(at++));
                    assertThat(n).as("children of %s in %s", op, plan).isGreaterThanOrEqualTo(2);
                    boolean and = op.equals("and");
                    boolean result = and;
                    for (int i = 0; i < n; i++) {
                        boolean child = next();
                        result = and ? result && child : result || child;
                    }
                    return result;
                }
                case "num": {
                    String path = plan.get(at++);
                    String min = plan.get(at++);
                    String max = plan.get(at++);
                    for (int i = 0; i < entries.size(); i += 2) {
                        String token = entries.get(i + 1);
                        if (entries.get(i).equals(path) && token.startsWith("n")) {
                            double score = Double.parseDouble(token.substring(1));
                            if (above(score, min) && below(score, max)) {
                                return true;
                            }
                        }
                    }
                    return false;
                }
                case "val": {
                    String path = plan.get(at++);
                    String token = plan.get(at++);
                    for (int i = 0; i < entries.size(); i += 2) {
                        if (entries.get(i).equals(path) && entries.get(i + 1).equals(token)) {
                            return true;
                        }
                    }
                    return false;
                }
                case "has": {
                    String path = plan.get(at++);
                    for (int i = 0; i < entries.size(); i += 2) {
                        if (entries.get(i).equals(path) && !entries.get(i + 1).startsWith("n")) {
                            return true;
                        }
                    }
                    return false;
                }
                case "id":
                    return plan.get(at++).equals(thingId);
                default:
                    throw new AssertionError("unknown plan step " + op + " in " + plan);
            }
        }

        /** ZRANGEBYSCORE's lower bound: -inf, (x exclusive, x inclusive. */
        private static boolean above(double score, String min) {
            if (min.equals("-inf")) {
                return true;
            }
            return min.startsWith("(")
                    ? score > Double.parseDouble(min.substring(1))
                    : score >= Double.parseDouble(min);
        }

        private static boolean below(double score, String max) {
            if (max.equals("+inf")) {
                return true;
            }
            return max.startsWith("(")
                    ? score < Double.parseDouble(max.substring(1))
                    : score <= Double.parseDouble(max);
        }
    }

    // ---- generators ----

    /** A thing and a filter that often names the thing's own paths and values, so that it often matches. */
    record Case(ThingView thing, Filter filter) {
        @Override
        public String toString() {
            return filter.toRql() + " on " + thing;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.randomValue(random -> {
            ThingView thing = thing(random);
            return new Case(thing, filter(random, 0, thing));
        });
    }

    private static ThingView thing(Random random) {
        String type = pick(random, TYPES);
        String thingId = type + "-" + (1 + random.nextInt(2));
        String owner = random.nextBoolean() ? "alice" : "bob";
        ShadowDocument document = random.nextInt(8) == 0 ? null : document(random, type);
        return new ThingView(thingId, type, owner, random.nextBoolean(), document);
    }

    /** A shadow holding some of the type's searchable values, now and then one of the wrong JSON type. */
    private static ShadowDocument document(Random random, String type) {
        ObjectNode reported = NODES.objectNode();
        ObjectNode desired = NODES.objectNode();
        ObjectNode reportedMetadata = NODES.objectNode();
        ObjectNode desiredMetadata = NODES.objectNode();
        for (Map.Entry<String, SearchSchema.Kind> searchable :
                SCHEMA.pathsOf(type).entrySet()) {
            boolean isReported = searchable.getKey().startsWith("state.reported.");
            if (random.nextDouble() >= (isReported ? 0.6 : 0.3)) {
                continue;
            }
            String path =
                    searchable.getKey().substring(isReported ? "state.reported.".length() : "state.desired.".length());
            DataSchema schema = MODELS.get(type).orElseThrow().schemaAt(path).orElseThrow();
            set(isReported ? reported : desired, path, value(random, searchable.getValue(), schema));
            ObjectNode stamp = NODES.objectNode().put("timestamp", pick(random, TIMESTAMPS));
            set(isReported ? reportedMetadata : desiredMetadata, path, stamp);
        }
        return new ShadowDocument(reported, desired, reportedMetadata, desiredMetadata, 1 + random.nextInt(9), 1);
    }

    private static JsonNode value(Random random, SearchSchema.Kind kind, DataSchema schema) {
        int dice = random.nextInt(20);
        if (dice == 0) {
            return NODES.arrayNode().add(1);
        }
        if (dice == 1) {
            return literalNode(literal(random));
        }
        switch (kind) {
            case NUMBER:
                return NODES.numberNode(pick(random, NUMBERS));
            case BOOLEAN:
                return NODES.booleanNode(random.nextBoolean());
            case ENUM:
                return pick(random, schema.enumValues());
            default:
                return NODES.textNode(pick(random, STRINGS));
        }
    }

    private static JsonNode literalNode(Filter.Literal literal) {
        if (literal instanceof Filter.Num num) {
            return NODES.numberNode(num.value());
        }
        if (literal instanceof Filter.Bool bool) {
            return NODES.booleanNode(bool.value());
        }
        return NODES.textNode(((Filter.Text) literal).value());
    }

    private static Filter filter(Random random, int depth, ThingView thing) {
        int dice = random.nextInt(depth >= 3 ? 9 : 12);
        String path = random.nextBoolean() ? pick(random, PATHS) : pick(random, pathsOf(thing));
        switch (dice) {
            case 0, 1, 2, 3:
                return new Filter.Compare(
                        pick(random, List.of(Filter.Comparison.values())), path, literalFor(random, path, thing));
            case 4: {
                List<Filter.Literal> values = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    values.add(literalFor(random, path, thing));
                }
                return new Filter.In(path, values);
            }
            case 5:
                return new Filter.Like(path, pick(random, GLOBS));
            case 6:
                return new Filter.Exists(path, random.nextBoolean() ? Set.of() : SearchQuery.kindsOf(SCHEMA, path));
            case 7, 8: // mostly comparisons of values the path holds, so that filters often match
                return new Filter.Compare(
                        pick(random, List.of(Filter.Comparison.EQ, Filter.Comparison.GE, Filter.Comparison.LE)),
                        path,
                        literalFor(random, path, thing));
            case 9:
                return new Filter.Not(filter(random, depth + 1, thing));
            default: {
                List<Filter> children = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    children.add(filter(random, depth + 1, thing));
                }
                return dice == 10 ? new Filter.And(children) : new Filter.Or(children);
            }
        }
    }

    /** Mostly a literal of a kind the path holds, sometimes any. */
    private static Filter.Literal literalFor(Random random, String path, ThingView thing) {
        JsonNode own = thing.valueAt(path);
        if (own != null && random.nextBoolean()) {
            return own.isNumber()
                    ? new Filter.Num(own.doubleValue())
                    : own.isBoolean() ? new Filter.Bool(own.booleanValue()) : new Filter.Text(own.textValue());
        }
        Set<SearchSchema.Kind> kinds = SearchQuery.kindsOf(SCHEMA, path);
        if (kinds.isEmpty() || random.nextInt(5) == 0) {
            return literal(random);
        }
        if (path.startsWith("metadata.")) {
            return new Filter.Num(pick(random, TIMESTAMPS));
        }
        switch (pick(random, List.copyOf(kinds))) {
            case NUMBER:
                return new Filter.Num(pick(random, NUMBERS));
            case BOOLEAN:
                return new Filter.Bool(random.nextBoolean());
            default:
                return new Filter.Text(pick(random, STRINGS));
        }
    }

    private static Filter.Literal literal(Random random) {
        switch (random.nextInt(3)) {
            case 0:
                return new Filter.Num(pick(random, NUMBERS));
            case 1:
                return new Filter.Bool(random.nextBoolean());
            default:
                return new Filter.Text(pick(random, STRINGS));
        }
    }

    /** The built-in paths and the searchable paths of the thing's type. */
    private static List<String> pathsOf(ThingView thing) {
        List<String> paths = new ArrayList<>(SearchSchema.BUILT_IN);
        paths.addAll(SCHEMA.pathsOf(thing.type()).keySet());
        return paths;
    }

    /** Every searchable path, some metadata timestamps, and paths no model has. */
    private static List<String> paths() {
        List<String> paths = new ArrayList<>(SearchSchema.BUILT_IN);
        paths.addAll(SCHEMA.statePaths());
        List<String> statePaths = List.copyOf(SCHEMA.statePaths());
        for (int i = 0; i < statePaths.size(); i += 3) {
            paths.add("metadata." + statePaths.get(i).substring("state.".length()) + ".timestamp");
        }
        paths.add("state.reported.nothing");
        paths.add("state.reported.doors");
        paths.add("version");
        return List.copyOf(paths);
    }

    private static void set(ObjectNode tree, String dottedPath, JsonNode value) {
        String[] names = dottedPath.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < names.length - 1; i++) {
            parent = parent.has(names[i]) ? (ObjectNode) parent.get(names[i]) : parent.putObject(names[i]);
        }
        parent.set(names[names.length - 1], value);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
