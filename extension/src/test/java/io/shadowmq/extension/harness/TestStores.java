package io.shadowmq.extension.harness;

import io.shadowmq.extension.auth.MemberAccess;
import io.shadowmq.extension.auth.StoreOwnerLookup;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;

import java.time.Clock;
import java.time.Duration;

/** A store on a test's Redis, for tests of the extension's parts without a broker. */
public final class TestStores {

    private TestStores() {}

    /** The household access of {@code store}'s things, as the extension builds it (real guard, audit and registry). */
    public static MemberAccess members(ShadowStore store) {
        return new MemberAccess(
                store.household(),
                store.audit(),
                new StoreOwnerLookup(store.things(), Duration.ofMinutes(1), 10_000),
                ThingModels.bundled(),
                Clock.systemUTC());
    }

    /**
     * Connects to {@code redis} with a test pepper and the bundled thing models; the caller closes it. The store
     * timeout is generous: these tests are about behaviour, and on a loaded 2-core build machine a cold first call
     * (scripts loading, JIT) has taken longer than the product's 2 s, which then tripped the fail-fast for the rest.
     */
    public static ShadowStore connect(RedisServerExtension redis) {
        return ShadowStore.connect(
                StoreConfig.of(redis.uri(), Pepper.parse("a-test-pepper-16-bytes"))
                        .withTimeout(Duration.ofSeconds(10)),
                ThingModels.bundled());
    }
}
