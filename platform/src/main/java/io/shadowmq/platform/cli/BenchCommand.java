package io.shadowmq.platform.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./shadowmq bench}: listed in {@code ./shadowmq --help}; the script runs the benchmark module itself (its own
 * classpath), so this command only says so when the platform's main is called directly.
 */
@Command(
        name = "bench",
        description = {
            "Measure the platform: throughput and latency of MQTT updates, REST reads "
                    + "and deltas (docs/benchmarks.md).",
            "  ./shadowmq bench --help   lists its options"
        })
public final class BenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> options;

    @Override
    public Integer call() throws CliFailure {
        throw new CliFailure("the benchmark has a classpath of its own: run it as ./shadowmq bench"
                + (options == null ? "" : " " + String.join(" ", options)));
    }
}
