package io.shadowmq.platform;

import io.shadowmq.platform.demo.DemoCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./shadowmq demo} as the end-to-end test of the household story: every step must do what it says. */
class DemoIT {

    @Test
    void theHouseholdStoryPlaysThroughAndEveryStepChecksOut() {
        String extension = Path.of("..", "extension", "target", "shadowmq-extension")
                .toAbsolutePath()
                .normalize()
                .toString();

        int exit = new CommandLine(new DemoCommand()).execute("--extension-folder", extension);

        assertThat(exit)
                .as("demo exit code (its narration is in this test's output)")
                .isZero();
    }
}
