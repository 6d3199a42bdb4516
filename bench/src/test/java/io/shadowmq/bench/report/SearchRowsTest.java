package io.shadowmq.bench.report;

import io.shadowmq.bench.cost.CostPerRequest;
import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.scenario.SearchBench;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The search goals judged from measurements made up here: selective p99, and the index's share of an update's CPU. */
class SearchRowsTest {

    @Test
    void aFastSelectiveSearchAndACheapIndexMeetTheGoals() {
        List<ScenarioRow> rows = Rows.search(result(18.0, 110, 100));

        assertThat(rows)
                .extracting(ScenarioRow::scenario)
                .containsExactly("search-selective", "search-broad", "index-cost", "index-memory");
        assertThat(rows.get(0).goalMet()).isTrue();
        assertThat(rows.get(0).vsLimit()).isEqualTo("matches 100 (0.10 %), limit 25");
        assertThat(rows.get(1).goalMet()).as("the broad search has no goal").isNull();
        assertThat(rows.get(2).goalMet()).isTrue();
        assertThat(rows.get(2).vsLimit()).startsWith("+10.0 %");
        assertThat(rows.get(3).throughput()).isEqualTo("200 B per indexed value");
        assertThat(rows.get(3).vsLimit()).startsWith("4800 B per car");
        assertThat(String.join("\n", Rows.goals()))
                .contains("search: " + rows.get(0).goal())
                .contains("index cost: " + rows.get(2).goal());
    }

    @Test
    void aSlowSelectiveSearchOrAnExpensiveIndexMissesThem() {
        assertThat(Rows.search(result(21.0, 110, 100)).get(0).goalMet()).isFalse();
        ScenarioRow cost = Rows.search(result(18.0, 116, 100)).get(2);
        assertThat(cost.goalMet()).isFalse();
        assertThat(cost.vsLimit()).startsWith("+16.0 %");
    }

    private static SearchBench.Result result(double selectiveP99, double cpuWith, double cpuWithout) {
        SearchBench.Settings settings = new SearchBench.Settings(100_000, Duration.ofSeconds(10), 25);
        return new SearchBench.Result(
                settings,
                22,
                60,
                query(100, selectiveP99),
                query(90_000, 200),
                new SearchBench.IndexCost(
                        16,
                        10,
                        50_000,
                        60_000,
                        new CostPerRequest(cpuWith - 40, 40.0, 10.0),
                        new CostPerRequest(cpuWithout - 30, 30.0, 9.0),
                        0,
                        List.of()),
                new SearchBench.IndexMemory(2_000, 480_000_000, 100_000_000, 2_400_000, 100_000));
    }

    private static SearchBench.Query query(long matches, double p99) {
        return new SearchBench.Query(
                "f", 25, matches, 25, 100, 1_000, 0, new Percentiles(p99 / 2, p99 / 1.5, p99, p99, p99, 1_000));
    }
}
