package io.shadowmq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real, if short, updates-vs-echo climb with 200 things: about two minutes, so {@code slow} and not part of
 * {@code ./mvnw verify}. Run it with {@code ./mvnw -pl bench verify -Dexcluded.test.groups=none}.
 */
@Tag("slow")
class BenchLadderSlowTest {

    @Test
    void updatesAndEchoBothFindARateThatHoldsAndTheTableComparesThem(@TempDir Path out) throws Exception {
        int exit = new CommandLine(new BenchMain())
                .execute(
                        "--scenarios",
                        "updates,echo",
                        "--things",
                        "200",
                        "--rates",
                        "50,100,200,400,800,1600,3200",
                        "--step-seconds",
                        "3",
                        "--out",
                        out.toString());

        assertThat(exit).isZero();
        File[] json = out.toFile().listFiles((dir, name) -> name.endsWith(".json"));
        assertThat(json).hasSize(1);
        JsonNode report = new ObjectMapper().readTree(json[0]);
        assertThat(report.at("/updates/ladder/maxHeldRate").asDouble()).isPositive();
        assertThat(report.at("/echo/ladder/maxHeldRate").asDouble()).isPositive();
        assertThat(report.at("/updates/ladder/atFractions")).hasSize(3);
        assertThat(report.at("/table/0/vsLimit").asText()).endsWith("x echo");
    }
}
