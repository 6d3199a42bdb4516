package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.Optional;

/**
 * A grant as a client asks for it ({@code POST /api/v1/owners/{owner}/grants}), before the store gives it an id:
 * {@code {"grantee":"speaker-1"|"type:speaker","target":"car-1"|"type:car","read":[...],"write":[...],
 * "invoke":[...],"expiresAt":ms?}}.
 *
 * <pre>{@code
 * Outcome<GrantRequest> parsed = GrantRequest.parse(body, now);     // 400/422 naming the field
 * Optional<Rejection> wrong = parsed.value().checkAgainst(carModel); // 422 "write[0]: no property 'cabin.heeter' in model car"
 * }</pre>
 */
public record GrantRequest(
        @NotNull String grantee,
        @NotNull String target,
        @NotNull List<String> read,
        @NotNull List<String> write,
        @NotNull List<String> invoke,
        @Nullable Long expiresAt) {

    public GrantRequest {
        read = List.copyOf(read);
        write = List.copyOf(write);
        invoke = List.copyOf(invoke);
    }

    /**
     * The request from its JSON body; 422 naming the field for a missing or malformed grantee/target, a pattern
     * that does not parse, an unknown field, an empty grant (nothing to read, write or invoke), or an
     * {@code expiresAt} not after {@code nowMillis}.
     */
    public static @NotNull Outcome<GrantRequest> parse(@NotNull JsonNode body, long nowMillis) {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * 422 naming the field ({@code read[1]}, {@code invoke[0]}) when a pattern matches no property of the target's
     * model, an action is unknown, or an action is critical (no grant lets a thing invoke a critical action).
     */
    public @NotNull Optional<Rejection> checkAgainst(@NotNull ThingModel targetModel) {
        throw new UnsupportedOperationException("to be built");
    }

    /** The grant the store keeps. */
    public @NotNull Grant toGrant(
            @NotNull String id,
            @NotNull io.shadowmq.model.thing.Owner owner,
            long createdAt,
            @NotNull String createdBy) {
        return new Grant(id, owner, grantee, target, read, write, invoke, expiresAt, createdAt, createdBy);
    }
}
