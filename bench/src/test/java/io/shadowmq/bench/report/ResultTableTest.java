package io.shadowmq.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultTableTest {

    @Test
    void rendersOneAlignedMarkdownTableWithAVerdictPerGoal() {
        String table = ResultTable.render(List.of(
                new ScenarioRow("updates", "4,000 upd/s", 1.5, 8.25, "0.40x echo", ">= 0.6x echo", false),
                new ScenarioRow("echo", "10,000 msg/s", 0.9, 3.0, "the limit", "", null),
                ScenarioRow.skipped("peer", "no mosquitto on PATH")));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("| scenario").contains("| p99 ms").contains("| vs limit");
        assertThat(lines.get(1)).matches("^\\|( -+ \\|)+$");
        assertThat(lines.get(2)).contains("| 8.25 ").contains(">= 0.6x echo -> MISSED");
        assertThat(lines.get(4)).contains("skipped").contains("no mosquitto on PATH");
        assertThat(lines).extracting(String::length).containsOnly(lines.get(0).length());
    }
}
