package io.shadowmq.bench.report;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * Renders the rows as one plain-text table for stdout (and for pasting into docs/benchmarks.md: it is valid
 * Markdown).
 */
public final class ResultTable {

    private static final String[] HEADER = {"scenario", "throughput", "p50 ms", "p99 ms", "vs limit", "goal"};

    private ResultTable() {}

    public static @NotNull String render(@NotNull List<ScenarioRow> rows) {
        String[][] cells = new String[rows.size() + 1][];
        cells[0] = HEADER;
        for (int i = 0; i < rows.size(); i++) {
            ScenarioRow row = rows.get(i);
            cells[i + 1] = new String[] {
                row.scenario(),
                row.throughput(),
                millis(row.p50Millis()),
                millis(row.p99Millis()),
                row.vsLimit(),
                verdict(row)
            };
        }
        int[] widths = new int[HEADER.length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder table = new StringBuilder();
        line(table, cells[0], widths);
        String[] rule = new String[HEADER.length];
        for (int c = 0; c < rule.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        line(table, rule, widths);
        for (int r = 1; r < cells.length; r++) {
            line(table, cells[r], widths);
        }
        return table.toString();
    }

    private static String verdict(ScenarioRow row) {
        if (row.goal().isEmpty()) {
            return "";
        }
        String mark = row.goalMet() == null ? "?" : row.goalMet() ? "met" : "MISSED";
        return row.goal() + " -> " + mark;
    }

    private static String millis(@Nullable Double value) {
        return value == null ? "" : "%.2f".formatted(value);
    }

    private static void line(StringBuilder table, String[] cells, int[] widths) {
        table.append('|');
        for (int c = 0; c < cells.length; c++) {
            table.append(' ')
                    .append(cells[c])
                    .append(" ".repeat(widths[c] - cells[c].length()))
                    .append(" |");
        }
        table.append('\n');
    }
}
