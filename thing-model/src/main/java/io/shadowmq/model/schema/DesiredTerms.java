package io.shadowmq.model.schema;

import io.shadowmq.model.shadow.DesiredPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

/**
 * A model's desired-lifecycle terms read along a dotted path: the deepest {@code desiredTtlSeconds} on the way
 * applies, and one {@code "autoClear": false} on the way opts the leaf out (as {@code readOnly} covers what is nested
 * under it). A path the model does not know gets the platform's defaults.
 */
record DesiredTerms(@NotNull Map<String, DataSchema> properties) implements DesiredPolicy {

    @Override
    public boolean autoClear(@NotNull String dottedPath) {
        Map<String, DataSchema> level = properties;
        for (String name : dottedPath.split("\\.", -1)) {
            DataSchema schema = level.get(name);
            if (schema == null) {
                return true;
            }
            if (!schema.autoClear()) {
                return false;
            }
            level = schema.properties();
        }
        return true;
    }

    @Override
    public @Nullable Duration defaultTtl(@NotNull String dottedPath) {
        Map<String, DataSchema> level = properties;
        Duration ttl = null;
        for (String name : dottedPath.split("\\.", -1)) {
            DataSchema schema = level.get(name);
            if (schema == null) {
                return ttl;
            }
            if (schema.desiredTtl() != null) {
                ttl = schema.desiredTtl();
            }
            level = schema.properties();
        }
        return ttl;
    }
}
