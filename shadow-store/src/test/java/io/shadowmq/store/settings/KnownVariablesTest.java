package io.shadowmq.store.settings;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KnownVariablesTest {

    @Test
    void aTypoIsReportedWithTheLikelyName() {
        assertThat(KnownVariables.unknown(Map.of(
                        "SHADOWMQ_FEED_PARTITION", "8",
                        "SHADOWMQ_REDSI_ADDRESS", "redis://x:1",
                        "SHADOWMQ_SOMETHING_ELSE_ENTIRELY", "1")))
                .containsExactly(
                        "unknown environment variable SHADOWMQ_FEED_PARTITION, ignored (did you mean "
                                + "SHADOWMQ_FEED_PARTITIONS?)",
                        "unknown environment variable SHADOWMQ_REDSI_ADDRESS, ignored (did you mean "
                                + "SHADOWMQ_REDIS_ADDRESS?)",
                        "unknown environment variable SHADOWMQ_SOMETHING_ELSE_ENTIRELY, ignored");
    }

    @Test
    void knownTestAndForeignVariablesAreNotReported() {
        assertThat(KnownVariables.unknown(Map.of(
                        "SHADOWMQ_PEPPER", "x",
                        "SHADOWMQ_REDIS", "deprecated but known",
                        "SHADOWMQ_HTTP_PORT", "8080",
                        "SHADOWMQ_UPDATES_PER_SECOND", "20",
                        "SHADOWMQ_NODE_JAVA_OPTS", "-Xmx1g",
                        "SHADOWMQ_URL", "http://localhost:8080",
                        "SHADOWMQ_TOKEN", "t",
                        "SHADOWMQ_IT_ANYTHING", "1",
                        "PATH", "/bin")))
                .isEmpty();
    }
}
