package io.shadowmq.service.summary;

import io.javalin.http.Context;
import io.shadowmq.model.summary.ReadFilter;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.summary.ThingSummaries;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionStage;

/**
 * What a voice assistant would say about a thing: {@code GET /api/v1/things/{id}/summary?lang=de&timezone=Europe/Berlin}
 * (docs/rest.md). Household rules as for the shadow: a thing the caller does not see is 404.
 *
 * <pre>{@code
 * new SummaryRoutes(summaries, access).register(router);
 * }</pre>
 */
public final class SummaryRoutes {

    private final ThingSummaries summaries;
    private final ThingAccess access;

    public SummaryRoutes(@NotNull ThingSummaries summaries, @NotNull ThingAccess access) {
        this.summaries = summaries;
        this.access = access;
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
                                // Every member of a household may read all of its things today; per-household
                                // grants narrow this filter.
                                thing -> summaries
                                        .summarize(thing, request, ReadFilter.ALL)
                                        .thenApply(outcome ->
                                                Replies.map(outcome, summary -> Reply.ok(summary.toJson()))))));
    }
}
