/**
 * The device SDK: {@link io.shadowmq.sdk.ShadowClient} connects a thing to its shadow on a ShadowMQ platform over
 * MQTT, reports its state, hands it the delta (once per version, also after being offline), carries out its commands
 * ({@link io.shadowmq.sdk.ShadowClient#onCommand}), and writes the desired state of other things of its household and
 * invokes their actions. See docs/device-sdk.md.
 *
 * <p>This package is the whole public API. What it hands out is read-only ({@link io.shadowmq.sdk.ShadowState},
 * {@link io.shadowmq.sdk.ShadowDelta}, {@link io.shadowmq.sdk.UpdateAccepted} return copies of their JSON), so a
 * caller cannot change what the client keeps. {@code io.shadowmq.sdk.internal} is not API.
 *
 * <pre>{@code
 * ShadowClient client = ShadowClient.builder().host("localhost").thing("car-1").secret(secret).type("car").build();
 * client.onDelta(delta -> act(delta.state()));
 * client.connect().join();
 * client.reportAsync(Map.of("range", 310));
 * }</pre>
 */
package io.shadowmq.sdk;
