package io.shadowmq.model.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One reported leaf a summary's text speaks of.
 *
 * @param path  dotted property path, e.g. {@code range}
 * @param value the reported value as stored
 * @param unit  the model's unit id ({@code km}), null for booleans and strings
 * @param age   whole seconds since the leaf was reported, null when the shadow has no timestamp for it
 */
public record Fact(
        @NotNull String path,
        @NotNull JsonNode value,
        @Nullable String unit,
        @Nullable Long age) {

    /** {@code {"path":"range","value":312,"unit":"km","age":300}}; {@code unit} and {@code age} only when known. */
    public @NotNull ObjectNode toJson() {
        ObjectNode json = SafeJson.object();
        json.put("path", path);
        json.set("value", value.deepCopy());
        if (unit != null) {
            json.put("unit", unit);
        }
        if (age != null) {
            json.put("age", age);
        }
        return json;
    }
}
