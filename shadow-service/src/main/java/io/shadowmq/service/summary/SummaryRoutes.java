package io.shadowmq.service.summary;

import io.javalin.http.Context;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.summary.ThingSummaries;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a voice assistant would say about a thing: {@code GET /api/v1/things/{id}/summary?lang=de&timezone=Europe/Berlin}
 * (docs/rest.md). Household rules as for the shadow: a thing the caller does not see is 404, and a key bound to a
 * thing hears only what its thing may read ({@link HouseholdAccess}).
 *
 * <pre>{@code
 * new SummaryRoutes(summaries, access, household).register(router);
 * }</pre>
 */
public final class SummaryRoutes {

    private final ThingSummaries summaries;
    private final ThingAccess access;
    private final HouseholdAccess household;

    public SummaryRoutes(
            @NotNull ThingSummaries summaries, @NotNull ThingAccess access, @NotNull HouseholdAccess household) {
        this.summaries = summaries;
        this.access = access;
        this.household = household;
    }

    public void register(@NotNull ApiRouter router) {
        router.get(
                ApiPaths.THING_SUMMARY,
                ApiScope.THINGS_READ,
                Accepts.query(SummaryRequest.LANG, SummaryRequest.TIMEZONE),
                this::get);
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        SummaryRequest.of(ctx.queryParam(SummaryRequest.LANG), ctx.queryParam(SummaryRequest.TIMEZONE)),
                        request -> Replies.then(
                                access.find(caller, id),
                                thing -> Replies.then(
                                        household.of(caller, id),
                                        // A key bound to a thing hears only what its thing may read.
                                        rights -> summaries
                                                .summarize(thing, request, rights.readFilter())
                                                .thenApply(outcome -> {
                                                    Reply reply =
                                                            Replies.map(outcome, summary -> Reply.ok(summary.toJson()));
                                                    household.audit(
                                                            caller, id, AuditEntry.READ, List.of(), reply.status());
                                                    return reply;
                                                })))));
    }
}
