package io.shadowmq.store;

import io.shadowmq.redis.process.RedisServerExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real Redis server and a store connected to it, shared by one test class. */
final class StoreExtension implements BeforeAllCallback, AfterAllCallback {

    private final RedisServerExtension redis = new RedisServerExtension();
    private ShadowStore store;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis.beforeAll(context);
        store = StoreFixture.connect(redis.uri());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        store.close();
        redis.afterAll(context);
    }

    ShadowStore store() {
        return store;
    }

    String uri() {
        return redis.uri();
    }
}
