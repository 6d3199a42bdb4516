package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Actions in thing models: how they are read, what is refused, and how inputs and outputs are checked. */
class ActionModelTest {

    private static final ThingModels MODELS = ThingModels.bundled();

    private static ActionModel action(String type, String name) {
        return MODELS.get(type).orElseThrow().action(name).orElseThrow();
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return SafeJson.read(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A model with the given single-quoted {@code actions} body. */
    private static ThingModel withActions(String actions) {
        return ThingModelParserTest.parse("washer.json", """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Washer',
                 'properties':{'program':{'type':'string'}},'actions':{%s}}
                """.formatted(actions));
    }

    private static void assertRefused(String actions, String message) {
        assertThatThrownBy(() -> withActions(actions))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(message);
    }

    @Test
    void theShippedActionsAreReadWithTheirTerms() {
        ActionModel start = action("washer", "start");
        assertThat(start.title()).isEqualTo("Start a program");
        assertThat(start.input().properties()).containsOnlyKeys("program");
        assertThat(start.requiredInput()).containsExactly("program");
        assertThat(start.output().properties()).containsOnlyKeys("minutes");
        assertThat(start.critical()).isFalse();
        assertThat(start.concurrent()).isFalse();
        assertThat(start.defaultTtl()).isEqualTo(Duration.ofSeconds(600));

        assertThat(action("car", "unlock").critical()).isTrue();
        assertThat(action("car", "lock").critical()).isFalse();
        assertThat(action("car", "honkAndFlash").concurrent()).isTrue();
        assertThat(action("car", "honkAndFlash").defaultTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(action("washer", "pause").input()).isNull();
        assertThat(MODELS.get("car").orElseThrow().actions())
                .containsOnlyKeys("lock", "unlock", "honkAndFlash", "startClimatization");
        assertThat(MODELS.get("washer").orElseThrow().actions().keySet()).containsExactly("start", "pause", "stop");
        assertThat(MODELS.get("fridge").orElseThrow().action("superCool")).isPresent();
        assertThat(MODELS.get("speaker").orElseThrow().action("announce")).isPresent();
        assertThat(MODELS.get("speaker").orElseThrow().action("dance")).isEmpty();
        // The raw model, as GET /api/v1/models/{type} serves it, carries the actions as written.
        assertThat(MODELS.get("washer")
                        .orElseThrow()
                        .raw()
                        .at("/actions/start/input/required/0")
                        .asText())
                .isEqualTo("program");
    }

    @Test
    void theClimatizationInputFollowsTheCabinHeatersRange() {
        DataSchema heater = MODELS.get("car")
                .orElseThrow()
                .schemaAt("cabin.heater.targetTemperature")
                .orElseThrow();
        DataSchema input = action("car", "startClimatization")
                .input()
                .property("targetTemperature")
                .orElseThrow();

        assertThat(input.minimum()).isEqualTo(heater.minimum());
        assertThat(input.maximum()).isEqualTo(heater.maximum());
        assertThat(input.unit()).isEqualTo(heater.unit());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'program':'boil'}            | input.program: 'boil' is not one of [cotton, synthetics, wool, quick, eco]",
                "{}                            | input.program: required",
                "{'program':null}              | input.program: expected string, got null",
                "{'program':'eco','speed':3}   | input.speed: unknown property",
                "{'program':7}                 | input.program: expected string, got number",
                "['eco']                       | input: expected object, got array",
            })
    void anInputThatBreaksTheSchemaIsA422NamingTheRule(String input, String message) {
        assertThat(action("washer", "start").checkInput(json(input)))
                .contains(new Rejection(Rejection.MODEL_VIOLATION, message));
    }

    @Test
    void goodInputsAndNoInputWhereNoneIsTakenPass() {
        assertThat(action("washer", "start").checkInput(json("{'program':'eco'}")))
                .isEmpty();
        assertThat(action("car", "startClimatization").checkInput(json("{'targetTemperature':21.5,'minutes':30}")))
                .isEmpty();
        assertThat(action("car", "startClimatization").checkInput(json("{'targetTemperature':35}")))
                .contains(Rejection.modelViolation("input.targetTemperature: 35 > maximum 28"));
        ActionModel pause = action("washer", "pause");
        assertThat(pause.checkInput(MissingNode.getInstance())).isEmpty();
        assertThat(pause.checkInput(json("null"))).isEmpty();
        assertThat(pause.checkInput(json("{}"))).isEmpty();
        assertThat(pause.checkInput(json("{'now':true}")))
                .contains(Rejection.modelViolation("input: this action takes no input"));
        assertThat(pause.checkInput(json("3"))).contains(Rejection.modelViolation("input: this action takes no input"));
    }

    @Test
    void outputsAreCheckedAgainstTheOutputSchema() {
        ActionModel start = action("washer", "start");

        assertThat(start.checkOutput(json("{'minutes':42}"))).isEmpty();
        assertThat(start.checkOutput(MissingNode.getInstance())).isEmpty();
        assertThat(start.checkOutput(json("{'minutes':-1,'kwh':2}")))
                .contains(Rejection.modelViolation("output.minutes: -1 < minimum 0; output.kwh: unknown property"));
        assertThat(action("car", "lock").checkOutput(json("{'locked':true}")))
                .contains(Rejection.modelViolation("output: this action takes no output"));
    }

    @Test
    void unknownAndMalformedActionTermsAreRefusedNamingTheFileActionAndTerm() {
        assertRefused(
                "'start':{'priority':1}",
                "washer.json: actions.start.priority: unsupported keyword in an action (ShadowMQ would not enforce it;"
                        + " see docs/thing-models.md)");
        assertRefused(
                "'start':{'safety':'high'}", "washer.json: actions.start.safety: must be \"critical\" or \"normal\"");
        assertRefused(
                "'start':{'ttlSeconds':0}",
                "washer.json: actions.start.ttlSeconds: must be a whole number of seconds, 1..604800");
        assertRefused(
                "'start':{'ttlSeconds':604801}",
                "washer.json: actions.start.ttlSeconds: must be a whole number of seconds, 1..604800");
        assertRefused(
                "'start':{'ttlSeconds':1.5}",
                "washer.json: actions.start.ttlSeconds: must be a whole number of seconds, 1..604800");
        assertRefused("'start':{'concurrent':'yes'}", "washer.json: actions.start.concurrent: must be true or false");
        assertRefused(
                "'start':{'input':{'type':'string'}}",
                "washer.json: actions.start.input: must be a data schema of type object");
        assertRefused(
                "'start':{'input':{'type':'object','properties':{'program':{'type':'string','maxLength':5}}}}",
                "washer.json: actions.start.input.program.maxLength: unsupported keyword (ShadowMQ would not enforce"
                        + " it; see docs/thing-models.md)");
        assertRefused(
                "'start':{'input':{'type':'object','properties':{'program':{'type':'string'}},'required':['speed']}}",
                "washer.json: actions.start: required input speed is not a property of the input");
        assertRefused(
                "'start':{'input':{'type':'object','properties':{'program':{'type':'string'}},'required':'program'}}",
                "washer.json: actions.start.input.required: must be an array of input property names");
        assertRefused(
                "'start':{'output':{'type':'object','properties':{'n':{'type':'integer'}},'required':['n']}}",
                "washer.json: actions.start.output.required: unsupported keyword (ShadowMQ would not enforce it;"
                        + " see docs/thing-models.md)");
        assertRefused(
                "'st art':{}", "washer.json: actions.st art: action name must match ^[A-Za-z][A-Za-z0-9_]{0,63}$");
        assertRefused("'start':true", "washer.json: actions.start: must be an object (an action), not boolean");
    }

    @Test
    void everyShippedActionHasATitleAndEveryNumberOfItsSchemasAUnitAndARange() {
        MODELS.models()
                .values()
                .forEach(model -> model.actions().values().forEach(action -> {
                    String where = model.type() + ": actions." + action.name();
                    assertThat(action.title()).as(where + " title").isNotBlank();
                    assertThat(action.description()).as(where + " description").isNotBlank();
                    for (DataSchema schema : new DataSchema[] {action.input(), action.output()}) {
                        if (schema != null) {
                            schema.properties().forEach((name, leaf) -> {
                                assertThat(leaf.title())
                                        .as(where + "." + name + " title")
                                        .isNotBlank();
                                if (leaf.type().isNumeric()) {
                                    assertThat(leaf.unit())
                                            .as(where + "." + name)
                                            .isIn(ShippedModelsTest.DOCUMENTED_UNITS);
                                    assertThat(leaf.minimum())
                                            .as(where + "." + name)
                                            .isNotNull();
                                    assertThat(leaf.maximum())
                                            .as(where + "." + name)
                                            .isNotNull();
                                }
                            });
                        }
                    }
                }));
    }

    @Test
    void aModelWithoutActionsHasNone() {
        ThingModel model =
                ThingModelParserTest.parse("test.json", ThingModelParserTest.modelWith("'a':{'type':'boolean'}"));

        assertThat(model.actions()).isEmpty();
        assertThat(model.action("start")).isEmpty();
    }

    @Test
    void anActionModelInCodeKeepsToTheSameRules() {
        assertThatThrownBy(
                        () -> new ActionModel("start", null, null, null, null, false, Duration.ZERO, false, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttlSeconds must be 1..604800");
        assertThatThrownBy(() -> new ThingModel(
                        "washer",
                        "Washer",
                        null,
                        Map.of(
                                "a",
                                new DataSchema(
                                        SchemaType.BOOLEAN,
                                        null,
                                        null,
                                        java.util.List.of(),
                                        null,
                                        false,
                                        Map.of(),
                                        "A",
                                        null)),
                        json("{}"),
                        Map.of(
                                "start",
                                new ActionModel(
                                        "stop",
                                        null,
                                        null,
                                        null,
                                        null,
                                        false,
                                        Duration.ofSeconds(1),
                                        false,
                                        Set.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("action start is named stop");
    }
}
