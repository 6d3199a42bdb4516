package io.shadowmq.service.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.ActionModel;
import io.shadowmq.model.shadow.ClientTokens;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/things/{id}/actions/{action}}:
 * {@code {"input":{...}?,"ttlSeconds":N?,"idempotencyKey":"..."?}}. Unknown fields were refused (400) when the body
 * was read; here a {@code ttlSeconds} that is no integer in 1..604800 is 400, and so is an idempotency key that
 * breaks the rule of MQTT clientTokens (which are the idempotency keys of invocations over MQTT), in the words MQTT
 * uses. The input the command store checks against the action's schema (422), as for MQTT.
 *
 * <pre>{@code
 * ActionRequest.parse(SafeJson.read("{\"input\":{\"program\":\"cotton\"},\"ttlSeconds\":600}"))
 * // Ok(ActionRequest[input={"program":"cotton"}, ttl=PT10M, idempotencyKey=null])
 * }</pre>
 *
 * @param input          the action's input; {@link MissingNode} when the body has none
 * @param ttl            how long the command may wait for the thing; null for the action's default
 * @param idempotencyKey the client's key for retries, as sent (not yet scoped to the caller); null for none
 */
public record ActionRequest(
        @NotNull JsonNode input,
        @Nullable Duration ttl,
        @Nullable String idempotencyKey) {

    public static final Set<String> FIELDS = Set.of("input", "ttlSeconds", "idempotencyKey");

    public static @NotNull Outcome<ActionRequest> parse(@NotNull ObjectNode body) {
        JsonNode ttl = body.get("ttlSeconds");
        if (ttl != null
                && !(ttl.isIntegralNumber()
                        && ttl.canConvertToLong()
                        && ActionModel.isValidTtl(Duration.ofSeconds(ttl.longValue())))) {
            // Worded as over MQTT.
            return malformed("ttlSeconds: expected an integer from " + ActionModel.MIN_TTL.toSeconds() + " to "
                    + ActionModel.MAX_TTL.toSeconds() + ", got "
                    + (ttl.isNumber() ? ttl.asText() : ttl.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        Optional<String> badKey = ClientTokens.problemIn(body, "idempotencyKey");
        if (badKey.isPresent()) {
            return malformed(badKey.get());
        }
        JsonNode key = body.get("idempotencyKey");
        return Outcome.ok(new ActionRequest(
                body.has("input") ? body.get("input") : MissingNode.getInstance(),
                ttl == null ? null : Duration.ofSeconds(ttl.longValue()),
                key == null ? null : key.textValue()));
    }

    private static Outcome<ActionRequest> malformed(String message) {
        return Outcome.rejected(Rejection.malformed(message));
    }
}
