package io.shadowmq.model.summary;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * What a voice assistant would say about a thing, and the facts it is built from.
 *
 * <pre>{@code
 * {"thingId":"car-1","lang":"en","text":"Your car can drive 312 more kilometres. ...",
 *  "facts":[{"path":"range","value":312,"unit":"km","age":300}]}
 * }</pre>
 */
public record Summary(
        @NotNull String thingId,
        @NotNull Lang lang,
        @NotNull String text,
        @NotNull List<Fact> facts) {

    public Summary {
        facts = List.copyOf(facts);
    }

    public @NotNull ObjectNode toJson() {
        ObjectNode json = SafeJson.object();
        json.put("thingId", thingId);
        json.put("lang", lang.tag());
        json.put("text", text);
        ArrayNode array = json.putArray("facts");
        facts.forEach(fact -> array.add(fact.toJson()));
        return json;
    }
}
