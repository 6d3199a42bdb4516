package io.shadowmq.sdk;

/**
 * The MQTT version the client speaks. MQTT 5 is the default: the broker says why it refuses a publish (PUBACK 0x87,
 * which the SDK turns into a 403 at once); over MQTT 3.1.1 such a request ends in a timeout.
 *
 * <pre>{@code ShadowClient.builder().mqttVersion(MqttProtocolVersion.V3_1_1)}</pre>
 */
public enum MqttProtocolVersion {
    /** MQTT 3.1.1, for brokers or networks that need it. */
    V3_1_1,
    /** MQTT 5, the default. */
    V5
}
