package io.shadowmq.model.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.shadowmq.model.schema.ThingModelParserTest.modelWith;
import static io.shadowmq.model.schema.ThingModelParserTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shadowmq:household term: household defaults per property (inherited downward) and per action. */
class HouseholdTermParserTest {

    @Test
    void withoutTheTermWritableLeavesAreWriteAndReadOnlyOnesRead() {
        ThingModel lamp = parse("lamp.json", modelWith("""
                'isOn':{'type':'boolean','readOnly':false},
                'watts':{'type':'number','readOnly':true},
                'bulb':{'type':'object','readOnly':true,'properties':{'ok':{'type':'boolean'}}}
                """));

        assertThat(rights(lamp))
                .containsExactly(
                        Map.entry("isOn", HouseholdRight.WRITE),
                        Map.entry("watts", HouseholdRight.READ),
                        Map.entry("bulb.ok", HouseholdRight.READ));
        assertThat(lamp.householdRights().leaves().get(2).writable()).isFalse();
    }

    @Test
    void theNearestTermOnThePathWinsAndWriteStaysReadOnReadOnlyLeaves() {
        ThingModel heater = parse("heater.json", modelWith("""
                'cabin':{'type':'object','shadowmq:household':'write','properties':{
                   'temperature':{'type':'number','readOnly':true},
                   'isOn':{'type':'boolean'},
                   'secret':{'type':'object','shadowmq:household':'none','properties':{
                       'code':{'type':'string'},
                       'hint':{'type':'string','shadowmq:household':'read'}}}}},
                'position':{'type':'object','shadowmq:household':'none','properties':{'x':{'type':'number'}}}
                """));

        assertThat(rights(heater))
                .containsExactly(
                        Map.entry("cabin.temperature", HouseholdRight.READ),
                        Map.entry("cabin.isOn", HouseholdRight.WRITE),
                        Map.entry("cabin.secret.code", HouseholdRight.NONE),
                        Map.entry("cabin.secret.hint", HouseholdRight.READ),
                        Map.entry("position.x", HouseholdRight.NONE));
        assertThat(heater.schemaAt("cabin").orElseThrow().household()).isEqualTo(HouseholdRight.WRITE);
        assertThat(heater.schemaAt("cabin.isOn").orElseThrow().household()).isNull();
    }

    @Test
    void actionsAreInvocableUnlessNoneOrCritical() {
        ThingModel car = parse("car.json", """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Car',
                 'properties':{'range':{'type':'integer'}},
                 'actions':{'lock':{},'honk':{'shadowmq:household':'invoke'},'heat':{'shadowmq:household':'none'},
                            'unlock':{'safety':'critical'},'open':{'safety':'critical','shadowmq:household':'none'}}}
                """);

        assertThat(car.householdRights().invocable()).containsExactly("lock", "honk");
        assertThat(car.action("heat").orElseThrow().householdInvoke()).isFalse();
        assertThat(car.action("unlock").orElseThrow().householdInvoke()).isFalse();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'volume':{'type':'integer','shadowmq:household':'all'}"
                        + "|properties.volume.shadowmq:household: must be \"none\", \"read\" or \"write\"",
                "'volume':{'type':'integer','shadowmq:household':true}"
                        + "|properties.volume.shadowmq:household: must be a string",
                "'range':{'type':'integer','readOnly':true,'shadowmq:household':'write'}"
                        + "|properties.range.shadowmq:household: \"write\" needs a writable property, and this one is"
                        + " readOnly",
                "'fuel':{'type':'object','shadowmq:household':'write','properties':{"
                        + "'level':{'type':'number','readOnly':true}}}"
                        + "|properties.fuel.shadowmq:household: \"write\" needs a writable property, and everything"
                        + " here is readOnly",
                "'fuel':{'type':'object','readOnly':true,'properties':{"
                        + "'level':{'type':'number','shadowmq:household':'write'}}}"
                        + "|properties.fuel.level.shadowmq:household: \"write\" needs a writable property, and"
                        + " everything here is readOnly",
            })
    void misusedPropertyTermsFailLoadingNamingFilePathAndTerm(String properties, String message) {
        assertThatThrownBy(() -> parse("lamp.json", modelWith(properties)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("lamp.json: " + message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'lock':{'shadowmq:household':'read'}|actions.lock.shadowmq:household: must be \"invoke\" or \"none\"",
                "'unlock':{'safety':'critical','shadowmq:household':'invoke'}"
                        + "|actions.unlock.shadowmq:household: a critical action is never a household member's to"
                        + " invoke; leave the term out",
                "'heat':{'input':{'type':'object','properties':{'t':{'type':'number','shadowmq:household':'read'}}}}"
                        + "|actions.heat.input.t.shadowmq:household: applies to properties and actions, not inside an"
                        + " action's input or output",
            })
    void misusedActionTermsFailLoading(String actions, String message) {
        String model = """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Car',
                 'properties':{'range':{'type':'integer'}},'actions':{%s}}
                """.formatted(actions);

        assertThatThrownBy(() -> parse("car.json", model))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("car.json: " + message);
    }

    @Test
    void theConstructorsKeepTheRulesToo() {
        assertThatThrownBy(() -> new DataSchema(
                        SchemaType.BOOLEAN,
                        null,
                        null,
                        List.of(),
                        null,
                        true,
                        Map.of(),
                        null,
                        null,
                        null,
                        true,
                        HouseholdRight.WRITE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ActionModel(
                        "unlock",
                        null,
                        null,
                        null,
                        null,
                        true,
                        ActionModel.DEFAULT_TTL,
                        false,
                        java.util.Set.of(),
                        true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Map<String, HouseholdRight> rights(ThingModel model) {
        return model.householdRights().leaves().stream()
                .collect(Collectors.toMap(
                        HouseholdRights.LeafRight::path,
                        HouseholdRights.LeafRight::right,
                        (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }
}
