package io.shadowmq.extension.harness;

import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;

/** A store on a test's Redis, for tests of the extension's parts without a broker. */
public final class TestStores {

    private TestStores() {}

    /** Connects to {@code redis} with a test pepper and the bundled thing models; the caller closes it. */
    public static ShadowStore connect(RedisServerExtension redis) {
        return ShadowStore.connect(
                StoreConfig.of(redis.uri(), Pepper.parse("a-test-pepper-16-bytes")), ThingModels.bundled());
    }
}
