package io.shadowmq.store;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sentinel and Cluster are configuration: the same store runs from a Redisson YAML file instead of an address. */
class RedissonConfigFileTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void theStoreRunsFromARedissonYamlFile(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("redisson.yaml");
        Files.writeString(yaml, "singleServerConfig:\n  address: \"" + redis.uri() + "\"\n  timeout: 2000\n");

        try (ShadowStore store =
                ShadowStore.connect(StoreConfig.ofRedissonFile(yaml, StoreFixture.PEPPER), StoreFixture.MODELS)) {
            ThingId car = freshThing("car");
            provision(store, car, "car", freshOwner());

            assertThat(await(store.ping()).isOk()).isTrue();
            assertThat(await(store.things().find(car)).orElseThrow().type()).isEqualTo("car");
        }
    }

    @Test
    void aFileTheParserCannotReadIsNamedWithoutQuotingItsLines(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("redisson.yaml");
        Files.writeString(yaml, "singleServerConfig:\n  address: \"" + redis.uri() + "\"\n  password: \"s3cret\n");

        assertThatThrownBy(() ->
                        ShadowStore.connect(StoreConfig.ofRedissonFile(yaml, StoreFixture.PEPPER), StoreFixture.MODELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read Redisson config " + yaml + ": while scanning a quoted scalar")
                .hasMessageContaining("line 3, column 13")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anEmptyFileIsNamed(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("redisson.yaml");
        Files.writeString(yaml, "");

        assertThatThrownBy(() ->
                        ShadowStore.connect(StoreConfig.ofRedissonFile(yaml, StoreFixture.PEPPER), StoreFixture.MODELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read Redisson config " + yaml + ": it is empty");
    }
}
