package io.shadowmq.model.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.SchemaType;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModelParser;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.ShadowDocument;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which shadow values can be searched, declared by the thing models, and the index entries a thing's shadow gives.
 *
 * <p>Every leaf property of a model is searchable in {@code state.reported} and, unless it is {@code readOnly}, in
 * {@code state.desired}, when it is a number, an integer, a boolean or a string with an {@code enum}; other strings
 * only where the model opts in with {@code "shadowmq:searchable": true} (free text makes big indexes). A property or
 * an object above it opts out with {@code "shadowmq:searchable": false}. Besides the shadow values, every thing can be
 * searched by {@code thingId}, {@code type}, {@code owner} and {@code connected}, and by the {@code timestamp} of each
 * searchable value in its metadata ({@code metadata.reported.fuel.level.timestamp}).
 *
 * <p>The index entries ({@link #indexEntries}) are what the Redis index keeps of one thing: its {@code type}, its
 * {@code owner} and the value of each searchable path it holds, each as a token that says the value's JSON type:
 * {@code n} and the number ({@code n42.5}), {@code b} and {@code true}/{@code false}, {@code s} and the string.
 * {@code connected}, {@code thingId} and metadata timestamps are not kept there: a filter on them alone is checked on
 * each thing's shadow rather than looked up (see docs/search.md).
 */
public final class SearchSchema {

    /** The model term that opts a property (and everything under it) in or out. */
    public static final String SEARCHABLE_TERM = ThingModelParser.SEARCHABLE;

    /** The paths every thing can be searched by, whatever its model. */
    public static final List<String> BUILT_IN = List.of("thingId", "type", "owner", "connected");

    /** The index path of a thing's type and of its owner (both always indexed). */
    public static final String TYPE = "type";

    public static final String OWNER = "owner";

    private static final String REPORTED = "state.reported.";
    private static final String DESIRED = "state.desired.";

    /** What a searchable property holds. */
    public enum Kind {
        NUMBER,
        BOOLEAN,
        ENUM,
        STRING
    }

    /** Per type, the searchable state paths ({@code state.reported.fuel.level}) and what they hold, in model order. */
    private final Map<String, Map<String, Kind>> byType;
    /** Every searchable state path of any type, sorted, with the kinds it has across types. */
    private final Map<String, Set<Kind>> all;

    private SearchSchema(Map<String, Map<String, Kind>> byType) {
        this.byType = byType;
        Map<String, Set<Kind>> union = new TreeMap<>();
        byType.values()
                .forEach(paths -> paths.forEach((path, kind) ->
                        union.computeIfAbsent(path, p -> new TreeSet<>()).add(kind)));
        union.replaceAll((path, kinds) -> Collections.unmodifiableSet(kinds));
        this.all = Collections.unmodifiableMap(union);
    }

    /** The searchable paths of every model in {@code models}. */
    public static @NotNull SearchSchema of(@NotNull ThingModels models) {
        Map<String, Map<String, Kind>> byType = new TreeMap<>();
        for (String type : models.types()) {
            ThingModel model = models.get(type).orElseThrow();
            Map<String, Kind> paths = new LinkedHashMap<>();
            JsonNode raw = model.raw().path("properties");
            collect(model.properties(), raw, "", null, paths);
            byType.put(type, Collections.unmodifiableMap(paths));
        }
        return new SearchSchema(Collections.unmodifiableMap(byType));
    }

    private static void collect(
            Map<String, DataSchema> properties,
            JsonNode rawProperties,
            String prefix,
            @Nullable Boolean inherited,
            Map<String, Kind> into) {
        for (Map.Entry<String, DataSchema> property : properties.entrySet()) {
            DataSchema schema = property.getValue();
            JsonNode raw = rawProperties.path(property.getKey());
            JsonNode term = raw.path(SEARCHABLE_TERM);
            Boolean declared = term.isBoolean() ? Boolean.valueOf(term.booleanValue()) : inherited;
            String path = prefix + property.getKey();
            if (!schema.isLeaf()) {
                collect(schema.properties(), raw.path("properties"), path + ".", declared, into);
                continue;
            }
            Kind kind = kindOf(schema);
            boolean searchable = declared != null ? declared : kind != Kind.STRING;
            if (!searchable) {
                continue;
            }
            into.put(REPORTED + path, kind);
            if (!schema.readOnly()) {
                into.put(DESIRED + path, kind);
            }
        }
    }

    private static Kind kindOf(DataSchema schema) {
        if (schema.type() == SchemaType.BOOLEAN) {
            return Kind.BOOLEAN;
        }
        if (schema.type().isNumeric()) {
            return Kind.NUMBER;
        }
        return schema.enumValues().isEmpty() ? Kind.STRING : Kind.ENUM;
    }

    /**
     * Every searchable state path of any model ({@code state.reported.fuel.level}, ...), sorted; the built-in paths
     * and metadata timestamps are not listed here (see {@link #describe}).
     */
    public @NotNull Set<String> statePaths() {
        return all.keySet();
    }

    /** The kinds a state path holds across the models that have it; empty when no model makes it searchable. */
    public @NotNull Set<Kind> kindsOf(@NotNull String statePath) {
        return all.getOrDefault(statePath, Set.of());
    }

    /** The searchable state paths of one type, in model order; empty for a type without a model. */
    public @NotNull Map<String, Kind> pathsOf(@NotNull String type) {
        return byType.getOrDefault(type, Map.of());
    }

    /**
     * Whether {@code path} may be used in a filter or a sort: a built-in path, a searchable state path, or
     * {@code metadata.reported|desired.<searchable path>.timestamp}.
     */
    public boolean isSearchable(@NotNull String path) {
        return BUILT_IN.contains(path)
                || all.containsKey(path)
                || metadataTimestampOf(path).isPresent();
    }

    /**
     * The state path whose metadata timestamp {@code path} names ({@code metadata.reported.fuel.level.timestamp} →
     * {@code state.reported.fuel.level}), when that state path is searchable.
     */
    public @NotNull Optional<String> metadataTimestampOf(@NotNull String path) {
        if (!path.startsWith("metadata.") || !path.endsWith(".timestamp")) {
            return Optional.empty();
        }
        String statePath = "state." + path.substring("metadata.".length(), path.length() - ".timestamp".length());
        return all.containsKey(statePath) ? Optional.of(statePath) : Optional.empty();
    }

    /** What may be searched, for an error message: the built-in paths, then every searchable state path. */
    public @NotNull String describe() {
        return String.join(", ", BUILT_IN) + ", " + String.join(", ", all.keySet())
                + " and metadata.<reported|desired>.<path>.timestamp of each";
    }

    /**
     * The index entries of a thing: {@code [path, token, path, token, ...]} for its type, its owner and each
     * searchable state value its document holds, in a fixed order (equal documents give equal entries). Tokens: see
     * the class comment. {@code document} may be null (a thing without a shadow).
     */
    public @NotNull List<String> indexEntries(
            @NotNull String type, @NotNull String owner, @Nullable ShadowDocument document) {
        List<String> entries = new java.util.ArrayList<>();
        entries.add(TYPE);
        entries.add("s" + type);
        entries.add(OWNER);
        entries.add("s" + owner);
        if (document == null) {
            return entries;
        }
        for (String path : pathsOf(type).keySet()) {
            boolean reported = path.startsWith(REPORTED);
            ObjectNode section = reported ? document.reported() : document.desired();
            JsonNode value = at(section, path.substring(reported ? REPORTED.length() : DESIRED.length()));
            String token = token(value);
            if (token != null) {
                entries.add(path);
                entries.add(token);
            }
        }
        return entries;
    }

    /** {@link #indexEntries} as the JSON array the store keeps. */
    public @NotNull String indexEntriesJson(
            @NotNull String type, @NotNull String owner, @Nullable ShadowDocument document) {
        return toJson(indexEntries(type, owner, document));
    }

    /**
     * What changes in the index from entries {@code before} to {@code after} ({@link #indexEntries} lists):
     * {@code [path, old token or '', new token or '', ...]} for every path whose token differs, as JSON. The commit
     * script applies it when the index holds {@code before} (else it applies {@code after} whole), which spares
     * Redis reading back and comparing every entry of the thing on each update.
     */
    public static @NotNull String changesJson(@NotNull List<String> before, @NotNull List<String> after) {
        Map<String, String> old = new LinkedHashMap<>();
        for (int i = 0; i + 1 < before.size(); i += 2) {
            old.put(before.get(i), before.get(i + 1));
        }
        ArrayNode changes = SafeJson.mapper().createArrayNode();
        for (int i = 0; i + 1 < after.size(); i += 2) {
            String path = after.get(i);
            String was = old.remove(path);
            if (!after.get(i + 1).equals(was)) {
                changes.add(path).add(was == null ? "" : was).add(after.get(i + 1));
            }
        }
        old.forEach((path, was) -> changes.add(path).add(was).add(""));
        return SafeJson.writeString(changes);
    }

    /** {@link #indexEntries} as JSON, from the list. */
    public static @NotNull String toJson(@NotNull List<String> entries) {
        ArrayNode array = SafeJson.mapper().createArrayNode();
        entries.forEach(array::add);
        return SafeJson.writeString(array);
    }

    /** The index token of a JSON value: {@code n}, {@code b} or {@code s} and its text; null for what is not indexed. */
    public static @Nullable String token(@Nullable JsonNode value) {
        if (!isIndexable(value)) {
            return null;
        }
        if (value.isNumber()) {
            return "n" + Double.toString(value.doubleValue());
        }
        if (value.isBoolean()) {
            return "b" + value.booleanValue();
        }
        return "s" + value.textValue();
    }

    /**
     * Whether the index keeps a JSON value: a number, a boolean or a string without NUL (the index's separator).
     * Filters see exactly these values ({@link ThingView#valueAt}), so what the index misses no filter matches.
     */
    public static boolean isIndexable(@Nullable JsonNode value) {
        return value != null
                && (value.isNumber()
                        || value.isBoolean()
                        || (value.isTextual() && value.textValue().indexOf('\0') < 0));
    }

    /** The node at a dotted path of a section; missing when any step is absent. */
    public static @NotNull JsonNode at(@NotNull JsonNode section, @NotNull String dottedPath) {
        JsonNode node = section;
        for (String name : dottedPath.split("\\.", -1)) {
            node = node.path(name);
        }
        return node;
    }
}
