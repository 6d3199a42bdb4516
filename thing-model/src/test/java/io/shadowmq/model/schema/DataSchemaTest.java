package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A DataSchema that exists is usable: the compact constructor refuses contradictions. */
class DataSchemaTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();

    private static DataSchema leaf(SchemaType type, List<JsonNode> enumValues) {
        return new DataSchema(type, null, null, enumValues, null, false, Map.of(), null, null);
    }

    @Test
    void schemaAtFollowsDottedPathsToLeavesAndObjects() {
        assertThat(CAR.schemaAt("doors.frontLeft.isOpen")).hasValueSatisfying(schema -> {
            assertThat(schema.type()).isEqualTo(SchemaType.BOOLEAN);
            assertThat(schema.readOnly()).isTrue();
        });
        assertThat(CAR.schemaAt("cabin.heater"))
                .hasValueSatisfying(
                        schema -> assertThat(schema.properties()).containsOnlyKeys("isOn", "targetTemperature"));
        assertThat(CAR.schemaAt("cabin.heater.targetTemperature").orElseThrow().maximum())
                .isEqualByComparingTo("28");
    }

    @Test
    void schemaAtFindsNothingForUnknownOrMalformedPaths() {
        assertThat(CAR.schemaAt("doors.hood")).isEmpty();
        assertThat(CAR.schemaAt("range.value")).isEmpty();
        assertThat(CAR.schemaAt("")).isEmpty();
        assertThat(CAR.schemaAt("cabin.")).isEmpty();
        assertThat(CAR.schemaAt("cabin..heater")).isEmpty();
    }

    @Test
    void nestedPropertiesKeepTheModelsOrder() {
        assertThat(CAR.properties().keySet())
                .containsExactly("range", "fuel", "doors", "windows", "exteriorTemperature", "cabin", "location");
        assertThat(CAR.schemaAt("doors").orElseThrow().properties().keySet())
                .containsExactly("frontLeft", "frontRight", "rearLeft", "rearRight", "trunk");
    }

    @Test
    void minimumAboveMaximumIsRefused() {
        assertThatThrownBy(() -> new DataSchema(
                        SchemaType.NUMBER,
                        new BigDecimal("30.0"),
                        new BigDecimal("28"),
                        List.of(),
                        "celsius",
                        false,
                        Map.of(),
                        null,
                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minimum 30 > maximum 28");
    }

    @Test
    void enumValuesMustHaveTheSchemasType() {
        assertThatThrownBy(() -> leaf(SchemaType.INTEGER, List.of(JSON.numberNode(1.5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("enum value 1.5 is not integer");
        assertThatThrownBy(() -> leaf(SchemaType.STRING, List.of(JSON.objectNode())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("enum value {} is not string");
    }

    @Test
    void enumValuesAreComparedByValue() {
        assertThatThrownBy(() -> leaf(SchemaType.NUMBER, List.of(JSON.numberNode(1), JSON.numberNode(1.0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("enum value 1 is listed twice");
    }

    @Test
    void objectsNeedPropertiesAndLeavesHaveNone() {
        assertThatThrownBy(() -> leaf(SchemaType.OBJECT, List.of()))
                .hasMessage("an object needs at least one property");
        DataSchema flag = leaf(SchemaType.BOOLEAN, List.of());
        assertThatThrownBy(() -> new DataSchema(
                        SchemaType.BOOLEAN, null, null, List.of(), null, false, Map.of("x", flag), null, null))
                .hasMessage("properties only apply to object, not boolean");
    }

    @Test
    void propertyNamesAreCamelCaseIdentifiers() {
        DataSchema flag = leaf(SchemaType.BOOLEAN, List.of());
        for (String bad : List.of("", "is open", "a.b", "$set", "1st", "x".repeat(65))) {
            assertThatThrownBy(() -> new DataSchema(
                            SchemaType.OBJECT, null, null, List.of(), null, false, Map.of(bad, flag), null, null))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must match");
        }
    }

    @Test
    void collectionsAreCopiedSoTheSchemaCannotChangeLater() {
        // given mutable inputs
        Map<String, DataSchema> properties = new LinkedHashMap<>();
        properties.put("isOn", leaf(SchemaType.BOOLEAN, List.of()));
        DataSchema heater =
                new DataSchema(SchemaType.OBJECT, null, null, List.of(), null, false, properties, "Heater", null);

        // when the caller changes them afterwards
        properties.put("sneaky", leaf(SchemaType.BOOLEAN, List.of()));

        // then the schema is unaffected
        assertThat(heater.properties()).containsOnlyKeys("isOn");
        assertThat(heater.property("isOn")).isPresent();
        assertThat(heater.property("sneaky")).isEmpty();
    }
}
