package io.shadowmq.store.registry;

import org.jetbrains.annotations.NotNull;

/** A thing just provisioned (or whose secret was just rotated) with its secret: shown once, never stored. */
public record ProvisionedThing(
        @NotNull ThingRecord thing, @NotNull String secret) {

    @Override
    public String toString() {
        return "ProvisionedThing[" + thing + ", secret=***]";
    }
}
