package io.shadowmq.model.shadow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.access.PathPattern;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the request payloads devices publish to {@code things/{id}/shadow/update}, {@code .../get} and
 * {@code .../delete}. Untrusted bytes in, a valid request or a 400/413 rejection out; never an exception.
 * Thing-model validation (422) is not done here: the store runs it on the parsed request.
 *
 * <pre>{@code
 * Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT);
 * if (parsed instanceof Outcome.Rejected<UpdateRequest> invalid) {
 *     String token = ShadowRequests.salvageClientToken(payload).orElse(null);
 *     publish("update/rejected", ShadowPayloads.rejected(invalid.rejection(), token, now));
 * }
 * }</pre>
 */
public final class ShadowRequests {

    private static final String STATE = "state";
    private static final String VERSION = "version";
    private static final String CLIENT_TOKEN = "clientToken";
    private static final String TTL_SECONDS = "ttlSeconds";
    private static final String REJECT_DESIRED = "rejectDesired";
    private static final String PATHS = "paths";
    private static final Set<String> UPDATE_KEYS = Set.of(STATE, VERSION, CLIENT_TOKEN, TTL_SECONDS, REJECT_DESIRED);
    /** Longest reason a thing may give for refusing a desired value, in code points. */
    public static final int MAX_REASON_CODE_POINTS = 256;

