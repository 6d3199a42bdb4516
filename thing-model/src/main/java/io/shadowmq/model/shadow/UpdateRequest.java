package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A valid shadow update: per section, nothing ({@link MissingNode}), "clear it" ({@code NullNode}) or a JSON merge
 * patch ({@link ObjectNode}, RFC 7386), plus the optional expected version and client token. Built by
 * {@link ShadowRequests#parseUpdate} from a device's payload, or by {@link #of} in code.
 *
 * <p>The constructor deep-copies the trees; the accessors return them without copying (as
 * {@link ShadowDocument} does): never mutate them.
 *
 * <pre>{@code
 * ObjectNode heaterOn = SafeJson.object();
 * heaterOn.putObject("cabin").putObject("heater").put("on", true);
 * UpdateRequest request = UpdateRequest.of(MissingNode.getInstance(), heaterOn, null, "req-1");
 * request.touches(Section.DESIRED); // true
 * }</pre>
 *
 * @param reported    the reported section of the request
 * @param desired     the desired section of the request
 * @param version     the version the shadow must have for the update to apply, or {@code null} for "any"
 * @param clientToken echoed in the responses, or {@code null}
 * @param state       the request's {@code state} object as sent, echoed in {@code update/accepted}; holds exactly
 *                    the sections that are not missing
 * @param ttlSeconds  how long the desired values this request writes stay unless applied, rejected or replaced,
 *                    1 .. {@value DesiredPolicy#MAX_TTL_SECONDS}; {@code null}: the model's default for each property
 * @param rejectDesired desired values the thing refuses, by dotted path, with the reason (only the thing itself
 *                    may send it); in the client's order, empty when none
 */
public record UpdateRequest(
        @NotNull JsonNode reported,
        @NotNull JsonNode desired,
        @Nullable Long version,
        @Nullable String clientToken,
        @NotNull ObjectNode state,
        @Nullable Long ttlSeconds,
        @NotNull Map<String, String> rejectDesired) {

    public UpdateRequest {
        checkSection(Section.REPORTED, reported);
        checkSection(Section.DESIRED, desired);
        if (version != null && version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
        if (clientToken != null) {
            ClientTokens.problem(clientToken).ifPresent(problem -> {
                throw new IllegalArgumentException("clientToken: " + problem);
            });
        }
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        for (Map.Entry<String, JsonNode> member : state.properties()) {
            if (!member.getKey().equals(Section.REPORTED.jsonName())
                    && !member.getKey().equals(Section.DESIRED.jsonName())) {
                throw new IllegalArgumentException("state may only hold reported and desired, not " + member.getKey());
            }
        }
        // The echo in update/accepted must say exactly what was applied.
        if (!state.path(Section.REPORTED.jsonName()).equals(reported)
                || !state.path(Section.DESIRED.jsonName()).equals(desired)) {
            throw new IllegalArgumentException("state must hold the reported and desired sections of the request");
        }
        if (ttlSeconds != null) {
            String problem = DesiredPolicy.ttlProblem(ttlSeconds);
            if (problem != null) {
                throw new IllegalArgumentException("ttlSeconds " + problem);
            }
        }
        if (rejectDesired == null) {
            throw new IllegalArgumentException("rejectDesired must not be null; use an empty map for none");
        }
        rejectDesired = Collections.unmodifiableMap(new LinkedHashMap<>(rejectDesired));
        reported = reported.deepCopy();
        desired = desired.deepCopy();
        state = state.deepCopy();
    }

    /** A request without time-to-live and without refusals. */
    public UpdateRequest(
            @NotNull JsonNode reported,
            @NotNull JsonNode desired,
            @Nullable Long version,
            @Nullable String clientToken,
            @NotNull ObjectNode state) {
        this(reported, desired, version, clientToken, state, null, Map.of());
    }

    /** The same request, expecting {@code expectedVersion}. */
    public @NotNull UpdateRequest withVersion(long expectedVersion) {
        return new UpdateRequest(reported, desired, expectedVersion, clientToken, state, ttlSeconds, rejectDesired);
    }

    /** True when the thing refuses desired values with this request (only the thing itself may). */
    public boolean rejectsDesired() {
        return !rejectDesired.isEmpty();
    }

    /** A request from its sections; {@code state} is built from them. */
    public static @NotNull UpdateRequest of(
            @NotNull JsonNode reported,
            @NotNull JsonNode desired,
            @Nullable Long version,
            @Nullable String clientToken) {
        ObjectNode state = SafeJson.object();
        if (!reported.isMissingNode()) {
            state.set(Section.REPORTED.jsonName(), reported);
        }
        if (!desired.isMissingNode()) {
            state.set(Section.DESIRED.jsonName(), desired);
        }
        return new UpdateRequest(reported, desired, version, clientToken, state);
    }

    /** The request's value for a section: missing, null or an object. */
    public @NotNull JsonNode section(@NotNull Section section) {
        return section == Section.REPORTED ? reported : desired;
    }

    /** True when the request changes this section (patches or clears it). */
    public boolean touches(@NotNull Section section) {
        return !section(section).isMissingNode();
    }

    /** The merge patch for this section, empty when the section is missing or cleared. */
    public @NotNull Optional<ObjectNode> patch(@NotNull Section section) {
        JsonNode value = section(section);
        return value.isObject() ? Optional.of((ObjectNode) value) : Optional.empty();
    }

    /** True when the request sets this section to {@code null}: all its state and metadata go. */
    public boolean clears(@NotNull Section section) {
        return section(section).isNull();
    }

    private static void checkSection(Section section, JsonNode value) {
        if (value == null) {
            throw new IllegalArgumentException(section.jsonName() + " must not be null; use MissingNode for absent");
        }
        if (!value.isMissingNode() && !value.isNull() && !value.isObject()) {
            throw new IllegalArgumentException(
                    section.jsonName() + " must be missing, null or an object, was " + StateTrees.typeName(value));
        }
    }
}
