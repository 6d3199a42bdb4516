package io.shadowmq.model.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ClientTokens;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request for a summary: the language, the household's time zone for times of day, and over MQTT the client
 * token. The same rules for {@code GET .../summary?lang=de&timezone=Europe/Berlin} and for a
 * {@code things/T/summary/get} payload {@code {"lang":"de","timezone":"Europe/Berlin","clientToken":"req-1"}}.
 *
 * @param zone IANA time zone; UTC when the caller names none (households have no stored zone yet)
 */
public record SummaryRequest(
        @NotNull Lang lang, @NotNull ZoneId zone, @Nullable String clientToken) {

    public static final String LANG = "lang";
    public static final String TIMEZONE = "timezone";
    private static final String CLIENT_TOKEN = "clientToken";
    private static final Set<String> PAYLOAD_KEYS = Set.of(LANG, TIMEZONE, CLIENT_TOKEN);

    /** From query parameters; absent ones take their defaults ({@code en}, UTC). 400 names the bad field. */
    public static @NotNull Outcome<SummaryRequest> of(@Nullable String lang, @Nullable String timezone) {
        return of(lang, timezone, null);
    }

    /**
     * From an MQTT payload: empty, or a JSON object holding only {@code lang}, {@code timezone} and
     * {@code clientToken}, all optional strings.
     *
     * @return the request, or 400 naming the field (413 for a payload over {@link SafeJson#MAX_DOCUMENT_BYTES})
     */
    public static @NotNull Outcome<SummaryRequest> parse(byte @NotNull [] payload) {
        if (payload.length == 0) {
            return of(null, null, null);
        }
        Outcome<ObjectNode> read = ShadowRequests.readObject(payload, SafeJson.MAX_DOCUMENT_BYTES);
        if (read instanceof Outcome.Rejected<ObjectNode> rejected) {
            return Outcome.rejected(rejected.rejection());
        }
        ObjectNode root = ((Outcome.Ok<ObjectNode>) read).value();
        for (Map.Entry<String, JsonNode> member : root.properties()) {
            if (!PAYLOAD_KEYS.contains(member.getKey())) {
                return invalid("unknown key '" + ThingId.printable(member.getKey())
                        + "': a summary request may only hold lang, timezone and clientToken");
            }
        }
        Optional<String> tokenProblem = ClientTokens.problemIn(root);
        if (tokenProblem.isPresent()) {
            return invalid(tokenProblem.get());
        }
        for (String key : new String[] {LANG, TIMEZONE}) {
            JsonNode value = root.get(key);
            if (value != null && !value.isTextual()) {
                return invalid(key + ": expected a string");
            }
        }
        return of(
                root.path(LANG).textValue(),
                root.path(TIMEZONE).textValue(),
                root.path(CLIENT_TOKEN).textValue());
    }

    private static Outcome<SummaryRequest> of(
            @Nullable String lang, @Nullable String timezone, @Nullable String clientToken) {
        Optional<Lang> language = lang == null ? Optional.of(Lang.EN) : Lang.of(lang);
        if (language.isEmpty()) {
            return invalid(LANG + ": '" + ThingId.printable(lang) + "' is not supported; use one of " + Lang.SUPPORTED);
        }
        ZoneId zone;
        try {
            zone = timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return invalid(TIMEZONE + ": '" + ThingId.printable(timezone)
                    + "' is not a time zone id; use an IANA id such as Europe/Berlin");
        }
        return Outcome.ok(new SummaryRequest(language.get(), zone, clientToken));
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.malformed(message));
    }
}
