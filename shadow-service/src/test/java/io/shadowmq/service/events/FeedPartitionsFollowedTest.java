package io.shadowmq.service.events;

import io.shadowmq.service.Api;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service reads only the change-feed partitions its open event streams need, and none without streams. */
class FeedPartitionsFollowedTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void aServiceReadsThePartitionOfAnOpenStreamOnlyWhileTheStreamIsOpen() throws Exception {
        String car = api.provision("car", "car", "alice");
        assertThat(partitionsFollowed()).isZero();

        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(partitionsFollowed()).isEqualTo(1);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> partitionsFollowed() == 0);
    }

    private long partitionsFollowed() {
        Matcher line = Pattern.compile("^shadowmq_feed_partitions_followed ([0-9.E]+)$", Pattern.MULTILINE)
                .matcher(api.sendAs(null, "GET", "/metrics", null).body());
        assertThat(line.find()).as("metric shadowmq_feed_partitions_followed").isTrue();
        return (long) Double.parseDouble(line.group(1));
    }
}
