package io.shadowmq.service.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.store.apikey.ApiScope;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The thing models this service validates against: a list of summaries, and each model file as written. They are
 * loaded once at start, so these answers need no Redis.
 *
 * <pre>{@code
 * GET /api/v1/models      -> {"items":[{"type":"car","title":"Car","description":"..."}, ...]}
 * GET /api/v1/models/car  -> the car.json thing model
 * }</pre>
 */
public final class ModelRoutes {

    private final ThingModels models;

    public ModelRoutes(@NotNull ThingModels models) {
        this.models = models;
    }

    public void register(@NotNull ApiRouter router) {
        router.get(ApiPaths.MODELS, ApiScope.THINGS_READ, this::list);
        router.get(ApiPaths.MODEL, ApiScope.THINGS_READ, this::get);
    }

    private CompletionStage<Reply> list(Context ctx, Caller caller) {
        ObjectNode body = SafeJson.object();
        ArrayNode items = body.putArray("items");
        for (ThingModel model : models.models().values()) {
            items.addObject()
                    .put("type", model.type())
                    .put("title", model.title())
                    .put("description", model.description());
        }
        return Replies.done(Reply.ok(body));
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        String type = ctx.pathParam("type");
        Optional<ThingModel> model = models.get(type);
        return Replies.done(model.map(found -> Reply.ok(found.raw()))
                .orElseGet(() -> Problem.notFound("no thing model '" + ThingId.printable(type) + "', known: "
                                + String.join(", ", models.types()))
                        .toReply()));
    }
}
