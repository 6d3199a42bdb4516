package io.shadowmq.store.grant;

import io.shadowmq.model.access.Grant;
import io.shadowmq.model.access.GrantRequest;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A household's grants in Redis. Creating or revoking one announces a {@code grants} change on the change feed,
 * which every broker and service hears, so {@link HouseholdGuard} caches forget the household's grants at once.
 *
 * <pre>{@code
 * store.grants().create(Owner.of("alice"), request, caller.requester());   // Ok(grant with its id)
 * store.grants().revoke(Owner.of("alice"), "g-7Qx");                        // Ok(the grant) or 404
 * }</pre>
 *
 * <p>Every call is asynchronous, bounded and never exceptional (503 on Redis trouble), as the other stores.
 * The request was validated against the models by the caller ({@link GrantRequest#checkAgainst}); the store checks
 * that a concrete grantee and target are things of {@code owner} (404 {@code no thing X} otherwise, as for another
 * household's thing) and keeps at most {@value #MAX_GRANTS} grants per household (409). Each create and revoke is
 * recorded in the household's audit trail ({@code grant} / {@code revoke}, by the requester) and announced as a
 * {@code grants} feed event naming the grant's concrete target, else its concrete grantee, else the grant id.
 */
public interface GrantStore {

    int MAX_GRANTS = 1000;

    @NotNull
    CompletionStage<Outcome<Grant>> create(
            @NotNull Owner owner, @NotNull GrantRequest request, @NotNull Requester requester);

    /** The household's grants that are active now, oldest first (expired ones are dropped on the way). */
    @NotNull
    CompletionStage<Outcome<List<Grant>>> list(@NotNull Owner owner);

    /** One grant, 404 {@code no grant ID} when the household has none by that id (or it expired). */
    @NotNull
    CompletionStage<Outcome<Grant>> find(@NotNull Owner owner, @NotNull String id);

    /** Removes a grant; 404 as {@link #find}. Takes effect on every node at once. */
    @NotNull
    CompletionStage<Outcome<Grant>> revoke(@NotNull Owner owner, @NotNull String id, @NotNull Requester requester);
}
