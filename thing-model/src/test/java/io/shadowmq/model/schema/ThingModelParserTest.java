package io.shadowmq.model.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken model files are refused with a message that names the file, the path inside it and the reason. */
class ThingModelParserTest {

    @TempDir
    Path models;

    /** A complete model document around the given single-quoted {@code properties} body. */
    static String modelWith(String properties) {
        return """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Test',
                 'properties':{%s}}
                """.formatted(properties);
    }

    static ThingModel parse(String fileName, String singleQuotedJson) {
        return ThingModelParser.parse(
                fileName, singleQuotedJson.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the model into the temp directory and loads the directory, as the platform does at start-up. */
    private ThingModels load(String fileName, String singleQuotedJson) throws IOException {
        Files.writeString(models.resolve(fileName), singleQuotedJson.replace('\'', '"'));
        return ThingModels.loadDirectory(models);
    }

    private void assertRefused(String fileName, String singleQuotedJson, String expectedMessage) {
        assertThatThrownBy(() -> load(fileName, singleQuotedJson))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(expectedMessage);
    }

    @Test
    void nonNumericBoundIsNamedByFileAndNestedPropertyPath() {
        // given a car whose heater target has a string minimum
        String car = modelWith("""
                'cabin':{'type':'object','properties':{'heater':{'type':'object','properties':{
                    'targetTemperature':{'type':'number','unit':'celsius','minimum':'16','maximum':28}}}}}
                """);

        // when loading, then the message points right at it
        assertThatThrownBy(() -> load("car.json", car))
                .isInstanceOfSatisfying(ModelLoadException.class, e -> {
                    assertThat(e.file()).isEqualTo("car.json");
                    assertThat(e.jsonPath()).isEqualTo("properties.cabin.heater.targetTemperature.minimum");
                    assertThat(e.reason()).isEqualTo("must be a number");
                })
                .hasMessage("car.json: properties.cabin.heater.targetTemperature.minimum: must be a number");
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'int'}"),
                "car.json: properties.range.type: unknown type 'int', expected one of boolean, integer, number, "
                        + "string, object");
    }

    @Test
    void arrayTypeIsNotSupported() {
        assertRefused(
                "car.json",
                modelWith("'tires':{'type':'array'}"),
                "car.json: properties.tires.type: unknown type 'array', expected one of boolean, integer, number, "
                        + "string, object");
    }

    @Test
    void missingTypeIsRefused() {
        assertRefused(
                "speaker.json",
                modelWith("'volume':{'title':'Volume'}"),
                "speaker.json: properties.volume.type: missing; one of boolean, integer, number, string, object");
    }

    @Test
    void minimumAboveMaximumIsRefused() {
        assertRefused(
                "speaker.json",
                modelWith("'volume':{'type':'integer','minimum':100,'maximum':0.5}"),
                "speaker.json: properties.volume: minimum 100 > maximum 0.5");
    }

    @Test
    void emptyEnumIsRefused() {
        assertRefused(
                "washer.json",
                modelWith("'program':{'type':'string','enum':[]}"),
                "washer.json: properties.program.enum: must not be empty; leave it out to allow any value");
    }

    @Test
    void enumValueOfTheWrongTypeIsRefused() {
        assertRefused(
                "washer.json",
                modelWith("'program':{'type':'string','enum':['cotton',3]}"),
                "washer.json: properties.program: enum value 3 is not string");
    }

    @Test
    void duplicateEnumValueIsRefused() {
        assertRefused(
                "washer.json",
                modelWith("'speed':{'type':'integer','unit':'rpm','enum':[800,800.0]}"),
                "washer.json: properties.speed: enum value 800 is listed twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'doors':{'type':'object'}", "'doors':{'type':'object','properties':{}}"})
    void objectWithoutPropertiesIsRefused(String properties) {
        assertRefused(
                "car.json", modelWith(properties), "car.json: properties.doors: an object needs at least one property");
    }

