package io.shadowmq.extension.routing;

import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which filters make a broker watch a thing's changes. */
class ThingInterestTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/washer-1/shadow/update/documents",
                "things/washer-1/shadow/#",
                "things/washer-1/commands/+",
                "things/washer-1/commands/#",
                "things/washer-1/commands/+/state",
                "things/washer-1/commands/Qx7m1tVbS2uQ0Jc5yB8nAw/state"
            })
    void aFilterOnAThingsShadowOrCommandsNamesIt(String filter) {
        assertThat(ThingInterest.thingOf(filter)).contains(ThingId.of("washer-1"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/washer-1/actions/+/accepted", // answered from the invoker's broker, no feed needed
                "things/washer-1/#",
                "things/+/commands/+/state",
                "things/bad id/commands/+",
                "devices/washer-1/commands/+"
            })
    void otherFiltersNameNoThingToWatch(String filter) {
        assertThat(ThingInterest.thingOf(filter)).isEmpty();
    }
}
