package io.shadowmq.model.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.shadowmq.model.schema.ThingModelParserTest.modelWith;
import static io.shadowmq.model.schema.ThingModelParserTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The speech extension terms (shadowmq:say, shadowmq:values, shadowmq:group) are understood and checked. */
class SpeechTermsParserTest {

    @Test
    void theTermsAreAcceptedAndKeptInTheServedModel() {
        ThingModel model = parse("lamp.json", """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Lamp',
                 'shadowmq:say':{'en':'the lamp','de':'die Lampe'},
                 'properties':{
                   'isOn':{'type':'boolean','shadowmq:say':{'en':'The lamp is {value}.'},
                           'shadowmq:values':{'en':{'true':'on','false':'off'}}},
                   'bulbs':{'type':'object','shadowmq:group':{'normal':{'ok':true},
                                'say':{'en':{'all':'all bulbs work','each':'{part} is {states}'}}},
                            'properties':{'left':{'type':'object','shadowmq:say':{'en':'the left bulb'},
                                                  'properties':{'ok':{'type':'boolean'}}}}}}}
                """);
        assertThat(model.raw().path("properties").path("isOn").has("shadowmq:say"))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'volume':{'type':'integer','shadowmq:say':{'en':'{volume} loud'}}"
                        + "|properties.volume.shadowmq:say.en: unknown placeholder {volume}; use {unit}, {value}",
                "'volume':{'type':'integer','shadowmq:say':'loud'}"
                        + "|properties.volume.shadowmq:say: must be an object keyed by language tag, e.g. {\"en\": ..., \"de\": ...}",
                "'volume':{'type':'integer','shadowmq:say':{'English':'loud'}}"
                        + "|properties.volume.shadowmq:say.English: not a language tag such as en, de or zh",
                "'volume':{'type':'integer','shadowmq:values':{'en':{'1':'one'}}}"
                        + "|properties.volume.shadowmq:values: only a boolean or an enum property has words for its values",
                "'mode':{'type':'string','enum':['a','b'],'shadowmq:values':{'en':{'c':'see'}}}"
                        + "|properties.mode.shadowmq:values.en.c: not a value of this property; one of [a, b]",
                "'isOn':{'type':'boolean','shadowmq:group':{'normal':{'x':true},'say':{}}}"
                        + "|properties.isOn.shadowmq:group: only an object property groups its members",
                "'doors':{'type':'object','properties':{'a':{'type':'boolean'}},'shadowmq:group':{'normal':{'a':false}}}"
                        + "|properties.doors.shadowmq:group.say: missing; the clauses per language",
                "'doors':{'type':'object','properties':{'a':{'type':'boolean'}},"
                        + "'shadowmq:group':{'normal':{'a':false},'say':{'en':{'all':'fine'}}}}"
                        + "|properties.doors.shadowmq:group.say.en: needs the strings all and each",
                "'volume':{'type':'integer','shadowmq:sayy':{'en':'loud'}}"
                        + "|properties.volume.shadowmq:sayy: unsupported keyword (ShadowMQ would not enforce it; see"
                        + " docs/thing-models.md)",
            })
    void malformedTermsAreRefusedWithTheirPlace(String properties, String message) {
        assertThatThrownBy(() -> parse("lamp.json", modelWith(properties)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("lamp.json: " + message);
    }

    @Test
    void theThingsNameHasNoPlaceholders() {
        assertThatThrownBy(() -> parse(
                        "lamp.json",
                        modelWith("'isOn':{'type':'boolean'}")
                                .replace("'title':'Test',", "'title':'Test','shadowmq:say':{'en':'the {value}'},")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("lamp.json: shadowmq:say.en: unknown placeholder {value}; none is filled in here");
    }
}
