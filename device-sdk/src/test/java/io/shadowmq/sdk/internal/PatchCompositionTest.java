package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.shadowmq.model.shadow.ShadowAlgebra;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

class PatchCompositionTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void theLatestValueOfEachPropertyWinsAndUntouchedPropertiesStay() {
        // given
        ObjectNode first = obj("{'cabin':{'heater':{'isOn':true},'temperature':-2.5},'range':300}");
        ObjectNode second = obj("{'cabin':{'temperature':4.0},'range':290}");

        // when
        Optional<ObjectNode> composed = PatchComposition.compose(first, second);

        // then
        assertThat(composed).contains(obj("{'cabin':{'heater':{'isOn':true},'temperature':4.0},'range':290}"));
    }

    @Test
    void aDeletionIsKeptForTheServerInsteadOfDroppingTheKey() {
        // given: mergePatch(first, second) would simply remove 'range' and the server would keep its old value
        ObjectNode first = obj("{'range':300}");
        ObjectNode second = obj("{'range':null}");

        // when / then
        assertThat(PatchComposition.compose(first, second)).contains(obj("{'range':null}"));
    }

    @Test
    void aValueAfterADeletionReplacesTheDeletion() {
        assertThat(PatchComposition.compose(obj("{'range':null}"), obj("{'range':280}")))
                .contains(obj("{'range':280}"));
    }

    @Test
    void anObjectWithContentAfterAScalarOrDeletionCannotBeOnePatch() {
        // after {"doors":null}, the object must replace whatever the shadow holds: no merge patch says that
        assertThat(PatchComposition.compose(obj("{'doors':null}"), obj("{'doors':{'trunk':{'isOpen':true}}}")))
                .isEmpty();
        assertThat(PatchComposition.compose(obj("{'a':{'b':5}}"), obj("{'a':{'b':{'c':1}}}")))
                .isEmpty();
    }

    @Test
    void anObjectThatAddsNothingAfterAScalarDeletesTheKey() {
        assertThat(PatchComposition.compose(obj("{'a':5}"), obj("{'a':{'b':null}}")))
                .contains(obj("{'a':null}"));
    }

    @Test
    void neitherArgumentIsChanged() {
        ObjectNode first = obj("{'a':{'b':1}}");
        ObjectNode second = obj("{'a':{'c':2}}");

        PatchComposition.compose(first, second);

        assertThat(first).isEqualTo(obj("{'a':{'b':1}}"));
        assertThat(second).isEqualTo(obj("{'a':{'c':2}}"));
    }

    @Property(tries = 2000)
    void sendingTheCompositionLeavesTheStateAsSendingBothPatchesInTurn(
            @ForAll("states") ObjectNode state,
            @ForAll("patches") ObjectNode first,
            @ForAll("patches") ObjectNode second) {
        // given
        ObjectNode oneAfterTheOther = ShadowAlgebra.mergePatch(ShadowAlgebra.mergePatch(state, first), second);

        // when
        Optional<ObjectNode> composed = PatchComposition.compose(first, second);

        // then
        Statistics.label("composable").collect(composed.isPresent());
        Statistics.label("composable").coverage(coverage -> coverage.check(true).percentage(p -> p > 80));
        composed.ifPresent(
                patch -> assertThat(ShadowAlgebra.mergePatch(state, patch)).isEqualTo(oneAfterTheOther));
    }

    @Provide
    Arbitrary<ObjectNode> states() {
        return objects(3, false);
    }

    @Provide
    Arbitrary<ObjectNode> patches() {
        return objects(3, true);
    }

    /** Small key alphabet, so that patches often meet; states without nulls or empty objects, as stored. */
    private Arbitrary<ObjectNode> objects(int depth, boolean patch) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.integers().between(-2, 5).map(IntNode::valueOf),
                Arbitraries.strings().alpha().ofMaxLength(2).map(TextNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE),
                Arbitraries.integers()
                        .between(0, 2)
                        .list()
                        .ofMaxSize(2)
                        .map(items -> NODES.arrayNode()
                                .addAll(items.stream().map(IntNode::valueOf).toList())));
        Arbitrary<JsonNode> leaf = patch
                ? Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(1, Arbitraries.just(NullNode.getInstance())))
                : scalar;
        Arbitrary<JsonNode> value = depth <= 1
                ? leaf
                : Arbitraries.frequencyOf(
                        Tuple.of(3, leaf),
                        Tuple.of(
                                2,
                                Arbitraries.lazy(() -> objects(depth - 1, patch))
                                        .map(JsonNode.class::cast)));
        return Arbitraries.maps(Arbitraries.of("a", "b", "c"), value)
                .ofMaxSize(3)
                .map(members -> {
                    ObjectNode object = NODES.objectNode();
                    members.forEach(object::set);
                    return patch ? object : ShadowAlgebra.mergePatch(NODES.objectNode(), object);
                })
                .filter(object -> patch || !containsEmptyObject(object));
    }

    private static boolean containsEmptyObject(JsonNode node) {
        for (JsonNode child : node) {
            if (child.isObject() && (child.isEmpty() || containsEmptyObject(child))) {
                return true;
            }
        }
        return false;
    }
}
