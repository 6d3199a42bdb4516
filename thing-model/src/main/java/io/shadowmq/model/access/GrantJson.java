package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Grant} as JSON, the one shape the store keeps and the REST API answers:
 * {@code {"id","owner","grantee","target","read":[],"write":[],"invoke":[],"expiresAt"?,"createdAt","createdBy"}}.
 *
 * <pre>{@code
 * Grant same = GrantJson.read(GrantJson.write(grant));
 * }</pre>
 */
public final class GrantJson {

    private GrantJson() {}

    public static @NotNull ObjectNode write(@NotNull Grant grant) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", grant.id());
        json.put("owner", grant.owner().value());
        json.put("grantee", grant.grantee());
        json.put("target", grant.target());
        strings(json.putArray("read"), grant.read());
        strings(json.putArray("write"), grant.write());
        strings(json.putArray("invoke"), grant.invoke());
        if (grant.expiresAt() != null) {
            json.put("expiresAt", grant.expiresAt());
        }
        json.put("createdAt", grant.createdAt());
        json.put("createdBy", grant.createdBy());
        return json;
    }

    /** Reads what {@link #write} wrote; throws {@link IllegalArgumentException} on anything else. */
    public static @NotNull Grant read(@NotNull JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("a grant must be a JSON object");
        }
        JsonNode expires = json.path("expiresAt");
        return new Grant(
                text(json, "id"),
                Owner.of(text(json, "owner")),
                text(json, "grantee"),
                text(json, "target"),
                strings(json, "read"),
                strings(json, "write"),
                strings(json, "invoke"),
                expires.isIntegralNumber() ? expires.asLong() : null,
                json.path("createdAt").asLong(),
                text(json, "createdBy"));
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("grant field " + field + " missing");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode json, String field) {
        List<String> values = new ArrayList<>();
        json.path(field).forEach(value -> values.add(value.asText()));
        return values;
    }
}
