package io.shadowmq.extension.shadow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicFilterTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "things/car-1/shadow/update/delta, things/car-1/shadow/update/delta, true",
        "things/car-1/shadow/#,            things/car-1/shadow/update/delta, true",
        "things/car-1/shadow/+/delta,      things/car-1/shadow/update/delta, true",
        "things/car-1/shadow/update/+,     things/car-1/shadow/update/delta, true",
        "things/car-1/#,                   things/car-1/shadow/update/delta, true",
        "things/car-1/shadow/update,       things/car-1/shadow/update/delta, false",
        "things/car-1/shadow/+/accepted,   things/car-1/shadow/update/delta, false",
        "things/car-2/shadow/#,            things/car-1/shadow/update/delta, false",
        "things/car-1/shadow/update/delta/x, things/car-1/shadow/update/delta, false",
    })
    void filtersMatchTopicsAsMqttSays(String filter, String topic, boolean matches) {
        assertThat(TopicFilter.matches(filter, topic)).isEqualTo(matches);
    }
}
