package io.shadowmq.platform.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.ThingModel;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the smart speaker says about the car, built from the thing model's titles and units rather than from
 * hard-coded words: a model change (a new door, a renamed title) changes the sentence with it.
 */
final class HouseholdSentences {

    private HouseholdSentences() {}

    /** e.g. "Remaining range: 412 km. Fuel level: 61.9 percent. All doors and windows are closed." */
    static @NotNull String carStatus(@NotNull ThingModel car, @NotNull JsonNode reported) {
        StringBuilder sentence = new StringBuilder();
        quantity(car, reported, "range").ifPresent(text -> sentence.append(text).append(". "));
        quantity(car, reported, "fuel.level")
                .ifPresent(text -> sentence.append(text).append(". "));
        List<String> open = new ArrayList<>();
        open.addAll(openOnes(car, reported, "doors"));
        open.addAll(openOnes(car, reported, "windows"));
        sentence.append(
                open.isEmpty() ? "All doors and windows are closed." : "Open: " + String.join(", ", open) + ".");
        return sentence.toString();
    }

    static @NotNull Optional<String> quantity(ThingModel model, JsonNode reported, String path) {
        JsonNode value = reported.at("/" + path.replace('.', '/'));
        Optional<DataSchema> schema = model.schemaAt(path);
        if (value.isMissingNode() || schema.isEmpty()) {
            return Optional.empty();
        }
        String title = schema.get().title() != null ? schema.get().title() : path;
        String unit = schema.get().unit() == null ? "" : " " + schema.get().unit();
        return Optional.of(title + ": " + value.asText() + unit);
    }

    private static List<String> openOnes(ThingModel model, JsonNode reported, String group) {
        List<String> open = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> members = reported.path(group).fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            if (member.getValue().path("isOpen").asBoolean(false)) {
                String path = group + "." + member.getKey();
                open.add(model.schemaAt(path).map(DataSchema::title).orElse(path));
            }
        }
        return open;
    }
}
