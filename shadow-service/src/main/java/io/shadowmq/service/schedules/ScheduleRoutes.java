package io.shadowmq.service.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.schedule.Schedule;
import io.shadowmq.store.schedule.ScheduleRun;
import io.shadowmq.store.schedule.ScheduleStore;
import org.jetbrains.annotations.NotNull;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A household's schedules: create, list, read, enable/disable or rename, delete, and what became of each occurrence.
 * Every route needs {@code things:admin} (as API keys do); a household the caller does not see answers 404 as a
 * missing one, and so does a target thing of another household.
 *
 * <pre>{@code
 * new ScheduleRoutes(store.schedules()).register(router);
 * }</pre>
 */
public final class ScheduleRoutes {

    private static final Set<String> PATCH_FIELDS = Set.of("enabled", "name");

    private final ScheduleStore schedules;

    public ScheduleRoutes(@NotNull ScheduleStore schedules) {
        this.schedules = schedules;
    }

    public void register(@NotNull ApiRouter router) {
        router.post(ApiPaths.SCHEDULES, ApiScope.THINGS_ADMIN, Accepts.JSON, this::create);
        router.get(ApiPaths.SCHEDULES, ApiScope.THINGS_ADMIN, this::list);
        router.get(ApiPaths.SCHEDULE, ApiScope.THINGS_ADMIN, this::get);
        router.patch(ApiPaths.SCHEDULE, ApiScope.THINGS_ADMIN, Accepts.MERGE_PATCH, this::update);
        router.delete(ApiPaths.SCHEDULE, ApiScope.THINGS_ADMIN, this::delete);
        router.get(ApiPaths.SCHEDULE_RUNS, ApiScope.THINGS_ADMIN, this::runs);
    }

    private static Outcome<Owner> owner(Context ctx, Caller caller) {
        return ThingAccess.household(caller, ctx.pathParam("owner"));
    }

    private CompletionStage<Reply> create(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> Replies.then(
                        JsonBodies.readObject(ctx, Schedule.FIELDS),
                        body -> schedules
                                .create(owner, body)
                                .thenApply(outcome -> Replies.map(
                                        outcome,
                                        schedule -> Reply.created(schedule.toJson())
                                                .withHeader(
                                                        "Location",
                                                        ApiPaths.SCHEDULES.replace("{owner}", owner.value()) + "/"
                                                                + schedule.id())))));
    }

    private CompletionStage<Reply> list(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> schedules
                        .list(owner)
                        .thenApply(outcome -> Replies.map(outcome, list -> {
                            ObjectNode json = SafeJson.object();
                            ArrayNode array = json.putArray("schedules");
                            list.forEach(schedule -> array.add(schedule.toJson()));
                            return Reply.ok(json);
                        })));
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> schedules
                        .get(owner, ctx.pathParam("scheduleId"))
                        .thenApply(outcome -> Replies.map(outcome, schedule -> Reply.ok(schedule.toJson()))));
    }

    private CompletionStage<Reply> update(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> Replies.then(JsonBodies.readObject(ctx, PATCH_FIELDS), body -> {
                    JsonNode enabled = body.path("enabled");
                    JsonNode name = body.path("name");
                    if (!enabled.isMissingNode() && !enabled.isBoolean()) {
                        return Replies.done(Reply.problem(Problem.invalid("enabled: must be true or false")));
                    }
                    if (!name.isMissingNode() && !name.isTextual()) {
                        return Replies.done(Reply.problem(Problem.invalid("name: must be a string")));
                    }
                    return schedules
                            .update(
                                    owner,
                                    ctx.pathParam("scheduleId"),
                                    enabled.isMissingNode() ? null : enabled.booleanValue(),
                                    name.isMissingNode() ? null : name.textValue())
                            .thenApply(outcome -> Replies.map(outcome, schedule -> Reply.ok(schedule.toJson())));
                }));
    }

    private CompletionStage<Reply> delete(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> schedules
                        .delete(owner, ctx.pathParam("scheduleId"))
                        .thenApply(outcome -> Replies.map(outcome, deleted -> Reply.noContent())));
    }

    private CompletionStage<Reply> runs(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> schedules
                        .runs(owner, ctx.pathParam("scheduleId"))
                        .thenApply(outcome -> Replies.map(outcome, runs -> {
                            ObjectNode json = SafeJson.object();
                            ArrayNode array = json.putArray("runs");
                            runs.stream().map(ScheduleRun::toJson).forEach(array::add);
                            return Reply.ok(json);
                        })));
    }
}
