package io.shadowmq.service.things;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Set;

/**
 * The body of {@code POST /api/v1/things}: {@code {"thingId":"car-1","type":"car","owner":"alice"}}. Unknown fields
 * were refused (400) when the body was read; here a missing or invalid field is 422 naming it.
 *
 * <pre>{@code
 * Outcome<ProvisionRequest> request = ProvisionRequest.parse(body);
 * }</pre>
 */
public record ProvisionRequest(
        @NotNull ThingId thingId,
        @NotNull String type,
        @NotNull Owner owner) {

    public static final Set<String> FIELDS = Set.of("thingId", "type", "owner");

    public static @NotNull Outcome<ProvisionRequest> parse(@NotNull ObjectNode body) {
        for (String field : new String[] {"thingId", "type", "owner"}) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                return invalid(field + ": required");
            }
            if (!value.isTextual()) {
                return invalid(field + ": expected a string, got "
                        + value.getNodeType().name().toLowerCase());
            }
            // Types are file names of thing models and follow the identifier rule too (the store names unknown ones).
            if (!ThingId.isValid(value.textValue())) {
                return invalid(field + ": invalid " + field + " '" + ThingId.printable(value.textValue())
                        + "': must match " + ThingId.PATTERN.pattern());
            }
        }
        return Outcome.ok(new ProvisionRequest(
                ThingId.of(body.get("thingId").textValue()),
                body.get("type").textValue(),
                Owner.of(body.get("owner").textValue())));
    }

    private static Outcome<ProvisionRequest> invalid(String message) {
        return Outcome.rejected(Rejection.modelViolation(message));
    }
}
