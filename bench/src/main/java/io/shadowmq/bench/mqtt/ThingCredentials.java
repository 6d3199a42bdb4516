package io.shadowmq.bench.mqtt;

import org.jetbrains.annotations.NotNull;

/**
 * What a benchmark device connects with: client identifier = username = thing id, password = secret
 * (docs/protocol.md). Against a broker without the extension any secret is accepted.
 */
public record ThingCredentials(
        @NotNull String thingId, @NotNull String secret) {

    @Override
    public String toString() {
        return "ThingCredentials[" + thingId + "]";
    }
}
