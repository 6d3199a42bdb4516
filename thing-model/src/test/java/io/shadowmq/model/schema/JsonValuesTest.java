package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers in messages read as a person writes them. */
class JsonValuesTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "35, 35",
        "35.0, 35",
        "3.5E+1, 35",
        "21.5, 21.5",
        "-5, -5",
        "0.000, 0",
        "-0.0, 0",
        "100E-2, 1",
        "0.1, 0.1",
        "1E+300, 1E+300",
        "1E-300, 1E-300",
    })
    void numbersPrintPlainly(String json, String printed) {
        assertThat(JsonValues.plain(new BigDecimal(json))).isEqualTo(printed);
    }

    @Test
    void nonFiniteDoublesAreNotNumbers() {
        assertThat(JsonValues.decimal(JsonNodeFactory.instance.numberNode(Double.NaN)))
                .isEmpty();
        assertThat(SchemaType.NUMBER.accepts(JsonNodeFactory.instance.numberNode(Double.POSITIVE_INFINITY)))
                .isFalse();
    }
}
