package io.shadowmq.model.command;

import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTopicTest {

    private static final ThingId WASHER = ThingId.of("washer-1");

    @Test
    void parsesAnInvocationAndNamesItsAnswers() {
        CommandTopic.Invoke invoke = (CommandTopic.Invoke)
                CommandTopic.parse("things/washer-1/actions/start").orElseThrow();

        assertThat(invoke).isEqualTo(new CommandTopic.Invoke(WASHER, "start"));
        assertThat(invoke.topic()).isEqualTo("things/washer-1/actions/start");
        assertThat(invoke.accepted()).isEqualTo("things/washer-1/actions/start/accepted");
        assertThat(invoke.rejected()).isEqualTo("things/washer-1/actions/start/rejected");
    }

    @Test
    void parsesAStatusReportAndNamesItsRefusal() {
        CommandTopic.Status status =
                (CommandTopic.Status) CommandTopic.parse("things/washer-1/commands/Qx7m1tVbS2uQ0Jc5yB8n-_/status")
                        .orElseThrow();

        assertThat(status).isEqualTo(new CommandTopic.Status(WASHER, "Qx7m1tVbS2uQ0Jc5yB8n-_"));
        assertThat(status.rejected()).isEqualTo("things/washer-1/commands/Qx7m1tVbS2uQ0Jc5yB8n-_/status/rejected");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/washer-1/commands/c1", // the platform publishes these
                "things/washer-1/commands/c1/state",
                "things/washer-1/commands/c1/status/rejected",
                "things/washer-1/actions/start/accepted",
                "things/washer-1/actions/+",
                "things/washer-1/actions/1start",
                "things/washer-1/actions/start-now",
                "things/washer-1/actions/",
                "things/washer-1/commands/+/status",
                "things/washer-1/commands/c.1/status",
                "things/washer-1/commands//status",
                "things/bad id/actions/start",
                "things/washer-1/shadow/update",
                "devices/washer-1/actions/start"
            })
    void anythingElseIsNoRequest(String topic) {
        assertThat(CommandTopic.parse(topic)).isEmpty();
    }

    @Test
    void namesWhatThePlatformPublishes() {
        assertThat(CommandTopic.command(WASHER, "c1")).isEqualTo("things/washer-1/commands/c1");
        assertThat(CommandTopic.state(WASHER, "c1")).isEqualTo("things/washer-1/commands/c1/state");
        assertThat(CommandTopic.commandsFilter(WASHER)).isEqualTo("things/washer-1/commands/+");
        assertThat(CommandTopic.statesFilter(WASHER)).isEqualTo("things/washer-1/commands/+/state");
    }

    @Test
    void findsTheCommandIdOfADeliveryToTheThingOnly() {
        assertThat(CommandTopic.deliveredCommandId(WASHER, "things/washer-1/commands/c1"))
                .contains("c1");
        assertThat(CommandTopic.deliveredCommandId(WASHER, "things/washer-1/commands/c1/state"))
                .isEmpty();
        assertThat(CommandTopic.deliveredCommandId(WASHER, "things/washer-2/commands/c1"))
                .isEmpty();
        assertThat(CommandTopic.deliveredCommandId(WASHER, "things/washer-1/shadow/update/delta"))
                .isEmpty();
        assertThat(CommandTopic.deliveredCommandId(WASHER, "things/washer-1/commands/"))
                .isEmpty();
    }
}
