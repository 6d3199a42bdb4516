package io.shadowmq.model.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ShadowDocument;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which parts of each found thing a search returns ({@code fields=thingId,state.reported.range}): a result is an
 * object with {@code thingId} and, nested as in the stored shadow, each selected part the thing has, e.g.
 * {@code {"thingId":"car-1","state":{"reported":{"range":420}}}}. Selecting less makes answers small: a client
 * that needs one value of a thousand cars does not receive a thousand shadows.
 *
 * <p>Fields are {@code thingId}, {@code type}, {@code owner}, {@code connected}, {@code version},
 * {@code timestamp}, and {@code state} or {@code metadata} or any dotted path below them
 * ({@code state.reported}, {@code metadata.desired.cabin.heater}). A field inside another selected one adds
 * nothing.
 */
public final class Projection {

    /** Most fields one request may list. */
    public static final int MAX_FIELDS = 32;

    private static final String VERSION = "version";
    private static final String TIMESTAMP = "timestamp";
    private static final String STATE = "state";
    private static final String METADATA = "metadata";
    private static final Set<String> PLAIN =
            Set.of(ThingView.THING_ID, SearchSchema.TYPE, SearchSchema.OWNER, ThingView.CONNECTED, VERSION, TIMESTAMP);
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final String RULE = "fields are thingId, type, owner, connected, version, timestamp, "
            + "state and metadata or a dotted path below them (state.reported.range)";

    /** What a search without {@code fields} returns (declared after the constants parse uses). */
    public static final Projection DEFAULT = parse("thingId,type,owner,connected,version,state");

    /** The selected fields, {@code thingId} first, none inside another. */
    private final List<String> fields;

    private Projection(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    /**
     * The projection a request asks for: a comma-separated list of fields; null or blank is {@link #DEFAULT}.
     *
     * @throws SearchQueryException (a 400) naming the field that is not one, or saying there are too many
     */
    public static @NotNull Projection parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_FIELDS) {
            throw new SearchQueryException("fields: at most " + MAX_FIELDS + " fields, was " + parts.length);
        }
        List<String> asked = new ArrayList<>();
        for (String part : parts) {
            String field = part.strip();
            if (field.isEmpty()) {
                throw new SearchQueryException("fields: empty field in '" + text + "'; " + RULE);
            }
            if (!FIELD.matcher(field).matches() || !isField(field)) {
                throw new SearchQueryException("fields: '" + field + "' is not a field; " + RULE);
            }
            asked.add(field);
        }
        List<String> fields = new ArrayList<>();
        fields.add(ThingView.THING_ID);
        for (String field : asked) {
            boolean covered = asked.stream().anyMatch(other -> field.startsWith(other + "."));
            if (!covered && !fields.contains(field)) {
                fields.add(field);
            }
        }
        return new Projection(fields);
    }

    private static boolean isField(String field) {
        if (PLAIN.contains(field)) {
            return true;
        }
        String[] names = field.split("\\.", 3);
        return (names[0].equals(STATE) || names[0].equals(METADATA))
                && (names.length == 1 || names[1].equals("reported") || names[1].equals("desired"));
    }

    /** The selected fields, {@code thingId} first, none inside another ({@code state} drops {@code state.x}). */
    public @NotNull List<String> fields() {
        return fields;
    }

    /** Whether the results show {@code connected}, which the store must then look up. */
    public boolean needsPresence() {
        return fields.contains(ThingView.CONNECTED);
    }

    /**
     * The result object of one thing: {@code thingId} and each selected field the thing has, nested as in the
     * stored shadow; {@code version} and {@code timestamp} are 0 for a thing without a shadow, state and
     * metadata fields it does not hold are left out. A new tree the caller may keep.
     */
    public @NotNull ObjectNode apply(@NotNull ThingView thing) {
        ObjectNode result = SafeJson.object();
        ShadowDocument document = thing.document();
        for (String field : fields) {
            JsonNode value;
            switch (field) {
                case VERSION:
                    value = result.numberNode(document == null ? 0 : document.version());
                    break;
                case TIMESTAMP:
                    value = result.numberNode(document == null ? 0 : document.timestamp());
                    break;
                default:
                    value = nodeAt(thing, field);
                    break;
            }
            if (!value.isMissingNode()) {
                put(result, field, value.deepCopy());
            }
        }
        return result;
    }

    private static JsonNode nodeAt(ThingView thing, String field) {
        ShadowDocument document = thing.document();
        if (PLAIN.contains(field)) {
            return thing.nodeAt(field);
        }
        if (document == null) {
            return MissingNode.getInstance();
        }
        switch (field) {
            case STATE:
                return sections(document.reported(), document.desired());
            case METADATA:
                return sections(document.reportedMetadata(), document.desiredMetadata());
            case "state.reported":
                return document.reported();
            case "state.desired":
                return document.desired();
            case "metadata.reported":
                return document.reportedMetadata();
            case "metadata.desired":
                return document.desiredMetadata();
            default:
                return thing.nodeAt(field);
        }
    }

    /** {@code {"reported":..,"desired":..}} over the document's own trees (copied when put into a result). */
    private static ObjectNode sections(ObjectNode reported, ObjectNode desired) {
        ObjectNode sections = SafeJson.object();
        sections.set("reported", reported);
        sections.set("desired", desired);
        return sections;
    }

    /** Sets {@code value} at a dotted path of {@code result}, making the objects on the way. */
    private static void put(ObjectNode result, String field, JsonNode value) {
        String[] names = field.split("\\.", -1);
        ObjectNode parent = result;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode child = parent.get(names[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(names[i]);
        }
        parent.set(names[names.length - 1], value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Projection projection && projection.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** The fields as a request would list them: {@code thingId,state.reported.range}. */
    @Override
    public String toString() {
        return String.join(",", fields);
    }
}
