package io.shadowmq.store.history;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;

/**
 * One value of a property's reported history: what an accepted update set it to.
 *
 * @param timestamp when the update was accepted (epoch ms)
 * @param version   the shadow's version after the update
 * @param value     the value; JSON {@code null} when the update removed it
 */
public record HistoryPoint(
        long timestamp, long version, @NotNull JsonNode value) {}
