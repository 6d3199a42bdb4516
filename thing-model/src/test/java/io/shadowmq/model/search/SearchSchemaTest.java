package io.shadowmq.model.search;

import io.shadowmq.model.schema.ModelLoadException;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModelParser;
import io.shadowmq.model.schema.ThingModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the models make searchable, how a model opts in and out, and the index entries of a shadow. */
class SearchSchemaTest {

    private static final SearchSchema BUNDLED = SearchSchema.of(ThingModels.bundled());

    private static ThingModel model(String singleQuotedProperties) {
        String json = """
                {'@context':'https://www.w3.org/2022/wot/td/v1.1','@type':'tm:ThingModel','title':'Test',
                 'properties':{%s}}
                """.formatted(singleQuotedProperties).replace('\'', '"');
        return ThingModelParser.parse("tv.json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void numbersBooleansAndEnumsOfTheShippedModelsAreSearchableDesiredOnlyWhereWritable() {
        assertThat(BUNDLED.kindsOf("state.reported.fuel.level")).containsExactly(SearchSchema.Kind.NUMBER);
        assertThat(BUNDLED.kindsOf("state.desired.cabin.heater.isOn")).containsExactly(SearchSchema.Kind.BOOLEAN);
        assertThat(BUNDLED.kindsOf("state.reported.program")).containsExactly(SearchSchema.Kind.ENUM);
        assertThat(BUNDLED.kindsOf("state.desired.range")).isEmpty(); // readOnly
        assertThat(BUNDLED.kindsOf("state.reported.doors")).isEmpty(); // an object
        assertThat(BUNDLED.pathsOf("speaker"))
                .containsExactly(
                        Map.entry("state.reported.volume", SearchSchema.Kind.NUMBER),
                        Map.entry("state.desired.volume", SearchSchema.Kind.NUMBER),
                        Map.entry("state.reported.isMuted", SearchSchema.Kind.BOOLEAN),
                        Map.entry("state.desired.isMuted", SearchSchema.Kind.BOOLEAN));
        assertThat(BUNDLED.isSearchable("metadata.desired.cabin.heater.isOn.timestamp"))
                .isTrue();
        assertThat(BUNDLED.isSearchable("metadata.desired.range.timestamp")).isFalse();
        assertThat(BUNDLED.isSearchable("connected")).isTrue();
    }

    @Test
    void aStringIsSearchableOnlyWhenTheModelOptsIn() {
        ThingModel tv = model("""
                'channel':{'type':'string'},
                'input':{'type':'string','shadowmq:searchable':true},
                'picture':{'type':'object','shadowmq:searchable':false,'properties':{
                  'brightness':{'type':'integer'},
                  'mode':{'type':'string','enum':['vivid','movie']},
                  'preset':{'type':'string','shadowmq:searchable':true}}},
                'power':{'type':'boolean','readOnly':true}""");

        SearchSchema schema = SearchSchema.of(new ThingModels(Map.of("tv", tv)));

        assertThat(schema.pathsOf("tv").keySet())
                .containsExactly(
                        "state.reported.input",
                        "state.desired.input",
                        "state.reported.picture.preset",
                        "state.desired.picture.preset",
                        "state.reported.power");
        assertThat(schema.kindsOf("state.reported.input")).isEqualTo(Set.of(SearchSchema.Kind.STRING));
    }

    @Test
    void theTermMustBeTrueOrFalse() {
        assertThatThrownBy(() -> model("'input':{'type':'string','shadowmq:searchable':'yes'}"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("tv.json: properties.input.shadowmq:searchable: must be true or false");
    }

    @Test
    void indexEntriesHoldTypeOwnerAndEachSearchableValueWithItsJsonType() {
        assertThat(BUNDLED.indexEntries("washer", "bob", FilterTest.document("""
                        {'state':{'reported':{'state':'running','remainingMinutes':42,'program':'eco'},
                          'desired':{'program':'wool'}},'version':1,'timestamp':1}""")))
                .containsExactly(
                        "type",
                        "swasher",
                        "owner",
                        "sbob",
                        "state.reported.state",
                        "srunning",
                        "state.reported.program",
                        "seco",
                        "state.desired.program",
                        "swool",
                        "state.reported.remainingMinutes",
                        "n42.0");
        assertThat(BUNDLED.indexEntries("speaker", "bob", null)).containsExactly("type", "sspeaker", "owner", "sbob");
    }
}
