package io.shadowmq.store.registry;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

/** A provisioned thing: its id, its thing model's type, its household and when it was created (epoch ms). */
public record ThingRecord(
        @NotNull ThingId thingId,
        @NotNull String type,
        @NotNull Owner owner,
        long createdAt) {}
