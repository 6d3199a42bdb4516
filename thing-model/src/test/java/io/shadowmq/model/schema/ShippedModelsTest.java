package io.shadowmq.model.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four shipped models say what docs/thing-models.md promises, keep the house conventions (a title on every property,
 * a unit from the documented list on every number and on nothing else), and docs/thing-models.md describes them
 * as they are.
 */
class ShippedModelsTest {

    /** The units docs/thing-models.md lists. A new unit is added there first. */
    static final Set<String> DOCUMENTED_UNITS = Set.of("km", "percent", "celsius", "minute", "hour", "degree");

    private static final ThingModels MODELS = ThingModels.bundled();
    private static final Path DOCS = Path.of("..", "docs", "thing-models.md");

    /** One leaf of a model as the contract describes it; {@code range} is "min..max" or the enum. */
    record Leaf(String model, String path, String type, String unit, String range, boolean writable) {}

    static Stream<Leaf> contractLeaves() {
        List<Leaf> leaves = new ArrayList<>(List.of(
                new Leaf("car", "range", "integer", "km", "0..2000", false),
                new Leaf("car", "fuel.level", "number", "percent", "0..100", false),
                new Leaf("car", "exteriorTemperature", "number", "celsius", "-60..70", false),
                new Leaf("car", "cabin.temperature", "number", "celsius", "-40..85", false),
                new Leaf("car", "cabin.heater.isOn", "boolean", "", "", true),
                new Leaf("car", "cabin.heater.targetTemperature", "number", "celsius", "16..28", true),
                new Leaf("car", "location.latitude", "number", "degree", "-90..90", false),
                new Leaf("car", "location.longitude", "number", "degree", "-180..180", false),
                new Leaf("speaker", "volume", "integer", "percent", "0..100", true),
                new Leaf("speaker", "isMuted", "boolean", "", "", true),
                new Leaf("fridge", "temperature", "number", "celsius", "-30..30", false),
                new Leaf("fridge", "targetTemperature", "number", "celsius", "1..8", true),
                new Leaf("fridge", "door.isOpen", "boolean", "", "", false),
                new Leaf("fridge", "superCool.isOn", "boolean", "", "", true),
                new Leaf("washer", "state", "string", "", "idle, running, paused, finished, error", false),
                new Leaf("washer", "program", "string", "", "cotton, synthetics, wool, quick, eco", true),
                new Leaf("washer", "remainingMinutes", "integer", "minute", "0..600", false)));
        for (String door : List.of("frontLeft", "frontRight", "rearLeft", "rearRight", "trunk")) {
            leaves.add(new Leaf("car", "doors." + door + ".isOpen", "boolean", "", "", false));
            leaves.add(new Leaf("car", "doors." + door + ".isLocked", "boolean", "", "", true));
        }
        for (String window : List.of("frontLeft", "frontRight", "rearLeft", "rearRight")) {
            leaves.add(new Leaf("car", "windows." + window + ".isOpen", "boolean", "", "", false));
        }
        return leaves.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractLeaves")
    void everyContractPropertyIsModelledAsPromised(Leaf expected) {
        ThingModel model = MODELS.get(expected.model()).orElseThrow();

        assertThat(describe(model, expected.path())).isEqualTo(expected);
    }

    @Test
    void modelsHoldNoPropertyTheContractDoesNotMention() {
        Map<String, Set<String>> expected = contractLeaves()
                .collect(Collectors.groupingBy(Leaf::model, Collectors.mapping(Leaf::path, Collectors.toSet())));

        assertThat(MODELS.types()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        MODELS.models()
                .forEach((type, model) ->
                        assertThat(leafPaths(model)).as(type).containsExactlyInAnyOrderElementsOf(expected.get(type)));
    }

    @Test
    void everyPropertyHasATitleAndEveryNumberAUnitFromTheDocumentedList() {
        MODELS.models()
                .values()
                .forEach(model -> allPaths(model).forEach((path, schema) -> {
                    String where = model.type() + ": " + path;
                    assertThat(schema.title()).as(where + " title").isNotBlank();
                    if (schema.type().isNumeric()) {
                        assertThat(schema.unit()).as(where + " unit").isIn(DOCUMENTED_UNITS);
                    } else {
                        // Booleans, enums and objects carry no unit: there is nothing to measure.
                        assertThat(schema.unit()).as(where + " unit").isNull();
                    }
                    if (schema.isLeaf()
                            && schema.type() != SchemaType.BOOLEAN
                            && schema.enumValues().isEmpty()) {
                        assertThat(schema.minimum()).as(where + " minimum").isNotNull();
                        assertThat(schema.maximum()).as(where + " maximum").isNotNull();
                    }
                }));
    }

    @Test
    void everyModelHasTheWotHeaderAndATitle() {
        MODELS.models().values().forEach(model -> {
            assertThat(model.raw().get("@context").asText()).isEqualTo(ThingModelParser.WOT_CONTEXT);
            assertThat(model.raw().get("@type").asText()).isEqualTo(ThingModelParser.THING_MODEL_TYPE);
            assertThat(model.title()).isNotBlank();
            assertThat(model.description()).isNotBlank();
        });
    }

    @Test
    void docsTableShowsEveryShippedPropertyAsModelled() throws IOException {
        String docs = Files.readString(DOCS);

        MODELS.models()
                .values()
                .forEach(model ->
                        leafPaths(model).forEach(path -> assertThat(docs).contains(tableRow(describe(model, path)))));
    }

    @Test
    void theCarSharesWhatItSensesButNotItsLocationAndLetsNoMemberWriteOrUnlock() {
        HouseholdRights car = MODELS.get("car").orElseThrow().householdRights();

        car.leaves()
                .forEach(leaf -> assertThat(leaf.right())
                        .as(leaf.path())
                        .isEqualTo(leaf.path().startsWith("location.") ? HouseholdRight.NONE : HouseholdRight.READ));
        assertThat(car.invocable()).containsExactly("lock", "honkAndFlash");
    }

    @Test
    void speakerFridgeAndWasherKeepTheDefaults() {
        for (String type : List.of("speaker", "fridge", "washer")) {
            ThingModel model = MODELS.get(type).orElseThrow();
            model.householdRights()
                    .leaves()
                    .forEach(leaf -> assertThat(leaf.right())
                            .as(type + ": " + leaf.path())
                            .isEqualTo(leaf.writable() ? HouseholdRight.WRITE : HouseholdRight.READ));
            assertThat(model.householdRights().invocable())
                    .as(type)
                    .containsExactlyElementsOf(model.actions().keySet());
        }
    }

    /** The row docs/thing-models.md has for a leaf: model, path, type, unit, range or enum, writable. */
    static String tableRow(Leaf leaf) {
        return "| " + leaf.model() + " | `" + leaf.path() + "` | " + leaf.type() + " | "
                + (leaf.unit().isEmpty() ? "-" : leaf.unit()) + " | "
                + (leaf.range().isEmpty() ? "-" : leaf.range()) + " | " + (leaf.writable() ? "yes" : "no") + " |";
    }

    private static Leaf describe(ThingModel model, String path) {
        DataSchema schema = model.schemaAt(path).orElseThrow(() -> new AssertionError("no " + path));
        String range = schema.enumValues().isEmpty()
                ? (schema.minimum() == null ? "" : plain(schema.minimum()) + ".." + plain(schema.maximum()))
                : schema.enumValues().stream().map(v -> v.asText()).collect(Collectors.joining(", "));
        boolean writable = !readOnlyAlongPath(model, path);
        return new Leaf(
                model.type(),
                path,
                schema.type().jsonName(),
                schema.unit() == null ? "" : schema.unit(),
                range,
                writable);
    }

    private static boolean readOnlyAlongPath(ThingModel model, String path) {
        String prefix = "";
        for (String name : path.split("\\.")) {
            prefix = prefix.isEmpty() ? name : prefix + "." + name;
            if (model.schemaAt(prefix).orElseThrow().readOnly()) {
                return true;
            }
        }
        return false;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static List<String> leafPaths(ThingModel model) {
        return allPaths(model).entrySet().stream()
                .filter(e -> e.getValue().isLeaf())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static Map<String, DataSchema> allPaths(ThingModel model) {
        Map<String, DataSchema> paths = new LinkedHashMap<>();
        collect("", model.properties(), paths);
        return paths;
    }

    private static void collect(String prefix, Map<String, DataSchema> properties, Map<String, DataSchema> into) {
        properties.forEach((name, schema) -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            into.put(path, schema);
            collect(path, schema.properties(), into);
        });
    }
}
