package io.shadowmq.bench.target;

import org.jetbrains.annotations.NotNull;

/** A running MQTT broker the benchmark talks to on loopback; closing it stops it. */
public interface MqttTarget extends AutoCloseable {

    /** What it is, for the report: "ShadowMQ platform", "HiveMQ CE 2025.5 without extension", "Mosquitto". */
    @NotNull
    String description();

    @NotNull
    String host();

    int mqttPort();
}
