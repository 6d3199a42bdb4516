package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads request bodies: at most {@link #MAX_BODY_BYTES} (the MQTT payload limit, so REST and MQTT accept the same
 * requests), through {@link SafeJson}'s limits, objects only, no unknown fields.
 *
 * <pre>{@code
 * Outcome<ObjectNode> body = JsonBodies.readObject(ctx, Set.of("thingId", "type", "owner"));
 * }</pre>
 */
public final class JsonBodies {

    public static final int MAX_BODY_BYTES = SafeJson.MAX_DOCUMENT_BYTES;

    private JsonBodies() {}

    /**
     * The raw body, or 413 when it is larger than {@link #MAX_BODY_BYTES}. A declared Content-Length above the limit
     * is refused before a byte is read; a chunked body is read up to one byte past the limit, never further.
     */
    public static @NotNull Outcome<byte[]> readBytes(@NotNull Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            return Outcome.rejected(tooLarge());
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
            byte[] chunk = new byte[8192];
            int total = 0;
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                total += read;
                if (total > MAX_BODY_BYTES) {
                    return Outcome.rejected(tooLarge());
                }
                out.write(chunk, 0, read);
            }
            return Outcome.ok(out.toByteArray());
        } catch (IOException e) {
            return Outcome.rejected(Rejection.malformed("cannot read the request body: " + e.getMessage()));
        }
    }

    /** The body as a JSON object holding no key outside {@code allowed}; 400 naming the first unknown key. */
    public static @NotNull Outcome<ObjectNode> readObject(@NotNull Context ctx, @NotNull Set<String> allowed) {
        Outcome<ObjectNode> read = readObject(ctx);
        if (!(read instanceof Outcome.Ok<ObjectNode> ok)) {
            return read;
        }
        Optional<String> unknown = firstUnknownKey(ok.value(), allowed);
        if (unknown.isPresent()) {
            return Outcome.rejected(
                    Rejection.malformed("unknown field '" + ThingId.printable(unknown.get()) + "': expected only "
                            + String.join(", ", allowed.stream().sorted().toList())));
        }
        return read;
    }

    /** The body as a JSON object, whatever its keys (for a parser that names unknown ones itself). */
    public static @NotNull Outcome<ObjectNode> readObject(@NotNull Context ctx) {
        Outcome<byte[]> bytes = readBytes(ctx);
        if (bytes instanceof Outcome.Rejected<byte[]> rejected) {
            return Outcome.rejected(rejected.rejection());
        }
        byte[] body = bytes.orElseThrow();
        if (body.length == 0) {
            return Outcome.rejected(Rejection.malformed("expected a JSON object, got an empty body"));
        }
        JsonNode root;
        try {
            root = SafeJson.read(body);
        } catch (MalformedJsonException e) {
            return Outcome.rejected(Rejection.malformed(e.getMessage()));
        }
        if (!(root instanceof ObjectNode object)) {
            return Outcome.rejected(Rejection.malformed(
                    "expected a JSON object, got " + root.getNodeType().name().toLowerCase()));
        }
        return Outcome.ok(object);
    }

    private static Optional<String> firstUnknownKey(ObjectNode object, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (!allowed.contains(member.getKey())) {
                return Optional.of(member.getKey());
            }
        }
        return Optional.empty();
    }

    private static Rejection tooLarge() {
        return Rejection.tooLarge("request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
}
