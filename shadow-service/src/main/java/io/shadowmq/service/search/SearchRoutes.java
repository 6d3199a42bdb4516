package io.shadowmq.service.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.search.SearchQuery;
import io.shadowmq.model.search.SearchQueryException;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.search.SearchPage;
import io.shadowmq.store.search.ThingSearch;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Search over shadow values: {@code GET /api/v1/search/things?filter=RQL&fields=..&sort=..&limit=..&cursor=..}
 * (docs/search.md). An owner-limited key searches its households only; a key bound to one thing searches nothing
 * (it reads other things only through household rights on some of their values, which a search cannot honour).
 */
public final class SearchRoutes {

    private final ThingSearch search;
    private final SearchSchema schema;

    public SearchRoutes(@NotNull ThingSearch search, @NotNull SearchSchema schema) {
        this.search = search;
        this.schema = schema;
    }

    public void register(@NotNull ApiRouter router) {
        router.get(
                ApiPaths.SEARCH_THINGS,
                ApiScope.THINGS_READ,
                Accepts.query("filter", "fields", "sort", "limit", "cursor"),
                this::search);
    }

    private CompletionStage<Reply> search(Context ctx, Caller caller) {
        if (caller.thing() != null) {
            return Replies.done(thingKeyRefused());
        }
        SearchQuery query;
        try {
            query = parse(schema, ctx);
        } catch (SearchQueryException e) {
            return Replies.done(Problem.malformed(e.getMessage()).toReply());
        }
        String cursor = ctx.queryParam("cursor");
        return search.search(query, scope(caller), cursor == null || cursor.isBlank() ? null : cursor)
                .thenApply(page -> Replies.map(page, found -> Reply.ok(json(found))));
    }

    /** The query of a request's parameters; {@link SearchQueryException} names what was wrong. */
    public static @NotNull SearchQuery parse(@NotNull SearchSchema schema, @NotNull Context ctx) {
        return SearchQuery.parse(
                schema,
                ctx.queryParam("filter"),
                ctx.queryParam("fields"),
                ctx.queryParam("sort"),
                ctx.queryParam("limit"));
    }

    /** The households a caller's search is limited to; null: every household. */
    public static @Nullable List<Owner> scope(@NotNull Caller caller) {
        return caller.seesEveryOwner()
                ? null
                : caller.owners().stream().map(Owner::of).toList();
    }

    /** 403 for a key bound to one thing. */
    public static @NotNull Reply thingKeyRefused() {
        return Problem.of(
                        ProblemType.FORBIDDEN,
                        "search needs an owner-level or admin key; this key is bound to one thing")
                .toReply();
    }

    private static ObjectNode json(SearchPage page) {
        ObjectNode json = SafeJson.object();
        ArrayNode items = json.putArray("items");
        page.items().forEach(items::add);
        json.put("nextCursor", page.cursor());
        return json;
    }
}
