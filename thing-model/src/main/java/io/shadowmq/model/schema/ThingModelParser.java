package io.shadowmq.model.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.DesiredPolicy;
import io.shadowmq.model.summary.SpeechTerms;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Reads one thing model file into a {@link ThingModel}, or refuses it with a {@link ModelLoadException} that names
 * the file, the path inside it and the reason.
 *
 * <p>Strict on purpose: a keyword this parser does not understand is an error, unless it is one of the WoT
 * annotation keywords listed in {@link #IGNORED_SCHEMA_KEYWORDS} / {@link #IGNORED_MODEL_KEYWORDS} that cannot
 * change which values are valid. A constraint the platform silently did not enforce ({@code const},
 * {@code maxLength}, a misspelt {@code maximun}) would be worse than a model that does not load.
 *
 * <pre>{@code
 * ThingModel car = ThingModelParser.parse("car.json", Files.readAllBytes(Path.of("config/models/car.json")));
 * }</pre>
 */
public final class ThingModelParser {

    /** The JSON-LD context every model must have (or contain): W3C WoT Thing Description 1.1. */
    public static final String WOT_CONTEXT = "https://www.w3.org/2022/wot/td/v1.1";
    /** The {@code @type} every model must have (or contain). */
    public static final String THING_MODEL_TYPE = "tm:ThingModel";

    private static final String FILE_SUFFIX = ".json";

    /** ShadowMQ term: default time-to-live of the property's desired values, in seconds. */
    public static final String DESIRED_TTL_SECONDS = "desiredTtlSeconds";
    /** ShadowMQ term: {@code false} keeps the property's desired values after the thing reported them. */
    public static final String AUTO_CLEAR = "autoClear";

    /**
     * ShadowMQ term: what household members may do by default; on a property {@code "none"}, {@code "read"} or
     * {@code "write"} (inherited downward), on an action {@code "invoke"} or {@code "none"}.
     */
    public static final String HOUSEHOLD = "shadowmq:household";

    /**
     * ShadowMQ term: {@code true} makes a string property (or every leaf under an object) searchable, {@code false}
     * keeps a property out of the search index; see {@code io.shadowmq.model.search.SearchSchema}.
     */
    public static final String SEARCHABLE = "shadowmq:searchable";

    /** Data schema keywords ShadowMQ understands and enforces. */
    public static final Set<String> SCHEMA_KEYWORDS = Set.of(
            "type",
            "minimum",
            "maximum",
            "enum",
            "unit",
            "readOnly",
            "properties",
            "title",
            "description",
            DESIRED_TTL_SECONDS,
            AUTO_CLEAR,
            HOUSEHOLD,
            SEARCHABLE);

    /**
     * WoT keywords accepted on a property and ignored by validation: annotations and interaction metadata that do
     * not restrict values ({@code format} is an annotation, as in JSON Schema since 2019-09). They stay in
     * {@link ThingModel#raw()} for clients.
     */
    public static final Set<String> IGNORED_SCHEMA_KEYWORDS = Set.of(
            "@type",
            "observable",
            "writeOnly",
            "format",
            "default",
            "forms",
            "links",
            "titles",
            "descriptions",
            "uriVariables");

    /** Top-level keywords ShadowMQ understands. */
    public static final Set<String> MODEL_KEYWORDS =
            Set.of("@context", "@type", "title", "description", "properties", "actions", "events");

    /**
     * Keywords of an action ShadowMQ understands: WoT's {@code title}, {@code description}, {@code input},
     * {@code output}, and its own terms {@code safety} ({@code "critical"} or {@code "normal"}), {@code ttlSeconds}
     * (1..604800), {@code concurrent} and {@value #HOUSEHOLD} ({@code "invoke"} or {@code "none"}).
     */
    public static final Set<String> ACTION_KEYWORDS =
            Set.of("title", "description", "input", "output", "safety", "ttlSeconds", "concurrent", HOUSEHOLD);

    /** WoT keywords accepted on an action and ignored: interaction metadata that does not restrict commands. */
    public static final Set<String> IGNORED_ACTION_KEYWORDS =
            Set.of("@type", "forms", "titles", "descriptions", "uriVariables", "safe", "idempotent", "synchronous");

    /** Top-level WoT metadata accepted and ignored: it describes the model, it does not constrain shadows. */
    public static final Set<String> IGNORED_MODEL_KEYWORDS = Set.of(
            "id",
            "version",
            "links",
            "forms",
            "titles",
            "descriptions",
            "support",
            "created",
            "modified",
            "securityDefinitions",
            "security",
            "base",
            "profile",
            "schemaDefinitions");

    // Floats as BigDecimal so that a bound like 0.1 is exact; duplicate keys and trailing content are errors
    // because the reader of the file would otherwise see a different model than the platform.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final String fileName;

    private ThingModelParser(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Parses the model file {@code fileName} (e.g. {@code car.json}, which makes the type id {@code car}).
     *
     * @throws ModelLoadException when the file name is not {@code <type id>.json} or the content is not a valid model
     */
    public static @NotNull ThingModel parse(@NotNull String fileName, byte @NotNull [] json) {
        String type = typeOf(fileName);
        ThingModelParser parser = new ThingModelParser(fileName);
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ModelLoadException(fileName, "", "not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(fileName, "", "cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelLoadException(fileName, "", "must be a JSON object");
        }
        return parser.model(type, (ObjectNode) root);
    }

    /**
     * The type id a model file defines: its name without {@code .json}, e.g. {@code car} for {@code car.json}.
     *
     * @throws ModelLoadException when the name does not end in {@code .json} or the rest is not a valid type id
     */
    public static @NotNull String typeOf(@NotNull String fileName) {
        String type =
                fileName.endsWith(FILE_SUFFIX) ? fileName.substring(0, fileName.length() - FILE_SUFFIX.length()) : null;
        if (type == null || !ThingId.isValid(type)) {
            throw new ModelLoadException(
                    ThingId.printable(fileName),
                    "",
                    "a model file must be named <type>.json, " + "with the type matching " + ThingId.PATTERN.pattern());
        }
        return type;
    }

    private ThingModel model(String type, ObjectNode root) {
        for (String keyword : fieldNames(root)) {
            if (!MODEL_KEYWORDS.contains(keyword)
                    && !IGNORED_MODEL_KEYWORDS.contains(keyword)
                    && !keyword.equals(SpeechTerms.SAY)) {
                throw fail(ThingId.printable(keyword), "unsupported keyword");
            }
        }
        speechTerms("", SpeechTerms.checkModel(root));
        requireValue(root, "@context", WOT_CONTEXT);
        requireValue(root, "@type", THING_MODEL_TYPE);
        String title = text(root, "", "title");
        if (title == null || title.isBlank()) {
            throw fail("title", "missing; a thing model needs a title for people");
        }
        String description = text(root, "", "description");
        JsonNode properties = root.get("properties");
        if (properties == null || properties.isObject() && properties.isEmpty()) {
            throw fail("properties", "a thing model needs at least one property");
        }
        Map<String, DataSchema> schemas = properties("properties", "properties", properties);
        HouseholdRights.misplacedWrite(schemas).ifPresent(path -> {
            throw fail(
                    "properties." + path + "." + HOUSEHOLD,
                    "\"write\" needs a writable property, and everything here is readOnly");
        });
        JsonNode events = root.get("events");
        if (events != null && !events.isObject()) {
            throw fail("events", "must be an object");
        }
        Map<String, ActionModel> actions = actions(root.get("actions"));
        try {
            return new ThingModel(type, title, description, schemas, root, actions);
        } catch (IllegalArgumentException e) {
            throw fail("", e.getMessage());
        }
    }

    /**
     * @param keywordPath where the {@code properties} keyword itself is, for errors about it
     * @param childPrefix the prefix of the children's paths: nested paths leave out the {@code properties}
     *                    keyword ({@code properties.cabin.heater.isOn}), as people read them
     */
    private Map<String, DataSchema> properties(String keywordPath, String childPrefix, JsonNode node) {
        if (!node.isObject()) {
            throw fail(keywordPath, "must be an object of property schemas");
        }
        Map<String, DataSchema> schemas = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = childPrefix + "." + ThingId.printable(entry.getKey());
            if (!DataSchema.PROPERTY_NAME.matcher(entry.getKey()).matches()) {
                throw fail(path, "property name must match " + DataSchema.PROPERTY_NAME.pattern());
            }
            if (!entry.getValue().isObject()) {
                throw fail(path, "must be an object (a data schema), not " + JsonValues.typeName(entry.getValue()));
            }
            schemas.put(entry.getKey(), schema(path, (ObjectNode) entry.getValue()));
        }
        return schemas;
    }

    private Map<String, ActionModel> actions(@Nullable JsonNode node) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw fail("actions", "must be an object of actions");
        }
        Map<String, ActionModel> actions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = "actions." + ThingId.printable(entry.getKey());
            if (!ActionModel.ACTION_NAME.matcher(entry.getKey()).matches()) {
                throw fail(path, "action name must match " + ActionModel.ACTION_NAME.pattern());
            }
            if (!entry.getValue().isObject()) {
                throw fail(path, "must be an object (an action), not " + JsonValues.typeName(entry.getValue()));
            }
            actions.put(entry.getKey(), action(entry.getKey(), path, (ObjectNode) entry.getValue()));
        }
        return actions;
    }

    private ActionModel action(String name, String path, ObjectNode node) {
        for (String keyword : fieldNames(node)) {
            if (!ACTION_KEYWORDS.contains(keyword) && !IGNORED_ACTION_KEYWORDS.contains(keyword)) {
                throw fail(
                        path + "." + ThingId.printable(keyword),
                        "unsupported keyword in an action (ShadowMQ would not enforce it; see docs/thing-models.md)");
            }
        }
        ObjectNode inputNode = objectSchema(node, path, "input");
        Set<String> required = Set.of();
        if (inputNode != null && inputNode.has("required")) {
            required = required(inputNode.remove("required"), path + ".input.required");
        }
        DataSchema input = inputNode == null ? null : schema(path + ".input", inputNode);
        ObjectNode outputNode = objectSchema(node, path, "output");
        noHouseholdTerm(input, path + ".input");
        DataSchema output = outputNode == null ? null : schema(path + ".output", outputNode);
        noHouseholdTerm(output, path + ".output");
        String safety = text(node, path, "safety");
        if (safety != null && !safety.equals("critical") && !safety.equals("normal")) {
            throw fail(path + ".safety", "must be \"critical\" or \"normal\"");
        }
        Duration ttl = ActionModel.DEFAULT_TTL;
        JsonNode ttlNode = node.get("ttlSeconds");
        if (ttlNode != null) {
            if (!ttlNode.canConvertToExactIntegral() || !ActionModel.isValidTtl(Duration.ofSeconds(ttlNode.asLong()))) {
                throw fail(
                        path + ".ttlSeconds",
                        "must be a whole number of seconds, 1.." + ActionModel.MAX_TTL.toSeconds());
            }
            ttl = Duration.ofSeconds(ttlNode.asLong());
        }
        boolean householdInvoke = !"critical".equals(safety);
        String household = text(node, path, HOUSEHOLD);
        if (household != null) {
            if (!household.equals("invoke") && !household.equals("none")) {
                throw fail(path + "." + HOUSEHOLD, "must be \"invoke\" or \"none\"");
            }
            if (household.equals("invoke") && !householdInvoke) {
                throw fail(
                        path + "." + HOUSEHOLD,
                        "a critical action is never a household member's to invoke; leave the term out");
            }
            householdInvoke = household.equals("invoke");
        }
        try {
            return new ActionModel(
                    name,
                    text(node, path, "title"),
                    text(node, path, "description"),
                    input,
                    output,
                    "critical".equals(safety),
                    ttl,
                    flag(node, path, "concurrent"),
                    required,
                    householdInvoke);
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
    }

    /** An action's {@code input} or {@code output}: an object schema (a copy, the caller may take terms off it). */
    private @Nullable ObjectNode objectSchema(ObjectNode action, String path, String keyword) {
        JsonNode node = action.get(keyword);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !"object".equals(node.path("type").textValue())) {
            throw fail(path + "." + keyword, "must be a data schema of type object");
        }
        return (ObjectNode) node.deepCopy();
    }

    private Set<String> required(JsonNode node, String path) {
        if (!node.isArray()) {
            throw fail(path, "must be an array of input property names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode name : node) {
            if (!name.isTextual() || !names.add(name.textValue())) {
                throw fail(path, "must list input property names, each once");
            }
        }
        return names;
    }

    private DataSchema schema(String path, ObjectNode node) {
        for (String keyword : fieldNames(node)) {
            if (!SCHEMA_KEYWORDS.contains(keyword)
                    && !IGNORED_SCHEMA_KEYWORDS.contains(keyword)
                    && !SpeechTerms.SCHEMA_TERMS.contains(keyword)) {
                throw fail(
                        path + "." + ThingId.printable(keyword),
                        "unsupported keyword (ShadowMQ would not enforce it; see docs/thing-models.md)");
            }
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null) {
            throw fail(path + ".type", "missing; one of " + SchemaType.ALL_JSON_NAMES);
        }
        if (!typeNode.isTextual()) {
            throw fail(path + ".type", "must be a string, one of " + SchemaType.ALL_JSON_NAMES);
        }
        SchemaType type = SchemaType.fromJsonName(typeNode.textValue())
                .orElseThrow(() -> fail(
                        path + ".type",
                        "unknown type '" + ThingId.printable(typeNode.textValue()) + "', expected one of "
                                + SchemaType.ALL_JSON_NAMES));
        BigDecimal minimum = number(node, path, "minimum");
        BigDecimal maximum = number(node, path, "maximum");
        List<JsonNode> enumValues = enumValues(node, path);
        String unit = text(node, path, "unit");
        boolean readOnly = flag(node, path, "readOnly");
        JsonNode nested = node.get("properties");
        Map<String, DataSchema> properties = nested == null ? Map.of() : properties(path + ".properties", path, nested);
        String title = text(node, path, "title");
        String description = text(node, path, "description");
        Duration desiredTtl = seconds(node, path, DESIRED_TTL_SECONDS);
        boolean autoClear = !node.has(AUTO_CLEAR) || flag(node, path, AUTO_CLEAR);
        flag(node, path, SEARCHABLE); // read by SearchSchema from the raw model; checked here so a typo fails loading
        HouseholdRight household = householdRight(node, path);
        if (household == HouseholdRight.WRITE && readOnly) {
            throw fail(path + "." + HOUSEHOLD, "\"write\" needs a writable property, and this one is readOnly");
        }
        DataSchema schema;
        try {
            schema = new DataSchema(
                    type,
                    minimum,
                    maximum,
                    enumValues,
                    unit,
                    readOnly,
                    properties,
                    title,
                    description,
                    desiredTtl,
                    autoClear,
                    household);
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
        speechTerms(path, SpeechTerms.checkSchema(node, type == SchemaType.OBJECT, valueWords(type, enumValues)));
        return schema;
    }

    /** The values a {@code shadowmq:values} term may name words for: the enum, or true and false. */
    private static Set<String> valueWords(SchemaType type, List<JsonNode> enumValues) {
        if (!enumValues.isEmpty()) {
            return enumValues.stream().map(JsonNode::asText).collect(Collectors.toCollection(LinkedHashSet::new));
        }
        return type == SchemaType.BOOLEAN ? Set.of("true", "false") : Set.of();
    }

    private void speechTerms(String path, Optional<SpeechTerms.Problem> problem) {
        if (problem.isPresent()) {
            String where = problem.get().path();
            throw fail(
                    path.isEmpty() ? where : path + "." + where, problem.get().reason());
        }
    }

    /** An action's input and output are not shadow state: no household member reads or writes them there. */
    private void noHouseholdTerm(@Nullable DataSchema schema, String path) {
        if (schema == null) {
            return;
        }
        if (schema.household() != null) {
            throw fail(
                    path + "." + HOUSEHOLD,
                    "applies to properties and actions, not inside an action's input or" + " output");
        }
        schema.properties().forEach((name, child) -> noHouseholdTerm(child, path + "." + name));
    }

    private @Nullable HouseholdRight householdRight(ObjectNode node, String path) {
        String value = text(node, path, HOUSEHOLD);
        if (value == null) {
            return null;
        }
        return HouseholdRight.fromJsonName(value)
                .orElseThrow(() -> fail(path + "." + HOUSEHOLD, "must be \"none\", \"read\" or \"write\""));
    }

    private List<JsonNode> enumValues(ObjectNode node, String path) {
        JsonNode values = node.get("enum");
        if (values == null) {
            return List.of();
        }
        if (!values.isArray()) {
            throw fail(path + ".enum", "must be an array");
        }
        if (values.isEmpty()) {
            throw fail(path + ".enum", "must not be empty; leave it out to allow any value");
        }
        return StreamSupport.stream(values.spliterator(), false).toList();
    }

    private void requireValue(ObjectNode root, String keyword, String expected) {
        JsonNode value = root.get(keyword);
        boolean matches = value != null
                && (expected.equals(value.textValue())
                        || value.isArray()
                                && StreamSupport.stream(value.spliterator(), false)
                                        .anyMatch(element -> expected.equals(element.textValue())));
        if (!matches) {
            throw fail(keyword, "must be \"" + expected + "\" (or an array containing it)");
        }
    }

    private @Nullable BigDecimal number(ObjectNode node, String path, String keyword) {
        JsonNode value = node.get(keyword);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw fail(path + "." + keyword, "must be a number");
        }
        return value.decimalValue();
    }

    private @Nullable Duration seconds(ObjectNode node, String path, String keyword) {
        JsonNode value = node.get(keyword);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw fail(path + "." + keyword, "must be a whole number of seconds");
        }
        String problem = DesiredPolicy.ttlProblem(value.longValue());
        if (problem != null) {
            throw fail(path + "." + keyword, problem);
        }
        return Duration.ofSeconds(value.longValue());
    }

    private @Nullable String text(ObjectNode node, String path, String keyword) {
        JsonNode value = node.get(keyword);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail(path.isEmpty() ? keyword : path + "." + keyword, "must be a string");
        }
        return value.textValue();
    }

    private boolean flag(ObjectNode node, String path, String keyword) {
        JsonNode value = node.get(keyword);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw fail(path + "." + keyword, "must be true or false");
        }
        return value.booleanValue();
    }

    private static List<String> fieldNames(ObjectNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private ModelLoadException fail(String jsonPath, String reason) {
        return new ModelLoadException(fileName, jsonPath, reason);
    }
}
