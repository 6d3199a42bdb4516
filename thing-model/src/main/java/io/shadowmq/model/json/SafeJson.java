package io.shadowmq.model.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one JSON reader and writer of the platform. Every byte that comes from a device or an HTTP client is read
 * here, with hard limits that hold before any tree is built, so that a hostile payload costs at most a bounded
 * amount of memory and time.
 *
 * <ul>
 *   <li>at most {@value #MAX_DOCUMENT_BYTES} bytes, {@value #MAX_NESTING_DEPTH} nested arrays/objects,
 *       strings of {@value #MAX_STRING_CHARS} characters and numbers of {@value #MAX_NUMBER_CHARS} characters;</li>
 *   <li>a key twice in one object, content after the document, comments, {@code NaN} and single quotes are
 *       refused;</li>
 *   <li>the bytes must be strict UTF-8 (an overlong {@code C0 80} is not a NUL but an error), and no string or key
 *       may hold a lone surrogate ({@code "\\ud800"}), which no UTF-8 writer can put back out (RFC 7493);</li>
 *   <li>integers must fit a signed 64-bit {@code long} and stay exact; other numbers are IEEE doubles and must be
 *       finite ({@code 1e400} is refused rather than silently becoming {@code Infinity}, which is not JSON).</li>
 * </ul>
 *
 * <pre>{@code
 * JsonNode node = SafeJson.read("{\"state\":{\"reported\":{\"volume\":7}}}");
 * byte[] out = SafeJson.write(node);
 * }</pre>
 */
public final class SafeJson {

    public static final int MAX_DOCUMENT_BYTES = 65536;
    public static final int MAX_NESTING_DEPTH = 16;
    public static final int MAX_STRING_CHARS = 32768;
    public static final int MAX_NUMBER_CHARS = 64;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxDocumentLength(MAX_DOCUMENT_BYTES)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_CHARS)
            .maxNameLength(MAX_STRING_CHARS)
            .maxNumberLength(MAX_NUMBER_CHARS)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(CONSTRAINTS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /*
     * read() looks for trailing content itself, after the document has been read, so that any garbage after a
     * complete document ("{} x", "{}}") gets the same clear message instead of a tokenizer error.
     */
    private static final ObjectReader TREE_READER =
            MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Pattern DUPLICATE =
            Pattern.compile("^Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);
    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile("^Unexpected character \\('(.+?)' \\(code");
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("^Unrecognized token '(.*?)'");

    private SafeJson() {}

    /**
     * The shared, hardened mapper, for code that needs Jackson directly (e.g. to convert a tree). It is shared by
     * the whole process: never reconfigure it; use {@link ObjectMapper#copy()} for a variant.
     */
    public static @NotNull ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads one untrusted JSON document of any type (object, array or scalar).
     *
     * @throws MalformedJsonException with a message fit for the client, e.g. {@code not JSON: duplicate key 'state'}
     */
    public static @NotNull JsonNode read(byte @NotNull [] json) throws MalformedJsonException {
        if (json.length > MAX_DOCUMENT_BYTES) {
            // Jackson checks the document length only when it refills its buffer, never for a byte array.
            throw new MalformedJsonException("not JSON: longer than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        int invalid = Utf8.firstInvalidByte(json);
        if (invalid >= 0) {
            throw new MalformedJsonException("not JSON: invalid UTF-8 at byte " + invalid);
        }
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(json)) {
            root = TREE_READER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new MalformedJsonException("not JSON: empty document");
            }
            if (hasTrailingContent(parser)) {
                throw new MalformedJsonException("not JSON: trailing content after the document");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException("not JSON: " + describe(e));
        } catch (IOException e) {
            // Reading a byte array does no I/O; anything else here is a Jackson bug, not the client's fault.
            throw new UncheckedIOException(e);
        }
        checkValues(root);
        return root;
    }

    /** Reads one untrusted JSON document given as text; the limits apply to its UTF-8 encoding. */
    public static @NotNull JsonNode read(@NotNull String json) throws MalformedJsonException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 JSON, compact. */
    public static byte @NotNull [] write(@NotNull JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // Writing an in-memory tree cannot fail short of a bug.
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** JSON text, compact. */
    public static @NotNull String writeString(@NotNull JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** A new, empty, mutable object node. */
    public static @NotNull ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    private static boolean hasTrailingContent(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException e) {
            // Whatever follows the document is broken: it is still content after the document.
            return true;
        }
    }

    /**
     * Refuses what the tokenizer lets through: integers beyond a long, doubles that overflowed, and strings or keys
     * with a lone surrogate.
     */
    private static void checkValues(JsonNode root) throws MalformedJsonException {
        // Iterative, although the depth is bounded anyway, to keep the stack flat for every caller.
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    checkSurrogates(member.getKey());
                    pending.push(member.getValue());
                }
            } else if (node.isArray()) {
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    pending.push(it.next());
                }
            } else if (node.isTextual()) {
                checkSurrogates(node.textValue());
            } else if (node.isIntegralNumber() && !node.canConvertToLong()) {
                throw new MalformedJsonException(
                        "not JSON: integer " + abbreviate(node.asText()) + " does not fit 64 bits");
            } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
                throw new MalformedJsonException("not JSON: number out of range");
            }
        }
    }

    private static void checkSurrogates(String text) throws MalformedJsonException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedJsonException(
                        String.format("not JSON: a lone surrogate \\u%04x in a string", (int) c));
            }
        }
    }

    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (original.startsWith("Document nesting depth")) {
                return "nesting deeper than " + MAX_NESTING_DEPTH;
            }
            if (original.startsWith("String value length") || original.startsWith("Name length")) {
                return "a string longer than " + MAX_STRING_CHARS + " characters";
            }
            if (original.startsWith("Number value length")) {
                return "a number longer than " + MAX_NUMBER_CHARS + " characters";
            }
            if (original.startsWith("Document length")) {
                return "longer than " + MAX_DOCUMENT_BYTES + " bytes";
            }
            return "too large";
        }
        if (e instanceof JsonEOFException) {
            return "unexpected end of input";
        }
        Matcher duplicate = DUPLICATE.matcher(original);
        if (duplicate.find()) {
            return "duplicate key '" + ThingId.printable(duplicate.group(1)) + "'";
        }
        Matcher character = UNEXPECTED_CHARACTER.matcher(original);
        if (character.find()) {
            return "unexpected character '" + ThingId.printable(character.group(1)) + "'" + at(e.getLocation());
        }
        Matcher token = UNRECOGNIZED_TOKEN.matcher(original);
        if (token.find()) {
            return "unrecognized token '" + abbreviate(token.group(1)) + "'" + at(e.getLocation());
        }
        if (original.startsWith("Illegal unquoted character")) {
            return "unescaped control character in a string" + at(e.getLocation());
        }
        if (original.startsWith("Invalid UTF-8") || original.startsWith("Invalid UTF-32")) {
            return "invalid UTF-8" + at(e.getLocation());
        }
        if (original.startsWith("Non-standard token")) {
            return "NaN and Infinity are not JSON numbers";
        }
        if (original.startsWith("Invalid numeric value") || original.contains("numeric value")) {
            return "invalid number" + at(e.getLocation());
        }
        if (original.startsWith("Unexpected close marker")) {
            return "unbalanced brackets" + at(e.getLocation());
        }
        // Unknown wording (a newer Jackson): keep the first sentence, which never contains the source location.
        String firstLine = original.lines().findFirst().orElse("malformed");
        return abbreviate(firstLine) + at(e.getLocation());
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String abbreviate(String text) {
        String printable = ThingId.printable(text);
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
