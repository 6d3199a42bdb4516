/**
 * The SDK's inside, not its API: may change in any release. {@link io.shadowmq.sdk.internal.ShadowSession} is the
 * protocol engine behind {@link io.shadowmq.sdk.ShadowClient}, made of one part per job (connection lifecycle,
 * request correlation, the local shadow, update pacing); the transports speak MQTT 5 or 3.1.1 through the HiveMQ MQTT
 * client. Types are package-private except the few the public package builds on.
 */
package io.shadowmq.sdk.internal;
