package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.shadowmq.model.json.SafeJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules that must hold for every state and every update, not just the examples in {@link ShadowAlgebraTest}.
 * Keys come from a small alphabet so that patches often hit existing members.
 */
class ShadowAlgebraPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long T0 = 1_700_000_000_000L;

    @Property(tries = 1000)
    void aPatchFollowedByItsInverseRestoresTheState(
            @ForAll("states") ObjectNode target, @ForAll("patches") ObjectNode patch) {
        // given
        ObjectNode patched = ShadowAlgebra.mergePatch(target, patch);

        // when
        ObjectNode restored = ShadowAlgebra.mergePatch(patched, ShadowAlgebra.inversePatch(target, patch));

        // then
        assertThat(restored).isEqualTo(target);
    }

    @Property(tries = 1000)
    void theDeltaIsEmptyExactlyWhenEveryDesiredLeafIsReportedWithAnEqualValue(
            @ForAll("desiredAndReported") Map.Entry<ObjectNode, ObjectNode> sections) {
        // given
        ShadowDocument doc =
                new ShadowDocument(sections.getValue(), sections.getKey(), SafeJson.object(), SafeJson.object(), 1, T0);

        // when
        boolean contained = isContainedIn(doc.desired(), doc.reported());

        // then
        assertThat(doc.delta().isEmpty()).isEqualTo(contained);
        // A property that only ever sees one side of the "iff" proves half of it.
        Statistics.label("desired contained in reported").collect(contained);
        Statistics.label("desired contained in reported").coverage(coverage -> {
            coverage.check(true).percentage(percent -> percent > 20);
            coverage.check(false).percentage(percent -> percent > 20);
        });
    }

    @Property(tries = 300)
    void versionsStrictlyIncreaseOverAnySequenceOfUpdatesAndDeletes(@ForAll("steps") List<Step> steps) {
        ShadowDocument doc = ShadowDocument.empty(0);
        long lastAcceptedVersion = 0;
        long now = T0;
        for (Step step : steps) {
            now += 10;
            if (step.delete()) {
                doc = ShadowAlgebra.delete(doc);
                assertThat(doc.version()).isEqualTo(lastAcceptedVersion);
                continue;
            }
            UpdateOutcome outcome = ShadowAlgebra.apply(doc, step.request(doc.version()), now, ShadowLimits.DEFAULT);
            if (outcome instanceof UpdateOutcome.Accepted accepted) {
                assertThat(accepted.current().version()).isEqualTo(lastAcceptedVersion + 1);
                lastAcceptedVersion = accepted.current().version();
                doc = accepted.current();
            } else {
                assertThat(step.versionCheck()).isEqualTo(VersionCheck.STALE);
            }
        }
        Statistics.label("accepted updates").collect(lastAcceptedVersion > 3 ? "more than 3" : "up to 3");
        Statistics.label("accepted updates")
                .coverage(coverage -> coverage.check("more than 3").percentage(percent -> percent > 20));
    }

    @Property(tries = 500)
    void applyNeverChangesItsInputs(@ForAll("documents") ShadowDocument current, @ForAll("steps") List<Step> steps) {
        for (Step step : steps) {
            // given snapshots taken through JSON text, so they share nothing with the originals
            UpdateRequest request = step.request(current.version());
            ShadowDocument documentBefore = ShadowDocument.fromStoredJson(current.toStoredJson());
            String requestBefore = SafeJson.writeString(request.state()) + request.reported() + request.desired();

            // when
            ShadowAlgebra.apply(current, request, T0 + 1, ShadowLimits.DEFAULT);

            // then
            assertThat(current).isEqualTo(documentBefore);
            assertThat(SafeJson.writeString(request.state()) + request.reported() + request.desired())
                    .isEqualTo(requestBefore);
        }
    }

    @Property(tries = 500)
    void theStoredFormRoundTripsThroughJsonText(@ForAll("documents") ShadowDocument doc) throws Exception {
        byte[] stored = SafeJson.write(doc.toStoredJson());

        assertThat(ShadowDocument.fromStoredJson(SafeJson.read(stored))).isEqualTo(doc);
    }

    @Property(tries = 500)
    void metadataMirrorsTheStateAfterAnyUpdate(@ForAll("documents") ShadowDocument doc) {
        assertThat(leafPaths(doc.reportedMetadata(), true)).isEqualTo(leafPaths(doc.reported(), false));
        assertThat(leafPaths(doc.desiredMetadata(), true)).isEqualTo(leafPaths(doc.desired(), false));
    }

    // ---- the oracle: written independently of the production code, on Jackson's comparator-based equality ----

    /** Every leaf of {@code desired} exists at the same path in {@code reported} with a numerically equal value. */
    private static boolean isContainedIn(ObjectNode desired, ObjectNode reported) {
        for (Map.Entry<String, JsonNode> member : desired.properties()) {
            JsonNode actual = reported.get(member.getKey());
            if (member.getValue().isObject()) {
                if (actual == null
                        || !actual.isObject()
                        || !isContainedIn((ObjectNode) member.getValue(), (ObjectNode) actual)) {
                    return false;
                }
            } else if (actual == null
                    || !member.getValue().equals(ShadowAlgebraPropertyTest::compareNumbersByValue, actual)) {
                return false;
            }
        }
        return true;
    }

    private static int compareNumbersByValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    }

    /** Sorted paths to the leaves; in metadata a leaf is the {@code {"timestamp":..}} object. */
    private static List<String> leafPaths(ObjectNode tree, boolean metadata) {
        List<String> paths = new ArrayList<>();
        collectLeafPaths(tree, "", metadata, paths);
        paths.sort(String::compareTo);
        return paths;
    }

    private static void collectLeafPaths(ObjectNode tree, String prefix, boolean metadata, List<String> paths) {
        for (Map.Entry<String, JsonNode> member : tree.properties()) {
            JsonNode value = member.getValue();
            String path = prefix + "/" + member.getKey();
            boolean metadataLeaf =
                    metadata && value.size() == 1 && value.path("timestamp").isIntegralNumber();
            if (value.isObject() && !metadataLeaf) {
                collectLeafPaths((ObjectNode) value, path, metadata, paths);
            } else {
                paths.add(path);
            }
        }
    }

    // ---- generators ----

    enum VersionCheck {
        NONE,
        CURRENT,
        STALE
    }

    /** An update or a delete; the expected version is resolved against the shadow when the step runs. */
    record Step(boolean delete, JsonNode reported, JsonNode desired, VersionCheck versionCheck) {

        UpdateRequest request(long currentVersion) {
            Long version = switch (versionCheck) {
                case NONE -> null;
                case CURRENT -> currentVersion;
                case STALE -> currentVersion + 1;
            };
            return UpdateRequest.of(reported, desired, version, null);
        }
    }

    @Provide
    Arbitrary<ObjectNode> states() {
        return objects(3, false, 0);
    }

    @Provide
    Arbitrary<ObjectNode> patches() {
        return objects(3, true, 0);
    }

    @Provide
    Arbitrary<Map.Entry<ObjectNode, ObjectNode>> desiredAndReported() {
        return states().flatMap(desired -> Arbitraries.oneOf(
                        states(),
                        Arbitraries.just(desired),
                        Arbitraries.just(withIntegersAsDoubles(desired)),
                        patches().map(patch -> ShadowAlgebra.mergePatch(desired, patch)))
                .map(reported -> Map.entry(desired, reported)));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<JsonNode> section = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(MissingNode.getInstance())),
                Tuple.of(1, Arbitraries.just(NullNode.getInstance())),
                Tuple.of(6, patches().map(JsonNode.class::cast)));
        Arbitrary<Step> update = Combinators.combine(section, section, Arbitraries.of(VersionCheck.class))
                .as((reported, desired, check) -> new Step(false, reported, desired, check));
        Arbitrary<Step> delete = Arbitraries.just(
                new Step(true, MissingNode.getInstance(), MissingNode.getInstance(), VersionCheck.NONE));
        return Arbitraries.frequencyOf(Tuple.of(9, update), Tuple.of(1, delete))
                .list()
                .ofMaxSize(12);
    }

    /** Documents as the algebra builds them: a random history of updates and deletes. */
    @Provide
    Arbitrary<ShadowDocument> documents() {
        return Combinators.combine(steps(), Arbitraries.longs().between(0, 1000))
                .as((steps, startVersion) -> {
                    ShadowDocument doc = ShadowDocument.empty(startVersion);
                    long now = T0;
                    for (Step step : steps) {
                        now += 7;
                        if (step.delete()) {
                            doc = ShadowAlgebra.delete(doc);
                        } else if (ShadowAlgebra.apply(doc, step.request(doc.version()), now, ShadowLimits.DEFAULT)
                                instanceof UpdateOutcome.Accepted accepted) {
                            doc = accepted.current();
                        }
                    }
                    return doc;
                });
    }

    /** Normalized when {@code withNulls} is false (no null members, no empty nested objects), like a stored state. */
    private Arbitrary<ObjectNode> objects(int depth, boolean withNulls, int minSize) {
        Arbitrary<JsonNode> leaf = withNulls
                ? Arbitraries.frequencyOf(Tuple.of(4, scalars()), Tuple.of(1, Arbitraries.just(NullNode.getInstance())))
                : scalars();
        // Patches may hold empty objects (they delete a leaf they replace); states never do.
        Arbitrary<JsonNode> value = depth <= 1
                ? leaf
                : Arbitraries.frequencyOf(
                        Tuple.of(3, leaf),
                        Tuple.of(
                                1,
                                Arbitraries.lazy(() -> objects(depth - 1, withNulls, withNulls ? 0 : 1))
                                        .map(JsonNode.class::cast)));
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "on", "target"), value)
                .ofMinSize(minSize)
                .ofMaxSize(4)
                .map(members -> {
                    ObjectNode object = NODES.objectNode();
                    members.forEach(object::set);
                    return object;
                });
    }

    /** Canonical nodes, as SafeJson reads them: IntNode when it fits, LongNode beyond, DoubleNode for fractions. */
    private Arbitrary<JsonNode> scalars() {
        Arbitrary<JsonNode> single = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 30).map(IntNode::valueOf),
                Arbitraries.longs()
                        .between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE)
                        .map(LongNode::valueOf),
                Arbitraries.of(-0.5, 0.1, 20.0, 21.5, 1e300).map(DoubleNode::valueOf),
                Arbitraries.strings().alpha().ofMaxLength(4).map(TextNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE));
        Arbitrary<JsonNode> array =
                single.list().ofMaxSize(3).map(elements -> NODES.arrayNode().addAll(elements));
        return Arbitraries.frequencyOf(Tuple.of(8, single), Tuple.of(1, array));
    }

    /** The same state with every integer written as a double: 20 becomes 20.0, which the delta must treat as equal. */
    private static ObjectNode withIntegersAsDoubles(ObjectNode state) {
        ObjectNode copy = NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : state.properties()) {
            JsonNode value = member.getValue();
            if (value.isObject()) {
                copy.set(member.getKey(), withIntegersAsDoubles((ObjectNode) value));
            } else if (value.isInt()) {
                copy.put(member.getKey(), (double) value.intValue());
            } else {
                copy.set(member.getKey(), value.deepCopy());
            }
        }
        return copy;
    }
}
