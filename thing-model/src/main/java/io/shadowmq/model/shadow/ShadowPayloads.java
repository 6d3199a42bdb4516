package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Map;

/**
 * Every response payload of the MQTT shadow protocol (docs/protocol.md). Nothing else in the
 * project builds payload JSON by hand. Each method returns a new tree that shares no node with its arguments;
 * serialize it with {@link SafeJson#write}. {@code clientToken} appears only when it is not {@code null}.
 *
 * <pre>{@code
 * byte[] payload = SafeJson.write(ShadowPayloads.get(doc, clock.millis(), request.clientToken()));
 * }</pre>
 */
public final class ShadowPayloads {

    private static final String STATE = "state";
    private static final String METADATA = "metadata";
    private static final String VERSION = "version";
    private static final String TIMESTAMP = "timestamp";
    private static final String CLIENT_TOKEN = "clientToken";

    private ShadowPayloads() {}

    /**
     * {@code update/accepted}: the change as the client sent it, the metadata of the leaves it wrote (a desired leaf
     * still pending with its {@code setBy} and {@code expiresAt}), the new version. A cleared section or a deleted leaf
     * appears as {@code null} in {@code state} and has no metadata.
     *
     * <p>Example: {@code {"state":{"desired":{"volume":7,"muted":null}},"metadata":{"desired":{"volume":
     * {"timestamp":1700000000000}}},"version":12,"timestamp":1700000000000,"clientToken":"req-1"}}
     */
    public static @NotNull ObjectNode accepted(@NotNull UpdateOutcome.Accepted accepted) {
        ShadowDocument current = accepted.current();
        UpdateRequest request = accepted.request();
        ObjectNode metadata = SafeJson.object();
        // Walk the echoed state so the metadata's keys come in the client's order.
        for (Map.Entry<String, JsonNode> section : request.state().properties()) {
            if (section.getValue().isObject()) {
                ObjectNode written = Metadata.written((ObjectNode) section.getValue(), current.timestamp());
                if (section.getKey().equals(Section.DESIRED.jsonName())) {
                    written = Metadata.asKnown(written, current.desiredMetadata());
                }
                if (!written.isEmpty()) {
                    metadata.set(section.getKey(), written);
                }
            }
        }
        ObjectNode payload = SafeJson.object();
        payload.set(STATE, request.state().deepCopy());
        payload.set(METADATA, metadata);
        payload.put(VERSION, current.version());
        payload.put(TIMESTAMP, current.timestamp());
        putClientToken(payload, request.clientToken());
        return payload;
    }

    /**
     * {@code update/delta}: what the thing still has to do, and when each of those wishes was made, by whom and until
     * when ({@code setBy} and {@code expiresAt} when known).
     *
     * <p>Example: {@code {"state":{"heater":{"on":true}},"metadata":{"heater":{"on":{"timestamp":1700000000000,
     * "setBy":"speaker-1","expiresAt":1700000600000}}},"version":12,"timestamp":1700000000500}}
     */
    public static @NotNull ObjectNode delta(@NotNull ShadowDocument doc, long nowMillis) {
        ObjectNode delta = doc.delta();
        ObjectNode payload = SafeJson.object();
        payload.set(STATE, delta);
        payload.set(METADATA, Metadata.restrictTo(doc.desiredMetadata(), delta));
        payload.put(VERSION, doc.version());
        payload.put(TIMESTAMP, nowMillis);
        return payload;
    }

    /**
     * {@code update/documents}: the whole document before and after an accepted update, each with its
     * {@code desiredOutcomes}.
     *
     * <p>Example: {@code {"previous":{"state":{"reported":{},"desired":{}},"metadata":{"reported":{},"desired":{}},
     * "version":0,"desiredOutcomes":{}},"current":{"state":{"reported":{"volume":7},"desired":{}},"metadata":
     * {"reported":{"volume":{"timestamp":1700000000000}},"desired":{}},"version":1,"desiredOutcomes":{}},
     * "timestamp":1700000000000}}
     */
    public static @NotNull ObjectNode documents(
            @NotNull ShadowDocument previous, @NotNull ShadowDocument current, long nowMillis) {
        ObjectNode payload = SafeJson.object();
        payload.set("previous", versionedDocument(previous));
        payload.set("current", versionedDocument(current));
        payload.put(TIMESTAMP, nowMillis);
        return payload;
    }