    @Test
    void leafWithPropertiesIsRefused() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer','properties':{'x':{'type':'boolean'}}}"),
                "car.json: properties.range: properties only apply to object, not integer");
    }

    @Test
    void nonObjectPropertyIsRefused() {
        assertRefused(
                "speaker.json",
                modelWith("'volume':42"),
                "speaker.json: properties.volume: must be an object (a data schema), not number");
    }

    @Test
    void boundsOnAStringAreRefused() {
        assertRefused(
                "washer.json",
                modelWith("'program':{'type':'string','maximum':3}"),
                "washer.json: properties.program: minimum and maximum only apply to integer and number, not string");
    }

    @Test
    void unitOnAnObjectIsRefused() {
        assertRefused(
                "car.json",
                modelWith("'fuel':{'type':'object','unit':'percent','properties':{" + "'level':{'type':'number'}}}"),
                "car.json: properties.fuel: unit does not apply to object; put it on the leaves");
    }

    @Test
    void readOnlyMustBeABoolean() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer','readOnly':'yes'}"),
                "car.json: properties.range.readOnly: must be true or false");
    }

    @Test
    void dottedPropertyNameIsRefusedBecausePathsWouldBeAmbiguous() {
        assertRefused(
                "car.json",
                modelWith("'cabin.temperature':{'type':'number'}"),
                "car.json: properties.cabin.temperature: property name must match ^[A-Za-z][A-Za-z0-9_]{0,63}$");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "maximun  | a misspelt constraint would silently not apply",
                "const    | a constraint ShadowMQ does not enforce",
                "maxLength| a constraint ShadowMQ does not enforce",
                "tm:ref   | model composition ShadowMQ does not resolve",
            })
    void keywordsThatWouldNotBeEnforcedAreRefused(String keyword, String why) {
        assertRefused(
                "speaker.json",
                modelWith("'volume':{'type':'integer','" + keyword + "':5}"),
                "speaker.json: properties.volume." + keyword
                        + ": unsupported keyword (ShadowMQ would not enforce it; see docs/thing-models.md)");
    }

    @Test
    void wotAnnotationKeywordsAreAcceptedAndKeptForClients() {
        // given a property with the WoT annotations ShadowMQ ignores, and top-level metadata
        ThingModel speaker = parse("speaker.json", """
                {'@context':['https://www.w3.org/2022/wot/td/v1.1',{'saref':'https://w3id.org/saref#'}],
                 '@type':['tm:ThingModel','saref:Device'],'title':'Speaker','version':{'model':'1.0.0'},
                 'links':[{'rel':'manual','href':'https://example.com'}],
                 'properties':{'volume':{'type':'integer','unit':'percent','@type':'saref:Volume',
                     'observable':true,'writeOnly':false,'format':'int32','default':30,
                     'forms':[{'href':'mqtt://x'}],'titles':{'de':'Lautstärke'}}},
                 'events':{'overheated':{'data':{'type':'boolean'}}}}
                """);

        // then the model works and the raw JSON still carries them
        assertThat(speaker.schemaAt("volume")).map(DataSchema::type).contains(SchemaType.INTEGER);
        assertThat(speaker.raw().at("/properties/volume/observable").asBoolean())
                .isTrue();
        assertThat(speaker.raw().at("/events/overheated").isObject()).isTrue();
    }

    @Test
    void unknownActionTermIsRefusedNamingTheActionAndTerm() {
        assertRefused(
                "washer.json",
                """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Washer',
                 'properties':{'program':{'type':'string'}},'actions':{'start':{'priority':1}}}
                """,
                "washer.json: actions.start.priority: unsupported keyword in an action (ShadowMQ would not enforce it;"
                        + " see docs/thing-models.md)");
    }

    @Test
    void unknownTopLevelKeywordIsRefused() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer'}").replace("'title'", "'tilte'"),
                "car.json: tilte: unsupported keyword");
    }

    @Test
    void wrongContextIsRefused() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer'}").replace("2022/wot/td/v1.1", "2019/wot/td/v1"),
                "car.json: @context: must be \"https://www.w3.org/2022/wot/td/v1.1\" (or an array containing it)");
    }

    @Test
    void thingDescriptionInsteadOfThingModelIsRefused() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer'}").replace("tm:ThingModel", "Thing"),
                "car.json: @type: must be \"tm:ThingModel\" (or an array containing it)");
    }

    @Test
    void missingTitleIsRefused() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer'}").replace("'title':'Test',", ""),
                "car.json: title: missing; a thing model needs a title for people");
    }

    @Test
    void modelWithoutPropertiesIsRefused() {
        assertRefused("car.json", modelWith(""), "car.json: properties: a thing model needs at least one property");
    }

    @Test
    void eventsMustBeAnObject() {
        assertRefused(
                "car.json",
                modelWith("'range':{'type':'integer'}").replace("'properties'", "'events':[],'properties'"),
                "car.json: events: must be an object");
    }

    @Test
    void invalidJsonIsRefusedWithItsLocation() {
        assertThatThrownBy(() -> load("car.json", "{'title': 'Car',\n 'properties': }"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("car.json: not valid JSON at line 2, column 16: ");
    }

    @Test
    void duplicateKeysAreRefusedBecauseReaderAndPlatformWouldSeeDifferentModels() {
        assertThatThrownBy(() -> load("car.json", modelWith("'range':{'type':'integer','type':'string'}")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("car.json: not valid JSON")
                .hasMessageContaining("Duplicate field 'type'");
    }

    @Test
    void nonObjectDocumentIsRefused() {
        assertRefused("car.json", "['not','a','model']", "car.json: must be a JSON object");
    }

    @Test
    void typeIdComesFromTheFileName() {
        assertThat(ThingModelParser.typeOf("heat-pump_2.json")).isEqualTo("heat-pump_2");
        assertThat(parse("lamp.json", modelWith("'isOn':{'type':'boolean'}")).type())
                .isEqualTo("lamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"car.txt", ".json", "-car.json", "car model.json", "car/x.json"})
    void fileNamesThatAreNotTypeIdsAreRefused(String fileName) {
        assertThatThrownBy(() -> ThingModelParser.typeOf(fileName))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(fileName + ": a model file must be named <type>.json, with the type matching "
                        + "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    }

    @Test
    void boundsAreReadExactly() {
        ThingModel fridge = parse("fridge.json", modelWith("'t':{'type':'number','minimum':0.1,'maximum':8}"));

        assertThat(fridge.schemaAt("t").orElseThrow().minimum()).isEqualByComparingTo(new BigDecimal("0.1"));
    }
}
