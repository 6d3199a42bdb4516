package io.shadowmq.model.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.SchemaType;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Speaks a thing's reported state: what a voice assistant would answer to "how is my car?", built only from the
 * thing model (its {@link SpeechTerms}, titles, units and enum values) and only from what the caller may read.
 *
 * <p>In model order, every reported leaf the {@link ReadFilter} lets through becomes a sentence: the leaf's own
 * {@value SpeechTerms#SAY} sentence in the language, else a generic one from its title ({@code titles} per language,
 * else {@code title}), value and unit. The members of a {@value SpeechTerms#GROUP} are spoken together in one
 * sentence ("All doors are closed and locked; the rear left window is open."). A last sentence says when the
 * oldest spoken reading was taken, in the household's time zone and as an age, and whether the thing is connected.
 *
 * <pre>{@code
 * Summary summary = Summarizer.summarize(carId, carModel, doc.reported(), doc.reportedMetadata(),
 *         Presence.DISCONNECTED, request, ReadFilter.ALL, clock.instant());
 * summary.text();   // "Your car can drive 312 more kilometres. ... As of 07:02, 5 minutes ago; the car is offline now."
 * }</pre>
 */
public final class Summarizer {

    private final JsonNode raw;
    private final ObjectNode reported;
    private final ObjectNode metadata;
    private final Lang lang;
    private final ReadFilter filter;
    private final Instant now;
    private final List<String> sentences = new ArrayList<>();
    private final List<Fact> facts = new ArrayList<>();
    private final List<String> groupClauses = new ArrayList<>();
    private int groupSlot = -1;

    private Summarizer(
            ThingModel model, ObjectNode reported, ObjectNode metadata, Lang lang, ReadFilter filter, Instant now) {
        this.raw = model.raw();
        this.reported = reported;
        this.metadata = metadata;
        this.lang = lang;
        this.filter = filter;
        this.now = now;
    }

    /**
     * @param reported the shadow's reported state
     * @param metadata the reported metadata ({@code {"timestamp":ms}} per leaf); empty when unknown
     * @param now      the wall time the ages are counted to
     */
    public static @NotNull Summary summarize(
            @NotNull ThingId thing,
            @NotNull ThingModel model,
            @NotNull ObjectNode reported,
            @NotNull ObjectNode metadata,
            @NotNull Presence presence,
            @NotNull SummaryRequest request,
            @NotNull ReadFilter filter,
            @NotNull Instant now) {
        Summarizer summarizer = new Summarizer(model, reported, metadata, request.lang(), filter, now);
        summarizer.properties(summarizer.raw.path("properties"), model.properties(), "");
        return summarizer.finish(thing, presence, request);
    }

    private void properties(JsonNode rawProperties, Map<String, DataSchema> schemas, String prefix) {
        for (Map.Entry<String, DataSchema> entry : schemas.entrySet()) {
            String path = prefix + entry.getKey();
            JsonNode rawSchema = rawProperties.path(entry.getKey());
            DataSchema schema = entry.getValue();
            if (!schema.isLeaf()) {
                if (!rawSchema.has(SpeechTerms.GROUP) || !group(path, rawSchema, schema)) {
                    properties(rawSchema.path("properties"), schema.properties(), path + ".");
                }
            } else {
                leaf(path, rawSchema, schema);
            }
        }
    }

    private void leaf(String path, JsonNode rawSchema, DataSchema schema) {
        Optional<JsonNode> value = readable(path);
        if (value.isEmpty()) {
            return;
        }
        Optional<String> template = SpeechTerms.text(rawSchema, SpeechTerms.SAY, lang);
        if (template.isPresent() && template.get().isEmpty()) {
            return; // the model keeps this leaf out of the spoken answer
        }
        String sentence = template.map(text -> SpeechTerms.fill(text, placeholders(rawSchema, schema, value.get())))
                .orElseGet(() ->
                        Phrases.titled(lang, title(rawSchema, schema, path), spoken(rawSchema, schema, value.get())));
        sentences.add(sentence);
        facts.add(fact(path, schema, value.get()));
    }

    /**
     * Speaks a group in one clause, or in one clause per member that is not normal; false when the model has no
     * clauses in this language (its members are then spoken one by one). Says "all ... normal" only when every
     * member leaf is reported and may be read.
     */
    private boolean group(String path, JsonNode rawGroup, DataSchema group) {
        JsonNode clauses =
                rawGroup.path(SpeechTerms.GROUP).path(SpeechTerms.CLAUSES).get(lang.tag());
        if (clauses == null) {
            return false;
        }
        JsonNode normal = rawGroup.path(SpeechTerms.GROUP).path(SpeechTerms.NORMAL);
        boolean complete = true;
        List<Fact> considered = new ArrayList<>();
        List<Fact> differing = new ArrayList<>();
        List<String> memberClauses = new ArrayList<>();
        for (Map.Entry<String, DataSchema> member : group.properties().entrySet()) {
            String memberPath = path + "." + member.getKey();
            JsonNode rawMember = rawGroup.path("properties").path(member.getKey());
            List<String> states = new ArrayList<>();
            for (Map.Entry<String, JsonNode> expected : normal.properties()) {
                Optional<DataSchema> leaf = member.getValue().property(expected.getKey());
                if (leaf.isEmpty()) {
                    continue;
                }
                String leafPath = memberPath + "." + expected.getKey();
                Optional<JsonNode> value = readable(leafPath);
                if (value.isEmpty()) {
                    complete = false;
                    continue;
                }
                Fact fact = fact(leafPath, leaf.get(), value.get());
                considered.add(fact);
                if (!sameValue(expected.getValue(), value.get())) {
                    differing.add(fact);
                    states.add(spoken(rawMember.path("properties").path(expected.getKey()), leaf.get(), value.get()));
                }
            }
            if (!states.isEmpty()) {
                String part = SpeechTerms.text(rawMember, SpeechTerms.SAY, lang)
                        .orElseGet(() -> title(rawMember, member.getValue(), memberPath));
                memberClauses.add(SpeechTerms.fill(
                        clauses.path(SpeechTerms.EACH).asText(),
                        Map.of("part", part, "states", Phrases.and(lang, states))));
            }
        }
        if (!memberClauses.isEmpty()) {
            addGroupClause(String.join(", ", memberClauses));
            facts.addAll(differing);
        } else if (complete && !considered.isEmpty()) {
            addGroupClause(clauses.path(SpeechTerms.ALL).asText());
            facts.addAll(considered);
        }
        return true;
    }

    private void addGroupClause(String clause) {
        if (groupSlot < 0) {
            groupSlot = sentences.size();
        }
        groupClauses.add(clause);
    }

    private Summary finish(ThingId thing, Presence presence, SummaryRequest request) {
        if (!groupClauses.isEmpty()) {
            sentences.add(groupSlot, Phrases.clauses(lang, groupClauses));
        }
        Long oldest = facts.stream()
                .map(Fact::path)
                .map(this::timestamp)
                .filter(Objects::nonNull)
                .min(Long::compare)
                .orElse(null);
        if (oldest != null || presence != Presence.UNKNOWN) {
            String name = SpeechTerms.text(raw, SpeechTerms.SAY, lang).orElseGet(() -> Phrases.device(lang));
            ZonedDateTime readAt =
                    oldest == null ? null : Instant.ofEpochMilli(oldest).atZone(request.zone());
            sentences.add(Phrases.freshness(lang, readAt, now.atZone(request.zone()), name, presence));
        }
        return new Summary(thing.value(), lang, Phrases.text(lang, sentences), facts);
    }

    /** The reported value at {@code path} if the caller may read it and it is there. */
    private Optional<JsonNode> readable(String path) {
        if (!filter.mayRead(path)) {
            return Optional.empty();
        }
        JsonNode value = reported.at(pointer(path));
        return value.isMissingNode() || value.isNull() || value.isContainerNode()
                ? Optional.empty()
                : Optional.of(value);
    }

    private Fact fact(String path, DataSchema schema, JsonNode value) {
        Long timestamp = timestamp(path);
        Long age = timestamp == null ? null : Math.max(0, (now.toEpochMilli() - timestamp) / 1000);
        return new Fact(path, value, schema.unit(), age);
    }

    private @Nullable Long timestamp(String path) {
        JsonNode timestamp = metadata.at(pointer(path)).path("timestamp");
        return timestamp.isIntegralNumber() ? timestamp.longValue() : null;
    }

    private Map<String, String> placeholders(JsonNode rawSchema, DataSchema schema, JsonNode value) {
        Map<String, String> values = new HashMap<>();
        if (value.isNumber()) {
            values.put("value", Phrases.number(lang, value.decimalValue()));
            values.put("unit", schema.unit() == null ? "" : Phrases.unit(lang, schema.unit(), value.decimalValue()));
        } else {
            values.put("value", spoken(rawSchema, schema, value));
            values.put("unit", "");
        }
        return values;
    }

    /** A value as spoken: the model's word for it, a number with its unit, yes/no, or the string itself. */
    private String spoken(JsonNode rawSchema, DataSchema schema, JsonNode value) {
        Optional<String> word = SpeechTerms.valueWord(rawSchema, value, lang);
        if (word.isPresent()) {
            return word.get();
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            return Phrases.quantity(
                    lang,
                    Phrases.number(lang, number),
                    schema.unit() == null ? null : Phrases.unit(lang, schema.unit(), number));
        }
        if (value.isBoolean() || schema.type() == SchemaType.BOOLEAN) {
            return Phrases.yesNo(lang, value.asBoolean());
        }
        return value.asText();
    }

    private String title(JsonNode rawSchema, DataSchema schema, String path) {
        JsonNode titles = rawSchema.path("titles").get(lang.tag());
        if (titles != null && titles.isTextual()) {
            return titles.textValue();
        }
        return schema.title() != null ? schema.title() : path;
    }

    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static String pointer(String dottedPath) {
        return "/" + dottedPath.replace('.', '/');
    }
}