    /**
     * {@code get/accepted}: the whole document with its delta and how the last desired value of each path ended.
     * All three state keys and {@code desiredOutcomes} are always present.
     *
     * <p>Example: {@code {"state":{"reported":{"volume":3},"desired":{"volume":7},"delta":{"volume":7}},
     * "metadata":{"reported":{"volume":{"timestamp":1}},"desired":{"volume":{"timestamp":2,"setBy":"admin"}}},
     * "version":2,"timestamp":1700000000000,"desiredOutcomes":{"muted":{"status":"applied","value":true,
     * "setBy":"speaker-1","setAt":1,"at":2}},"clientToken":"req-2"}}
     */
    public static @NotNull ObjectNode get(@NotNull ShadowDocument doc, long nowMillis, @Nullable String clientToken) {
        ObjectNode state = SafeJson.object();
        state.set(Section.REPORTED.jsonName(), doc.reported().deepCopy());
        state.set(Section.DESIRED.jsonName(), doc.desired().deepCopy());
        state.set("delta", doc.delta());
        ObjectNode payload = SafeJson.object();
        payload.set(STATE, state);
        payload.set(METADATA, sections(doc.reportedMetadata(), doc.desiredMetadata()));
        payload.put(VERSION, doc.version());
        payload.put(TIMESTAMP, nowMillis);
        payload.set(ShadowDocument.DESIRED_OUTCOMES, doc.desiredOutcomes().deepCopy());
        putClientToken(payload, clientToken);
        return payload;
    }

    /**
     * {@code delete/accepted}.
     *
     * <p>Example: {@code {"version":12,"timestamp":1700000000000,"clientToken":"req-3"}}
     *
     * @param version the version of the shadow that was deleted; the next update gets {@code version + 1}
     */
    public static @NotNull ObjectNode deleteAccepted(long version, long nowMillis, @Nullable String clientToken) {
        ObjectNode payload = SafeJson.object();
        payload.put(VERSION, version);
        payload.put(TIMESTAMP, nowMillis);
        putClientToken(payload, clientToken);
        return payload;
    }

    /**
     * {@code update/rejected}, {@code get/rejected}, {@code delete/rejected}.
     *
     * <p>Example: {@code {"code":409,"message":"version conflict: request has version 4, current version is 5",
     * "clientToken":"req-4","timestamp":1700000000000}}
     */
    public static @NotNull ObjectNode rejected(
            @NotNull Rejection rejection, @Nullable String clientToken, long nowMillis) {
        ObjectNode payload = SafeJson.object();
        payload.put("code", rejection.code());
        payload.put("message", rejection.message());
        putClientToken(payload, clientToken);
        payload.put(TIMESTAMP, nowMillis);
        return payload;
    }

    private static ObjectNode versionedDocument(ShadowDocument doc) {
        ObjectNode document = SafeJson.object();
        document.set(STATE, sections(doc.reported(), doc.desired()));
        document.set(METADATA, sections(doc.reportedMetadata(), doc.desiredMetadata()));
        document.put(VERSION, doc.version());
        document.set(ShadowDocument.DESIRED_OUTCOMES, doc.desiredOutcomes().deepCopy());
        return document;
    }

    private static ObjectNode sections(ObjectNode reported, ObjectNode desired) {
        ObjectNode sections = SafeJson.object();
        sections.set(Section.REPORTED.jsonName(), reported.deepCopy());
        sections.set(Section.DESIRED.jsonName(), desired.deepCopy());
        return sections;
    }

    private static void putClientToken(ObjectNode payload, @Nullable String clientToken) {
        if (clientToken != null) {
            payload.put(CLIENT_TOKEN, clientToken);
        }
    }
}
