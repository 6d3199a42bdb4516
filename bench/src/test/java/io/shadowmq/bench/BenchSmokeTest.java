package io.shadowmq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario once, tiny and short ({@code --quick}), against the real platform and the real plain broker, so
 * the benchmark cannot rot. It checks that each scenario measured something, not how fast: a cold JVM on a shared CI
 * box decides nothing about speed.
 * <p>
 * It starts the whole platform, a plain broker and every scenario: about 40 s, so {@code slow} and not part of
 * {@code ./mvnw verify}. The generator's logic is covered fast by the {@code load} and {@code report} tests; run this
 * after changing a scenario or the command line: {@code ./mvnw -pl bench -am verify -Dexcluded.test.groups=none
 * -Dtest=BenchSmokeTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class BenchSmokeTest {

    @Test
    void aQuickRunMeasuresEveryScenarioAndWritesJsonAndAChart(@TempDir Path out) throws Exception {
        int exit = new CommandLine(new BenchMain()).execute("--quick", "--out", out.toString());

        assertThat(exit).isZero();
        File[] json = out.toFile().listFiles((dir, name) -> name.endsWith(".json"));
        File[] png = out.toFile().listFiles((dir, name) -> name.endsWith(".png"));
        assertThat(json).hasSize(1);
        assertThat(png).hasSize(1);
        assertThat(Files.size(png[0].toPath())).isPositive();

        JsonNode report = new ObjectMapper().readTree(json[0]);
        List<String> rows = new ArrayList<>();
        report.get("table").forEach(row -> rows.add(row.get("scenario").asText()));
        assertThat(rows)
                .containsExactly(
                        "updates",
                        "echo",
                        "peer",
                        "delta",
                        "rest-read",
                        "connect-storm",
                        "idle",
                        "floor",
                        "floor-redis",
                        "cost",
                        "cost-floor",
                        "recovery-cold",
                        "recovery-overload");

        assertThat(answered(report.get("updates"))).as("updates answered").isPositive();
        assertThat(answered(report.get("echo"))).as("echo answered").isPositive();
        assertThat(answered(report.get("floor"))).as("floor answered").isPositive();
        assertThat(answered(report.get("floorRedis")))
                .as("floor-redis answered")
                .isPositive();
        assertThat(report.at("/updates/rateLimited").asLong()).isZero();
        assertThat(report.at("/updates/storm/connected").asInt()).isEqualTo(20);
        assertThat(report.at("/echo/storm/connected").asInt()).isEqualTo(20);
        assertThat(report.at("/delta/succeeded").asLong())
                .isEqualTo(report.at("/delta/sent").asLong());
        assertThat(report.at("/restRead/ok").asLong()).isPositive();
        assertThat(report.at("/restRead/errors").asLong()).isZero();
        assertThat(report.at("/idle/connected").asInt()).isEqualTo(20);
        assertThat(report.get("notes").toString()).contains("rate limit raised");
        assertThat(report.at("/cost/step/succeeded").asLong())
                .as("cost answered")
                .isPositive();
        assertThat(report.at("/cost/perRequest/jvmMicros").asDouble()).isPositive();
        assertThat(report.at("/costFloor/step/succeeded").asLong())
                .as("cost-floor answered")
                .isPositive();
        assertThat(report.at("/recovery/timeline/windows").size())
                .as("recovery windows: 3 + 2 + 3 s")
                .isEqualTo(8);
        assertThat(report.at("/machine/redis").asText()).startsWith("Redis ");
        assertThat(report.get("goals").toString()).contains("floor-redis");
    }

    /** {@code search} is not in the default list (its load takes minutes at full size): run on its own, 1,000 cars. */
    @Test
    void aQuickSearchRunSearchesAndMeasuresTheIndexCostAndMemory(@TempDir Path out) throws Exception {
        int exit =
                new CommandLine(new BenchMain()).execute("--quick", "--scenarios", "search", "--out", out.toString());

        assertThat(exit).isZero();
        File[] json = out.toFile().listFiles((dir, name) -> name.endsWith(".json"));
        assertThat(json).hasSize(1);
        JsonNode report = new ObjectMapper().readTree(json[0]);
        List<String> rows = new ArrayList<>();
        report.get("table").forEach(row -> rows.add(row.get("scenario").asText()));
        assertThat(rows).containsExactly("search-selective", "search-broad", "index-cost", "index-memory");
        for (String query : List.of("selective", "broad")) {
            assertThat(report.at("/search/" + query + "/ok").asLong())
                    .as(query + " answered")
                    .isPositive();
            assertThat(report.at("/search/" + query + "/errors").asLong()).isZero();
            assertThat(report.at("/search/" + query + "/firstPage").asLong())
                    .as(query + ": the first page holds what the filter matches, up to the limit")
                    .isEqualTo(Math.min(
                            25, report.at("/search/" + query + "/matches").asLong()));
        }
        assertThat(report.at("/search/cost/updatesWith").asLong()).isPositive();
        assertThat(report.at("/search/cost/updatesWithout").asLong()).isPositive();
        assertThat(report.at("/search/cost/withIndex/jvmMicros").asDouble()).isPositive();
        assertThat(report.at("/search/memory/things").asLong()).isEqualTo(1_000);
        assertThat(report.at("/search/memory/indexedValues").asLong())
                .as("type, owner and every searchable reported value of every car")
                .isEqualTo(
                        1_000L * (2 + report.at("/search/reportedValuesPerCar").asLong()));
        assertThat(report.get("goals").toString()).contains("selective p99");
    }

    private static long answered(JsonNode roundTrip) {
        long answered = 0;
        for (JsonNode step : roundTrip.at("/ladder/steps")) {
            answered += step.get("succeeded").asLong();
        }
        return answered;
    }
}
