package io.shadowmq.extension.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ClientTokens;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.command.CommandStatus;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the two payloads a client publishes about commands (docs/protocol.md, "Commands"). Untrusted bytes in, a
 * request or a 400/413 rejection out, never an exception; what the thing model says of the input, the output and the
 * ranges (404, 422) the store decides.
 * <pre>{@code
 * CommandRequests.parseInvoke(payload)   // {"input":{"program":"cotton"},"clientToken":"t-1","ttlSeconds":600}
 * CommandRequests.parseStatus(payload)   // {"status":"running","progress":35}
 * }</pre>
 */
final class CommandRequests {

    static final String INPUT = "input";
    static final String CLIENT_TOKEN = "clientToken";
    static final String TTL_SECONDS = "ttlSeconds";
    static final String STATUS = "status";
    static final String PROGRESS = "progress";
    static final String OUTPUT = "output";
    static final String REASON = "reason";

    /** The longest time-to-live a command may ask for: 7 days. */
    static final long MAX_TTL_SECONDS = Duration.ofDays(7).toSeconds();

    private static final Set<String> INVOKE_KEYS = Set.of(INPUT, CLIENT_TOKEN, TTL_SECONDS);
    private static final Set<String> STATUS_KEYS = Set.of(STATUS, PROGRESS, OUTPUT, REASON, CLIENT_TOKEN);
    private static final Set<CommandStatus> REPORTABLE =
            Set.of(CommandStatus.RUNNING, CommandStatus.SUCCEEDED, CommandStatus.FAILED);

    private CommandRequests() {}

    /** {@code things/T/actions/{action}}: {@code input} absent means none ({@link MissingNode}). */
    record Invoke(
            @NotNull JsonNode input,
            @Nullable String clientToken,
            @Nullable Duration ttl) {}

    /** {@code things/T/commands/{commandId}/status}. */
    record Status(
            @NotNull CommandStatus status,
            @Nullable Integer progress,
            @Nullable JsonNode output,
            @Nullable String reason,
            @Nullable String clientToken) {}

    /** An empty payload invokes without input. */
    static @NotNull Outcome<Invoke> parseInvoke(byte @NotNull [] payload) {
        if (payload.length == 0) {
            return Outcome.ok(new Invoke(MissingNode.getInstance(), null, null));
        }
        Outcome<JsonNode> read =
                readObject(payload, INVOKE_KEYS, "an invocation may only hold input, clientToken " + "and ttlSeconds");
        if (!(read instanceof Outcome.Ok<JsonNode> ok)) {
            return read.map(root -> null);
        }
        JsonNode root = ok.value();
        Duration ttl = null;
        JsonNode ttlNode = root.get(TTL_SECONDS);
        if (ttlNode != null) {
            if (!ttlNode.isIntegralNumber()
                    || !ttlNode.canConvertToLong()
                    || ttlNode.longValue() < 1
                    || ttlNode.longValue() > MAX_TTL_SECONDS) {
                return invalid(
                        "ttlSeconds: expected an integer from 1 to " + MAX_TTL_SECONDS + ", got " + describe(ttlNode));
            }
            ttl = Duration.ofSeconds(ttlNode.longValue());
        }
        return Outcome.ok(new Invoke(root.path(INPUT), root.path(CLIENT_TOKEN).textValue(), ttl));
    }

    static @NotNull Outcome<Status> parseStatus(byte @NotNull [] payload) {
        Outcome<JsonNode> read = readObject(
                payload,
                STATUS_KEYS,
                "a status report may only hold status, progress, " + "output, reason and clientToken");
        if (!(read instanceof Outcome.Ok<JsonNode> ok)) {
            return read.map(root -> null);
        }
        JsonNode root = ok.value();
        JsonNode statusNode = root.get(STATUS);
        Optional<CommandStatus> status =
                statusNode != null && statusNode.isTextual() ? reportable(statusNode.textValue()) : Optional.empty();
        if (status.isEmpty()) {
            return invalid("status: expected running, succeeded or failed, got "
                    + (statusNode == null ? "nothing" : describe(statusNode)));
        }
        Integer progress = null;
        JsonNode progressNode = root.get(PROGRESS);
        if (progressNode != null) {
            if (!progressNode.isIntegralNumber() || !progressNode.canConvertToInt()) {
                return invalid("progress: expected an integer from 0 to 100, got " + describe(progressNode));
            }
            progress = progressNode.intValue();
        }
        JsonNode reasonNode = root.get(REASON);
        if (reasonNode != null && !reasonNode.isTextual()) {
            return invalid("reason: expected a string, got " + describe(reasonNode));
        }
        return Outcome.ok(new Status(
                status.get(),
                progress,
                root.get(OUTPUT),
                reasonNode == null ? null : reasonNode.textValue(),
                root.path(CLIENT_TOKEN).textValue()));
    }

    private static Optional<CommandStatus> reportable(String name) {
        for (CommandStatus status : REPORTABLE) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    private static Outcome<JsonNode> readObject(byte[] payload, Set<String> keys, String whatItHolds) {
        Outcome<ObjectNode> read = ShadowRequests.readObject(payload, SafeJson.MAX_DOCUMENT_BYTES);
        if (!(read instanceof Outcome.Ok<ObjectNode> object)) {
            return read.map(root -> null);
        }
        ObjectNode root = object.value();
        for (Map.Entry<String, JsonNode> member : root.properties()) {
            if (!keys.contains(member.getKey())) {
                return invalid("unknown key '" + ThingId.printable(member.getKey()) + "': " + whatItHolds);
            }
        }
        Optional<String> tokenProblem = ClientTokens.problemIn(root);
        if (tokenProblem.isPresent()) {
            return invalid(tokenProblem.get());
        }
        return Outcome.ok(root);
    }

    private static String describe(JsonNode value) {
        return value.isNumber() ? value.asText() : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.malformed(message));
    }
}
