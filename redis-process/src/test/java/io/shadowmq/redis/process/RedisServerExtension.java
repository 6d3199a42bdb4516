package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * A real Redis server shared by one test class: started before its first test, stopped after its last. Other
 * modules get it through redis-process's test jar.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 * ... StoreConfig.of(redis.uri(), pepper) ...
 * }</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final RedisServerProcess server = RedisServerProcess.builder().build();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }

    public @NotNull String uri() {
        return server.uri();
    }

    /** The process itself, for tests that stop and restart Redis mid-operation. */
    public @NotNull RedisServerProcess server() {
        return server;
    }
}
