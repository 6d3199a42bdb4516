package io.shadowmq.model.summary;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The thing-model extension terms a summary is spoken from (docs/thing-models.md, "Speaking a thing's state"), and
 * the rules a model file must keep for them. Every term is keyed by language tag, so a model may speak any
 * language; the platform answers in {@link Lang}s.
 *
 * <ul>
 *   <li>{@value #SAY} on the model: how the thing is named in a sentence ({@code "the car"}); on an object: how
 *       that part is named ({@code "the rear left window"}); on a leaf: the sentence that speaks it, with
 *       {@code {value}} and {@code {unit}} ({@code "Your car can drive {value} more {unit}."}); an empty sentence
 *       keeps the leaf out of the spoken answer.
 *   <li>{@value #VALUES} on a boolean or enum leaf: the word for each value ({@code {"true":"open"}}).
 *   <li>{@value #GROUP} on an object whose members are alike (doors, windows): the {@code normal} values of their
 *       leaves and per language an {@code all} clause (every member normal) and an {@code each} clause for a
 *       member that is not, with {@code {part}} and {@code {states}}.
 * </ul>
 */
public final class SpeechTerms {

    public static final String SAY = "shadowmq:say";
    public static final String VALUES = "shadowmq:values";
    public static final String GROUP = "shadowmq:group";

    /** The terms a property schema may carry. */
    public static final Set<String> SCHEMA_TERMS = Set.of(SAY, VALUES, GROUP);

    static final String NORMAL = "normal";
    static final String CLAUSES = "say";
    static final String ALL = "all";
    static final String EACH = "each";

    private static final Pattern LANGUAGE_TAG = Pattern.compile("^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private SpeechTerms() {}

    /** What is wrong with a term in a model file: where (relative to the term's owner) and why. */
    public record Problem(@NotNull String path, @NotNull String reason) {}

    /**
     * The first problem of the model's own terms (only {@value #SAY}, naming the thing, no placeholders).
     *
     * @param model the model file's root object
     */
    public static @NotNull Optional<Problem> checkModel(@NotNull JsonNode model) {
        JsonNode say = model.get(SAY);
        return say == null
                ? Optional.empty()
                : byLanguage(SAY, say, (path, text) -> placeholders(path, text, Set.of()));
    }

    /**
     * The first problem of the terms on one property schema.
     *
     * @param schema     the property's object in the model file
     * @param isObject   whether the property is an object
     * @param valueWords the values a word may be given for (enum members as text, or {@code true}/{@code false}); empty
     *                   when the property has no such closed set
     */
    public static @NotNull Optional<Problem> checkSchema(
            @NotNull JsonNode schema, boolean isObject, @NotNull Set<String> valueWords) {
        JsonNode say = schema.get(SAY);
        if (say != null) {
            Set<String> allowed = isObject ? Set.of() : Set.of("value", "unit");
            Optional<Problem> problem = byLanguage(SAY, say, (path, text) -> placeholders(path, text, allowed));
            if (problem.isPresent()) {
                return problem;
            }
        }
        JsonNode values = schema.get(VALUES);
        if (values != null) {
            if (isObject || valueWords.isEmpty()) {
                return problem(VALUES, "only a boolean or an enum property has words for its values");
            }
            Optional<Problem> problem =
                    byLanguage(VALUES, values, (path, words) -> valueWords(path, words, valueWords));
            if (problem.isPresent()) {
                return problem;
            }
        }
        JsonNode group = schema.get(GROUP);
        if (group != null) {
            if (!isObject) {
                return problem(GROUP, "only an object property groups its members");
            }
            return group(group);
        }
        return Optional.empty();
    }

    /** The term's text for {@code lang}, if the node has the term and a text for that language. */
    static @NotNull Optional<String> text(@Nullable JsonNode node, @NotNull String term, @NotNull Lang lang) {
        JsonNode text = node == null ? null : node.path(term).get(lang.tag());
        return text != null && text.isTextual() ? Optional.of(text.textValue()) : Optional.empty();
    }

    /** The word for {@code value} in {@code lang}, if the leaf names one. */
    static @NotNull Optional<String> valueWord(@Nullable JsonNode leaf, @NotNull JsonNode value, @NotNull Lang lang) {
        JsonNode words = leaf == null ? null : leaf.path(VALUES).get(lang.tag());
        JsonNode word = words == null ? null : words.get(value.asText());
        return word != null && word.isTextual() ? Optional.of(word.textValue()) : Optional.empty();
    }

    /** Replaces {@code {name}} placeholders; the model check has made sure only known names occur. */
    static @NotNull String fill(@NotNull String template, @NotNull Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), "")));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static Optional<Problem> group(JsonNode group) {
        if (!group.isObject()) {
            return problem(GROUP, "must be an object with normal and say");
        }
        for (String key : fieldNames(group)) {
            if (!key.equals(NORMAL) && !key.equals(CLAUSES)) {
                return problem(GROUP + "." + key, "unsupported keyword; a group has normal and say");
            }
        }
        JsonNode normal = group.get(NORMAL);
        if (normal == null || !normal.isObject() || normal.isEmpty()) {
            return problem(GROUP + "." + NORMAL, "must name at least one member leaf and its normal value");
        }
        for (Map.Entry<String, JsonNode> leaf : normal.properties()) {
            if (!leaf.getValue().isValueNode() || leaf.getValue().isNull()) {
                return problem(GROUP + "." + NORMAL + "." + leaf.getKey(), "must be a boolean, number or string");
            }
        }
        JsonNode say = group.get(CLAUSES);
        if (say == null) {
            return problem(GROUP + "." + CLAUSES, "missing; the clauses per language");
        }
        return byLanguage(GROUP + "." + CLAUSES, say, SpeechTerms::groupClauses);
    }

    private static Optional<Problem> groupClauses(String path, JsonNode clauses) {
        if (!clauses.isObject()) {
            return problem(path, "must be an object with all and each");
        }
        for (String key : fieldNames(clauses)) {
            if (!key.equals(ALL) && !key.equals(EACH)) {
                return problem(path + "." + key, "unsupported keyword; a group says all and each");
            }
        }
        JsonNode all = clauses.get(ALL);
        JsonNode each = clauses.get(EACH);
        if (all == null || !all.isTextual() || each == null || !each.isTextual()) {
            return problem(path, "needs the strings all and each");
        }
        Optional<Problem> problem = placeholders(path + "." + ALL, all, Set.of());
        return problem.isPresent() ? problem : placeholders(path + "." + EACH, each, Set.of("part", "states"));
    }

    private static Optional<Problem> valueWords(String path, JsonNode words, Set<String> valueWords) {
        if (!words.isObject()) {
            return problem(path, "must be an object from value to word");
        }
        for (Map.Entry<String, JsonNode> word : words.properties()) {
            if (!valueWords.contains(word.getKey())) {
                return problem(path + "." + word.getKey(), "not a value of this property; one of " + valueWords);
            }
            if (!word.getValue().isTextual()) {
                return problem(path + "." + word.getKey(), "must be a string");
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> placeholders(String path, JsonNode text, Set<String> allowed) {
        if (!text.isTextual()) {
            return problem(path, "must be a string");
        }
        Matcher matcher = PLACEHOLDER.matcher(text.textValue());
        while (matcher.find()) {
            if (!allowed.contains(matcher.group(1))) {
                return problem(
                        path,
                        "unknown placeholder {" + matcher.group(1) + "}"
                                + (allowed.isEmpty()
                                        ? "; none is filled in here"
                                        : "; use " + placeholderList(allowed)));
            }
        }
        return Optional.empty();
    }

    private static String placeholderList(Set<String> allowed) {
        return String.join(
                ", ", allowed.stream().sorted().map(name -> "{" + name + "}").toList());
    }

    private interface LanguageCheck {
        Optional<Problem> check(String path, JsonNode value);
    }

    private static Optional<Problem> byLanguage(String term, JsonNode node, LanguageCheck check) {
        if (!node.isObject() || node.isEmpty()) {
            return problem(term, "must be an object keyed by language tag, e.g. {\"en\": ..., \"de\": ...}");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = term + "." + entry.getKey();
            if (!LANGUAGE_TAG.matcher(entry.getKey()).matches()) {
                return problem(path, "not a language tag such as en, de or zh");
            }
            Optional<Problem> problem = check.check(path, entry.getValue());
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private static Optional<Problem> problem(String path, String reason) {
        return Optional.of(new Problem(path, reason));
    }
}
