package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.grant.AuditLog;
import io.shadowmq.store.grant.RedisAuditLog;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each household's audit trail against a real Redis: recorded in the background, listed newest first in pages by
 * the stream id, and trimmed to its size and retention.
 */
class AuditLogTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    @BeforeEach
    void connected() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> await(redis.store().ping()).isOk());
    }

    private static AuditEntry entry(Owner owner, int n) {
        return new AuditEntry(
                "", 1_000L + n, owner, "thing:speaker-1", "car-1", "write", List.of("cabin.heater.isOn", "p" + n), 403);
    }

    private static List<AuditEntry> all(AuditLog audit, Owner owner, int expected) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> await(audit.list(owner, 1000, null)).orElseThrow().size() >= expected);
        return await(audit.list(owner, 1000, null)).orElseThrow();
    }

    @Test
    void entriesAreListedNewestFirstInPagesWithTheStreamIdAsCursor() {
        AuditLog audit = redis.store().audit();
        Owner owner = freshOwner();
        for (int n = 0; n < 5; n++) {
            audit.record(entry(owner, n));
            all(audit, owner, n + 1); // one after another: their order is the order recorded
        }

        List<AuditEntry> entries = all(audit, owner, 5);
        assertThat(entries).extracting(AuditEntry::at).containsExactly(1004L, 1003L, 1002L, 1001L, 1000L);
        AuditEntry newest = entries.get(0);
        assertThat(newest.id()).matches("\\d+-\\d+");
        assertThat(newest.owner()).isEqualTo(owner);
        assertThat(newest.actor()).isEqualTo("thing:speaker-1");
        assertThat(newest.target()).isEqualTo("car-1");
        assertThat(newest.operation()).isEqualTo("write");
        assertThat(newest.paths()).containsExactly("cabin.heater.isOn", "p4");
        assertThat(newest.code()).isEqualTo(403);

        List<AuditEntry> first = await(audit.list(owner, 2, null)).orElseThrow();
        List<AuditEntry> second = await(audit.list(owner, 2, first.get(1).id())).orElseThrow();
        List<AuditEntry> third = await(audit.list(owner, 2, second.get(1).id())).orElseThrow();
        assertThat(first).extracting(AuditEntry::at).containsExactly(1004L, 1003L);
        assertThat(second).extracting(AuditEntry::at).containsExactly(1002L, 1001L);
        assertThat(third).extracting(AuditEntry::at).containsExactly(1000L);

        assertThat(await(audit.list(freshOwner(), 10, null)).orElseThrow())
                .as("another household's trail")
                .isEmpty();
    }

    @Test
    void aBadLimitOrCursorIsMalformed() {
        AuditLog audit = redis.store().audit();
        Owner owner = freshOwner();
        assertThat(await(audit.list(owner, 0, null)))
                .isEqualTo(Outcome.rejected(
                        Rejection.malformed("limit: must be 1.." + RedisAuditLog.MAX_PAGE + ", was 0")));
        assertThat(await(audit.list(owner, 10, "g-123")))
                .isEqualTo(Outcome.rejected(Rejection.malformed("before: not a cursor this service issued")));
    }

    @Test
    void theTrailKeepsAboutItsSizeAndNothingOlderThanItsRetention() {
        ShadowStore store = redis.store();
        RedisAuditLog small = new RedisAuditLog(
                store.redis(), new StoreCall(Duration.ofSeconds(2)), 10, Duration.ofDays(AuditLog.RETENTION_DAYS));
        Owner owner = freshOwner();
        var stream = store.redis().<String, String>getStream(RedisKeys.audit(owner), StringCodec.INSTANCE);
        // An entry recorded 31 days ago (its stream id carries the time).
        long monthAgo = System.currentTimeMillis() - Duration.ofDays(31).toMillis();
        stream.add(
                new StreamMessageId(monthAgo, 0),
                StreamAddArgs.entries(Map.of(
                        "at", Long.toString(monthAgo),
                        "actor", "admin",
                        "target", "g-1",
                        "operation", "grant",
                        "paths", "[]",
                        "code", "200")));

        small.record(entry(owner, 0));
        List<AuditEntry> kept = all(small, owner, 1);
        assertThat(kept).extracting(AuditEntry::at).containsExactly(1000L);

        for (int n = 1; n < 350; n++) {
            small.record(entry(owner, n));
            long at = 1000L + n;
            await().atMost(Duration.ofSeconds(5))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> await(small.list(owner, 1, null))
                                    .orElseThrow()
                                    .get(0)
                                    .at()
                            == at);
        }
        long size = stream.size();
        assertThat(size)
                .as("trimmed by whole stream nodes to about 10")
                .isGreaterThanOrEqualTo(10)
                .isLessThan(250);
    }
}