    /*
     * salvageClientToken reads payloads that SafeJson refused (duplicate keys, too deep, trailing garbage), so it
     * streams tokens without building a tree and without duplicate detection; the size limits still hold.
     */
    private static final JsonFactory LENIENT = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(SafeJson.MAX_DOCUMENT_BYTES)
                    .maxNestingDepth(SafeJson.MAX_NESTING_DEPTH)
                    .maxStringLength(SafeJson.MAX_STRING_CHARS)
                    .maxNameLength(SafeJson.MAX_STRING_CHARS)
                    .maxNumberLength(SafeJson.MAX_NUMBER_CHARS)
                    .build())
            .build();

    private ShadowRequests() {}

    /**
     * Reads an update request: {@code {"state":{"reported":{..}|null,"desired":{..}|null},"version":N?,
     * "clientToken":".."?,"ttlSeconds":N?,"rejectDesired":{"a.b":"reason"}?}}, where {@code state} holds at least
     * one of the two sections (it may be left out when {@code rejectDesired} is there), each section nests at
     * most {@link ShadowLimits#maxStateDepth()} levels, and nothing else is present. {@code ttlSeconds}
     * (1 .. {@value DesiredPolicy#MAX_TTL_SECONDS}) needs a desired object to apply to; {@code rejectDesired} maps
     * dotted property paths to reasons of 1 to {@value #MAX_REASON_CODE_POINTS} characters. A section that is an object
     * must change something (an empty object, or one holding only empty objects, is refused: it would burn a
     * version for nothing), and every key in it must be a property name ({@link DataSchema#PROPERTY_NAME}, the rule
     * thing models follow), so that no model can be asked about {@code ""} or a control character.
     *
     * @return the request, or a rejection: 413 {@code payload is N bytes, more than 65536}, or 400 with a message
     *         naming what is wrong, e.g. {@code state.reported: expected an object or null, got string} or
     *         {@code state.reported.doors: '' is not a property name (...)}
     */
    public static @NotNull Outcome<UpdateRequest> parseUpdate(byte @NotNull [] payload, @NotNull ShadowLimits limits) {
        Outcome<ObjectNode> read = readObject(payload, limits.maxPayloadBytes());
        if (!(read instanceof Outcome.Ok<ObjectNode> object)) {
            return read.map(root -> null);
        }
        ObjectNode root = object.value();
        for (Map.Entry<String, JsonNode> member : root.properties()) {
            if (!UPDATE_KEYS.contains(member.getKey())) {
                return invalid("unknown key '" + ThingId.printable(member.getKey())
                        + "': an update may only hold state, version, clientToken, ttlSeconds and rejectDesired");
            }
        }
        Outcome<Map<String, String>> refusals = rejectDesired(root.get(REJECT_DESIRED), limits.maxStateDepth());
        if (refusals instanceof Outcome.Rejected<Map<String, String>> invalidRefusals) {
            return new Outcome.Rejected<>(invalidRefusals.rejection());
        }
        Map<String, String> rejectDesired = ((Outcome.Ok<Map<String, String>>) refusals).value();
        JsonNode state = root.get(STATE);
        if (state == null && !rejectDesired.isEmpty()) {
            state = SafeJson.object();
        } else if (state == null) {
            return invalid("missing state");
        }
        if (!state.isObject()) {
            return invalid("state: expected an object, got " + StateTrees.typeName(state));
        }
        for (Map.Entry<String, JsonNode> member : state.properties()) {
            if (!member.getKey().equals(Section.REPORTED.jsonName())
                    && !member.getKey().equals(Section.DESIRED.jsonName())) {
                return invalid("state: unknown key '" + ThingId.printable(member.getKey())
                        + "': only reported and desired can be updated");
            }
        }
        if (state.isEmpty() && rejectDesired.isEmpty()) {
            return invalid("state: expected reported and/or desired");
        }
        for (Section section : Section.values()) {
            JsonNode value = state.get(section.jsonName());
            if (value == null) {
                continue;
            }
            if (!value.isObject() && !value.isNull()) {
                return invalid("state." + section.jsonName() + ": expected an object or null, got "
                        + StateTrees.typeName(value));
            }
            Optional<String> problem = sectionProblem(value, limits.maxStateDepth(), "state." + section.jsonName());
            if (problem.isPresent()) {
                return invalid(problem.get());
            }
        }
        Long version = null;
        JsonNode versionNode = root.get(VERSION);
        if (versionNode != null) {
            if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong() || versionNode.longValue() < 0) {
                return invalid("version: expected a non-negative integer, got " + describeValue(versionNode));
            }
            version = versionNode.longValue();
        }
        Optional<String> tokenProblem = clientTokenProblem(root);
        if (tokenProblem.isPresent()) {
            return invalid(tokenProblem.get());
        }
        Long ttlSeconds = null;
        JsonNode ttlNode = root.get(TTL_SECONDS);
        if (ttlNode != null) {
            if (!ttlNode.isIntegralNumber() || !ttlNode.canConvertToLong()) {
                return invalid("ttlSeconds: expected a whole number of seconds, got " + describeValue(ttlNode));
            }
            String problem = DesiredPolicy.ttlProblem(ttlNode.longValue());
            if (problem != null) {
                return invalid("ttlSeconds: " + problem);
            }
            if (!state.path(Section.DESIRED.jsonName()).isObject()) {
                return invalid("ttlSeconds: applies to the desired values the update sets, and it sets none");
            }
            ttlSeconds = ttlNode.longValue();
        }
        return new Outcome.Ok<>(new UpdateRequest(
                state.path(Section.REPORTED.jsonName()),
                state.path(Section.DESIRED.jsonName()),
                version,
                root.path(CLIENT_TOKEN).textValue(),
                (ObjectNode) state,
                ttlSeconds,
                rejectDesired));
    }

    /**
     * Reads {@code rejectDesired}: absent (no refusals) or an object of dotted property paths, each at most
     * {@code maxDepth} names deep, to a non-blank reason of at most {@value #MAX_REASON_CODE_POINTS} characters.
     */
    private static Outcome<Map<String, String>> rejectDesired(@Nullable JsonNode node, int maxDepth) {
        if (node == null) {
            return new Outcome.Ok<>(Map.of());
        }
        if (!node.isObject()) {
            return invalid(REJECT_DESIRED + ": expected an object of dotted paths to reasons, got "
                    + StateTrees.typeName(node));
        }
        if (node.isEmpty()) {
            return invalid(REJECT_DESIRED + ": an empty object refuses nothing; name at least one desired path");
        }
        Map<String, String> refusals = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            String path = member.getKey();
            String where = REJECT_DESIRED + "." + ThingId.printable(path);
            String[] names = path.split("\\.", -1);
            for (String name : names) {
                if (!DataSchema.PROPERTY_NAME.matcher(name).matches()) {
                    return invalid(where + ": not a dotted property path (names matching "
                            + DataSchema.PROPERTY_NAME.pattern() + ", joined by dots)");
                }
            }
            if (names.length > maxDepth) {
                return invalid(where + ": nested deeper than " + maxDepth + " levels");
            }
            JsonNode reason = member.getValue();
            if (!reason.isTextual() || reason.textValue().isBlank()) {
                return invalid(where + ": expected the reason as a non-blank string, got "
                        + (reason.isTextual() ? "a blank string" : StateTrees.typeName(reason)));
            }
            String text = reason.textValue();
            int length = text.codePointCount(0, text.length());
            if (length > MAX_REASON_CODE_POINTS) {
                return invalid(
                        where + ": a reason of " + length + " characters is longer than " + MAX_REASON_CODE_POINTS);
            }
            refusals.put(path, text);
        }
        return new Outcome.Ok<>(refusals);
    }

    /**
     * Reads a {@code delete} request (and a {@code get} of a caller that may not select): an empty payload (no client
     * token), or a JSON object holding nothing but an optional {@code clientToken}.
     *
     * @return the request, or a rejection: 413 when longer than {@link SafeJson#MAX_DOCUMENT_BYTES}, else 400
     */
    public static @NotNull Outcome<ClientRequest> parseClientRequest(byte @NotNull [] payload) {
        return requestObject(payload, Set.of(CLIENT_TOKEN), "a get or delete request may only hold clientToken")
                .map(root -> new ClientRequest(root.path(CLIENT_TOKEN).textValue()));
    }

    /**
     * Reads a {@code get} request: an empty payload, or a JSON object with an optional {@code clientToken} and
     * optional {@code paths}, 1 to {@value GetRequest#MAX_PATHS} path patterns ({@link PathPattern}) the answer is to
     * hold. Whether the paths name properties of the thing's model is checked with {@link GetRequest#checkAgainst}.
     *
     * @return the request, or a rejection: 413 when longer than {@link SafeJson#MAX_DOCUMENT_BYTES}, else 400 naming
     *         what is wrong, e.g. {@code paths[1]: 'doors..isOpen' is not a path pattern (...)}
     */
    public static @NotNull Outcome<GetRequest> parseGet(byte @NotNull [] payload) {
        Outcome<ObjectNode> read = requestObject(
                payload, Set.of(CLIENT_TOKEN, PATHS), "a get request may only hold clientToken and paths");
        if (!(read instanceof Outcome.Ok<ObjectNode> object)) {
            return read.map(root -> null);
        }
        ObjectNode root = object.value();
        String clientToken = root.path(CLIENT_TOKEN).textValue();
        JsonNode paths = root.get(PATHS);
        if (paths == null) {
            return Outcome.ok(new GetRequest(clientToken, List.of()));
        }
        if (!paths.isArray() || paths.isEmpty()) {
            return invalid(PATHS + ": expected a non-empty array of path patterns (leave it out for the whole"
                    + " document), got " + (paths.isArray() ? "an empty array" : StateTrees.typeName(paths)));
        }
        if (paths.size() > GetRequest.MAX_PATHS) {
            return invalid(PATHS + ": at most " + GetRequest.MAX_PATHS + " paths, got " + paths.size());
        }
        List<PathPattern> patterns = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            JsonNode path = paths.get(i);
            if (!path.isTextual()) {
                return invalid(PATHS + "[" + i + "]: expected a string, got " + StateTrees.typeName(path));
            }
            Outcome<PathPattern> pattern = PathPattern.parse(path.textValue());
            if (pattern instanceof Outcome.Rejected<PathPattern> bad) {
                return invalid(PATHS + "[" + i + "]: " + bad.rejection().message());
            }
            patterns.add(pattern.orElseThrow());
        }
        return Outcome.ok(new GetRequest(clientToken, patterns));
    }

    /**
     * The object of a get or delete request, {@code {}} for an empty payload: only the {@code allowed} keys, a valid
     * {@code clientToken} if any.
     */
    private static Outcome<ObjectNode> requestObject(byte[] payload, Set<String> allowed, String onlyHolds) {
        if (payload.length == 0) {
            return Outcome.ok(SafeJson.object());
        }
        if (payload.length > SafeJson.MAX_DOCUMENT_BYTES) {
            return tooLarge(payload, SafeJson.MAX_DOCUMENT_BYTES);
        }
        JsonNode root;
        try {
            root = SafeJson.read(payload);
        } catch (MalformedJsonException e) {
            return invalid(e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            return invalid("expected an empty payload or a JSON object, got " + StateTrees.typeName(root));
        }
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (!allowed.contains(member.getKey())) {
                return invalid("unknown key '" + ThingId.printable(member.getKey()) + "': " + onlyHolds);
            }
        }
        Optional<String> tokenProblem = clientTokenProblem(object);
        if (tokenProblem.isPresent()) {
            return invalid(tokenProblem.get());
        }
        return Outcome.ok(object);
    }

    /**
     * The JSON object a request payload holds, read by the hardened reader: 413 {@code payload is N bytes, more than
     * M} above {@code maxBytes}, 400 when it is not strict JSON ({@code not JSON: ...}) or not an object
     * ({@code expected a JSON object, got array}).
     */
    public static @NotNull Outcome<ObjectNode> readObject(byte @NotNull [] payload, int maxBytes) {
        if (payload.length > maxBytes) {
            return tooLarge(payload, maxBytes);
        }
        JsonNode root;
        try {
            root = SafeJson.read(payload);
        } catch (MalformedJsonException e) {
            return invalid(e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            return invalid("expected a JSON object, got " + StateTrees.typeName(root));
        }
        return Outcome.ok(object);
    }

    /**
     * The client token of a payload that may be invalid, so that a rejection still reaches the right waiting
     * request: the first top-level {@code clientToken} string that is a valid token, found by streaming through
     * whatever parses. Best effort; never throws.
     *
     * <p>Example: {@code {"clientToken":"req-9","state":"oops"}} gives {@code req-9};
     * {@code {"clientToken":"req-9","state":{}}} followed by garbage also does.
     */
    public static @NotNull Optional<String> salvageClientToken(byte @Nullable [] payload) {
        if (payload == null || payload.length == 0) {
            return Optional.empty();
        }
        // Look at no more than the reader would; a token further in could not belong to a valid request anyway.
        int length = Math.min(payload.length, SafeJson.MAX_DOCUMENT_BYTES);
        try (JsonParser parser = LENIENT.createParser(payload, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                boolean isToken = CLIENT_TOKEN.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isToken && value == JsonToken.VALUE_STRING) {
                    String candidate = parser.getText();
                    if (ClientTokens.isValid(candidate)) {
                        return Optional.of(candidate);
                    }
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (Exception e) {
            // Broken input is the normal case here; whatever was not found before the break stays unfound.
            return Optional.empty();
        }
    }

    /** What is wrong with the request's {@code clientToken}, or empty when it is valid or absent. */
    private static Optional<String> clientTokenProblem(JsonNode root) {
        return ClientTokens.problemIn(root);
    }

    /**
     * What is wrong with one section of an update, or empty: an object that changes nothing (no property value and
     * no {@code null} anywhere in it), a key that is not a property name, or nesting deeper than {@code maxDepth}.
     */
    private static Optional<String> sectionProblem(JsonNode section, int maxDepth, String path) {
        if (section.isObject() && !changesSomething(section)) {
            return Optional.of(path + ": " + (section.isEmpty() ? "an empty object" : "only empty objects")
                    + " changes nothing; name at least one property, or leave the section out");
        }
        return firstProblem(section, maxDepth, path, 1);
    }

    /**
     * The first key that is not a property name ({@link DataSchema#PROPERTY_NAME}), or the path of the first
     * container at level {@code maxDepth + 1} ({@code state.reported.a.b.c.d.e.f.g.h} when {@code h} holds an object
     * and the limit is 8), counting {@code value} as level {@code level}, in document order.
     */
    private static Optional<String> firstProblem(JsonNode value, int maxDepth, String path, int level) {
        if (!value.isContainerNode()) {
            return Optional.empty();
        }
        if (level > maxDepth) {
            return Optional.of(path + ": nested deeper than " + maxDepth + " levels");
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> member : value.properties()) {
                String name = member.getKey();
                if (!DataSchema.PROPERTY_NAME.matcher(name).matches()) {
                    return Optional.of(path + ": '" + ThingId.printable(name) + "' is not a property name (1 to 64 "
                            + "letters, digits and _, starting with a letter: " + DataSchema.PROPERTY_NAME.pattern()
                            + ")");
                }
                Optional<String> found = firstProblem(member.getValue(), maxDepth, path + "." + name, level + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else {
            for (int i = 0; i < value.size(); i++) {
                Optional<String> found = firstProblem(value.get(i), maxDepth, path + "[" + i + "]", level + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** True when the merge patch sets or deletes at least one property: it holds something other than empty objects. */
    private static boolean changesSomething(JsonNode patch) {
        for (JsonNode member : patch) {
            if (!member.isObject() || changesSomething(member)) {
                return true;
            }
        }
        return false;
    }

    private static String describeValue(JsonNode value) {
        return value.isNumber() ? value.asText() : StateTrees.typeName(value);
    }

    private static <T> Outcome<T> invalid(String message) {
        return new Outcome.Rejected<>(Rejection.malformed(message));
    }

    private static <T> Outcome<T> tooLarge(byte[] payload, int limit) {
        return new Outcome.Rejected<>(
                Rejection.tooLarge("payload is " + payload.length + " bytes, more than " + limit));
    }
}
