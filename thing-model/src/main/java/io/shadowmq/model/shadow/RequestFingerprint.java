package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request asks for, as a SHA-256 in hex: the operation, the target thing, the expected version, the state,
 * and the time-to-live and refused desired values when it has them,
 * with object members in name order (so {@code {"a":1,"b":2}} and {@code {"b":2,"a":1}} are the same request). Two
 * requests under one client token are "the same request" — the second gets the first's result replayed — exactly
 * when their fingerprints are equal; numbers compare as written ({@code 1} and {@code 1.0} differ).
 *
 * <pre>{@code
 * RequestFingerprint.of(ThingId.of("washer-1"), request)  // "9b1f…" (64 hex digits)
 * }</pre>
 */
public final class RequestFingerprint {

    /** The length of every fingerprint: 32 bytes in hex. */
    public static final int LENGTH = 64;

    private RequestFingerprint() {}

    public static @NotNull String of(@NotNull ThingId target, @NotNull UpdateRequest request) {
        StringBuilder canonical = new StringBuilder(256)
                .append(ShadowTopic.Operation.UPDATE.level())
                .append('\n')
                .append(target.value())
                .append('\n')
                .append(request.version() == null ? "any" : request.version().toString())
                .append('\n');
        appendCanonical(canonical, request.state());
        // Only when present, so that the fingerprint of a plain update is what it always was.
        if (request.ttlSeconds() != null) {
            canonical.append("\nttl:").append(request.ttlSeconds());
        }
        if (request.rejectsDesired()) {
            ObjectNode refusals = SafeJson.object();
            request.rejectDesired().forEach(refusals::put);
            canonical.append("\nreject:");
            appendCanonical(canonical, refusals);
        }
        return sha256(canonical.toString());
    }

    /**
     * What an action invocation asks for: the target thing, the action and its input (object members in name order),
     * for the idempotency key of a command.
     */
    public static @NotNull String ofInvocation(
            @NotNull ThingId target, @NotNull String action, @NotNull JsonNode input) {
        StringBuilder canonical = new StringBuilder(256)
                .append("invoke\n")
                .append(target.value())
                .append('\n')
                .append(action)
                .append('\n');
        // No input, null and {} are the same input.
        appendCanonical(
                canonical, input.isMissingNode() || input.isNull() ? JsonNodeFactory.instance.objectNode() : input);
        return sha256(canonical.toString());
    }

    private static void appendCanonical(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                sorted.put(member.getKey(), member.getValue());
            }
            out.append('{');
            String separator = "";
            for (Map.Entry<String, JsonNode> member : sorted.entrySet()) {
                out.append(separator);
                appendString(out, member.getKey());
                out.append(':');
                appendCanonical(out, member.getValue());
                separator = ",";
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            while (elements.hasNext()) {
                appendCanonical(out, elements.next());
                if (elements.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else if (node.isTextual()) {
            appendString(out, node.textValue());
        } else {
            out.append(node); // numbers, booleans and null as JSON writes them
        }
    }

    /** Length-prefixed, so no content of a string can be mistaken for structure around it. */
    private static void appendString(StringBuilder out, String value) {
        out.append('"').append(value.length()).append(':').append(value).append('"');
    }

    private static String sha256(String canonical) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
