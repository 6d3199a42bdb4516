package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.jetbrains.annotations.NotNull;

/**
 * What a voice assistant would say about a thing ({@code things/T/summary/get/accepted}, docs/protocol.md): the text
 * in the language asked for, and the facts it speaks of. It says nothing about what the asker may not read.
 *
 * <pre>{@code
 * ThingSummary summary = client.thing("car-1", "car").summaryAsync("de", "Europe/Berlin").join();
 * summary.text();  // "Dein Auto kann noch 312 Kilometer fahren. Alle Türen sind zu und verriegelt; ..."
 * }</pre>
 *
 * @param thingId the thing spoken of
 * @param lang    {@code en}, {@code de} or {@code zh}
 * @param text    the sentences
 * @param facts   an array, {@code [{"path":"range","value":312,"unit":"km","age":300},…]}; a copy
 */
public record ThingSummary(
        @NotNull String thingId,
        @NotNull String lang,
        @NotNull String text,
        @NotNull JsonNode facts) {

    public ThingSummary {
        facts = facts.deepCopy();
    }

    /** The summary in a {@code get/accepted} answer; a missing {@code facts} is none. */
    static @NotNull ThingSummary of(@NotNull JsonNode answer) {
        JsonNode facts = answer.path("facts");
        return new ThingSummary(
                answer.path("thingId").asText(),
                answer.path("lang").asText(),
                answer.path("text").asText(),
                facts.isArray() ? facts : JsonNodeFactory.instance.arrayNode());
    }

    /** A copy, as the record was made with one. */
    @Override
    public @NotNull JsonNode facts() {
        return facts.deepCopy();
    }
}
