package io.shadowmq.sdk.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorOptionsTest {

    @Test
    void theDocumentedCommandLineIsUnderstood() {
        SimulatorOptions options = SimulatorOptions.parse(
                new String[] {
                    "--host",
                    "broker",
                    "--port",
                    "1884",
                    "--thing",
                    "car-1",
                    "--secret",
                    "s3cret",
                    "--time-scale",
                    "60",
                    "--tick-ms",
                    "200"
                },
                Map.of());

        assertThat(options)
                .isEqualTo(new SimulatorOptions(
                        "broker", 1884, "car-1", "s3cret", 60, Duration.ofMillis(200), false, null, null, false));
    }

    @Test
    void theSecretMayComeFromTheEnvironmentAndTlsChangesTheDefaultPort() {
        SimulatorOptions options = SimulatorOptions.parse(
                new String[] {"--thing", "car-1", "--tls"}, Map.of(SimulatorOptions.SECRET_ENV, "from-env"));

        assertThat(options.secret()).isEqualTo("from-env");
        assertThat(options.port()).isEqualTo(8883);
        assertThat(options.toString()).doesNotContain("from-env");
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--secret", "s"}, Map.of()))
                .hasMessage("--thing is required");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--thing", "c"}, Map.of()))
                .hasMessageContaining("--secret");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--port", "x"}, Map.of()))
                .hasMessage("--port: not a number: x");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--colour", "red"}, Map.of()))
                .hasMessage("unknown option --colour");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--host"}, Map.of()))
                .hasMessage("--host needs a value");
    }
}
