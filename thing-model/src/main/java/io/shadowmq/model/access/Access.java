package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.summary.ReadFilter;
import org.jetbrains.annotations.NotNull;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What one caller may do on one thing: everything ({@link #FULL}: the thing itself, and the household's owner-level
 * REST callers), or what a household member may ({@link #member}): the target model's household defaults (the
 * {@code shadowmq:household} term of each property and action) widened by the household's grants that name the
 * member and the target.
 *
 * <pre>{@code
 * Access speaker = Access.member(carModel, List.of());
 * speaker.mayRead("range");                 // true: household read by default
 * speaker.mayRead("location.latitude");     // false: the car's location is its owner's only
 * speaker.mayWrite("cabin.heater.isOn");    // false until a grant says write ["cabin.heater.**"]
 * speaker.mayInvoke("unlock");              // false: critical, never a household member's
 * }</pre>
 */
public final class Access {

    /** Everything: the thing itself, and owner-level callers. */
    public static final Access FULL = new Access();

    private Access() {}

    /**
     * A household member's access to a thing of {@code target}'s model, given the grants that name the member (by id
     * or type) and the target (by id or type) and are active now; the caller selects them.
     */
    public static @NotNull Access member(@NotNull ThingModel target, @NotNull Collection<Grant> grants) {
        throw new UnsupportedOperationException("to be built");
    }

    /** Whether this is {@link #FULL}: nothing to check or filter. */
    public boolean isFull() {
        return this == FULL;
    }

    /** Whether the leaf at {@code dottedPath} may be read (an object path: whether any leaf below it may). */
    public boolean mayRead(@NotNull String dottedPath) {
        return true;
    }

    /** Whether the leaf at {@code dottedPath} may be written in {@code desired} (set or withdrawn). */
    public boolean mayWrite(@NotNull String dottedPath) {
        return true;
    }

    /** Whether the action may be invoked; never a critical action for a member. */
    public boolean mayInvoke(@NotNull String action) {
        return true;
    }

    /**
     * The first of the requested paths (as the caller wrote it) that may not be read, wholly or in part; empty when
     * all may. A pattern matching nothing in the model is the caller's mistake (422), checked before this.
     */
    public @NotNull Optional<String> firstUnreadable(@NotNull List<PathPattern> requested) {
        return Optional.empty();
    }

    /** This access narrowed to the requested paths: what {@link #readable} keeps of a selecting {@code get}. */
    public @NotNull Access selecting(@NotNull List<PathPattern> requested) {
        throw new UnsupportedOperationException("to be built");
    }

    /** For summaries: only what may be read is spoken. */
    public @NotNull ReadFilter readFilter() {
        return this::mayRead;
    }

    /**
     * The first leaf of a {@code desired} patch (a {@code null} leaf withdraws and counts as a write; a {@code null}
     * object counts as writing every leaf below it in the model) that may not be written, dotted; empty when all may.
     */
    public @NotNull Optional<String> firstUnwritable(@NotNull JsonNode desiredPatch) {
        return Optional.empty();
    }

    /**
     * A shadow payload with only what may be read: {@code get/accepted}, {@code update/accepted},
     * {@code update/delta}, {@code update/documents} (both documents) and the REST shadow document alike — the
     * state sections, their metadata and {@code desiredOutcomes} keys are pruned to readable leaves (an object left
     * empty is dropped, a section stays as {@code {}}); everything else (version, timestamp, clientToken) is kept.
     * The same instance when {@link #isFull()}, else a new tree; the argument is never changed.
     */
    public @NotNull ObjectNode readable(@NotNull ObjectNode payload) {
        return payload;
    }
}
