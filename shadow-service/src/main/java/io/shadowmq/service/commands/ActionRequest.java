package io.shadowmq.service.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * was read; here a field of the wrong JSON type is 400 naming it, and so is an idempotency key that breaks the rule
 * of MQTT clientTokens (which are the idempotency keys of invocations over MQTT). The input against the action's
 * schema (422) and the time-to-live's range (400) the command store checks, with the same messages over REST and
 * MQTT.
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
        if (ttl != null && !(ttl.isIntegralNumber() && ttl.canConvertToLong())) {
            return malformed("ttlSeconds: expected an integer number of seconds, got " + typeOf(ttl));
        }
        JsonNode key = body.get("idempotencyKey");
        if (key != null && !key.isTextual()) {
            return malformed("idempotencyKey: expected a string of 1 to " + ClientTokens.MAX_CODE_POINTS
                    + " printable characters, got " + typeOf(key));
        }
        Optional<String> badKey = key == null ? Optional.empty() : ClientTokens.problem(key.textValue());
        if (badKey.isPresent()) {
            return malformed("idempotencyKey: " + badKey.get());
        }
        return Outcome.ok(new ActionRequest(
                body.has("input") ? body.get("input") : MissingNode.getInstance(),
                ttl == null ? null : Duration.ofSeconds(ttl.longValue()),
                key == null ? null : key.textValue()));
    }

    private static String typeOf(JsonNode value) {
        return value.isNumber() && !value.isIntegralNumber()
                ? "a decimal number"
                : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static Outcome<ActionRequest> malformed(String message) {
        return Outcome.rejected(Rejection.malformed(message));
    }
}
