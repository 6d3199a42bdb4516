package io.shadowmq.store;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.settings.EnvSource;
import io.shadowmq.store.settings.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code SHADOWMQ_REDIS_PASSWORD} reaches a real Redis that requires it. */
class RedisPasswordTest {

    private static final String PASSWORD = "a-redis-password";

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void theStoreAuthenticatesWithThePasswordSetting(@TempDir Path dir) throws Exception {
        List<String> warnings = new ArrayList<>();
        StoreSettings settings = StoreSettings.read(
                List.of(new EnvSource(
                        Map.of(
                                "SHADOWMQ_PEPPER",
                                "base64:" + java.util.Base64.getEncoder().encodeToString(StoreFixture.PEPPER.bytes()),
                                "SHADOWMQ_REDIS_ADDRESS",
                                redis.uri(),
                                "SHADOWMQ_REDIS_PASSWORD",
                                PASSWORD)::get,
                        warnings::add)),
                dir);
        command("CONFIG", "SET", "requirepass", PASSWORD);
        try (ShadowStore store = ShadowStore.connect(settings.storeConfig(), StoreFixture.MODELS)) {
            ThingId car = freshThing("car");
            provision(store, car, "car", freshOwner());

            assertThat(await(store.ping()).isOk()).isTrue();
            assertThat(await(store.things().find(car)).orElseThrow().type()).isEqualTo("car");
        } finally {
            command("AUTH", PASSWORD, "CONFIG", "SET", "requirepass", "");
        }
        assertThat(warnings).isEmpty();
        assertThat(settings.toString()).doesNotContain(PASSWORD);
    }

    /** One or two RESP commands on a raw connection (AUTH first when given): no client library involved. */
    private static void command(String... words) throws IOException {
        try (Socket socket = new Socket(redis.server().host(), redis.server().port())) {
            OutputStream out = socket.getOutputStream();
            int split = words[0].equals("AUTH") ? 2 : words.length;
            out.write(resp(List.of(words).subList(0, split)));
            if (split < words.length) {
                out.write(resp(List.of(words).subList(split, words.length)));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            int replies = split < words.length ? 2 : 1;
            for (int lines = 0; lines < replies; ) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                if (c == '-') {
                    throw new IOException("redis refused " + String.join(" ", words));
                }
                if (c == '\n') {
                    lines++;
                }
            }
        }
    }

    private static byte[] resp(List<String> words) {
        StringBuilder out = new StringBuilder("*" + words.size() + "\r\n");
        for (String word : words) {
            out.append('$')
                    .append(word.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(word)
                    .append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
