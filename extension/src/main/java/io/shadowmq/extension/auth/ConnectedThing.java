package io.shadowmq.extension.auth;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;

/**
 * A thing whose CONNECT was verified: its id (= MQTT client identifier = user name) and its household. Every
 * authorization decision starts from it.
 * <pre>{@code ConnectedThing car = new ConnectedThing(ThingId.of("car-1"), Owner.of("alice"));}</pre>
 */
public record ConnectedThing(
        @NotNull ThingId thing, @NotNull Owner owner) {

    public ConnectedThing {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(owner, "owner");
    }

    @Override
    public String toString() {
        return thing + " (owner " + owner + ")";
    }
}
