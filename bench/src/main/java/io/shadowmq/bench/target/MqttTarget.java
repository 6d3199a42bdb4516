package io.shadowmq.bench.target;

import org.jetbrains.annotations.NotNull;

import java.util.OptionalLong;

/** A running MQTT broker the benchmark talks to on loopback; closing it stops it. */
public interface MqttTarget extends AutoCloseable {

    /** What it is, for the report: "ShadowMQ platform", "HiveMQ CE 2025.5 without extension", "Mosquitto". */
    @NotNull
    String description();

    @NotNull
    String host();

    int mqttPort();

    /**
     * The process id of the Redis server this target writes to, so a cost measurement can read its CPU time; empty
     * for a target without Redis.
     */
    default @NotNull OptionalLong redisPid() {
        return OptionalLong.empty();
    }
}
