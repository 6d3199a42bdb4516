package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.GetRequest;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowAlgebra;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.Optional;

/**
 * Refuses, before anything is sent, what the platform would refuse, with its code and message: it runs the
 * platform's own checks in the platform's order (docs/protocol.md) on the bytes the SDK would publish.
 * <ol>
 *   <li>{@link ShadowRequests#parseUpdate}: payload size (413), JSON and request shape, nesting depth (400);</li>
 *   <li>{@link ThingModel#check}: unknown property, type, range, enum, {@code desired} on a read-only property (422),
 *       when the model of the thing is known;</li>
 *   <li>{@link ShadowAlgebra#apply}: stored state size (413), when the SDK has seen the shadow. This one is a
 *       prediction from the last document the SDK saw; the platform has the last word.</li>
 * </ol>
 *
 * <pre>{@code
 * Outcome<UpdateRequest> checked = validator.check(Section.REPORTED, patch, "tok-1", known, List.of());
 * }</pre>
 */
public final class RequestValidator {

    private final @Nullable ThingModel model;
    private final ShadowLimits limits;

    /** Checks against {@code model} (none: size and shape only) and the platform's {@code limits}. */
    public RequestValidator(@Nullable ThingModel model, @NotNull ShadowLimits limits) {
        this.model = model;
        this.limits = limits;
    }

    /**
     * Checks an update that sets one section.
     *
     * @param known   the thing's shadow as last seen, or {@code null} when unknown (no size prediction then)
     * @param pending patches of the same section waiting to be sent before this one, oldest first
     * @return the request exactly as the platform will read it, or the rejection it would answer
     */
    @NotNull
    Outcome<UpdateRequest> check(
            @NotNull Section section,
            @NotNull ObjectNode patch,
            @NotNull String clientToken,
            @Nullable ShadowDocument known,
            @NotNull List<ObjectNode> pending) {
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload(section, patch, clientToken), limits);
        if (!(parsed instanceof Outcome.Ok<UpdateRequest> ok)) {
            return parsed;
        }
        UpdateRequest request = ok.value();
        ObjectNode parsedPatch = request.patch(section).orElseThrow();
        if (model != null) {
            Optional<Rejection> violation = model.check(section, parsedPatch);
            if (violation.isPresent()) {
                return Outcome.rejected(violation.get());
            }
        }
        if (known != null) {
            Optional<Rejection> tooLarge = predictStateSize(known, section, pending, request);
            if (tooLarge.isPresent()) {
                return Outcome.rejected(tooLarge.get());
            }
        }
        return parsed;
    }

    /**
     * Checks an invocation of {@code action} with {@code input} (MissingNode: none) against the thing's model, when it
     * is known: the action must exist (404) and the input fit its schema (422), as the platform checks it.
     */
    @NotNull
    Optional<Rejection> checkInvocation(@NotNull String action, @NotNull JsonNode input) {
        return model == null ? Optional.empty() : ModelActions.checkInput(model, action, input);
    }

    /**
     * Checks the paths of a selecting {@code get} as the platform does, with its code: {@link ShadowRequests#parseGet}
     * on the request (400 {@code paths[1]: 'doors..isOpen' is not a path pattern (...)}, at most
     * {@value GetRequest#MAX_PATHS} paths) and, when the model is known, {@link GetRequest#checkAgainst} (422
     * {@code paths[0]: no property 'locaton' in model car}). No paths: the whole shadow, nothing to check.
     */
    @NotNull
    public Optional<Rejection> checkReadPaths(@NotNull List<String> paths) {
        if (paths.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode request = SafeJson.object();
        paths.forEach(request.putArray("paths")::add);
        Outcome<GetRequest> parsed = ShadowRequests.parseGet(SafeJson.write(request));
        if (parsed instanceof Outcome.Rejected<GetRequest> rejected) {
            return Optional.of(rejected.rejection());
        }
        return model == null ? Optional.empty() : parsed.orElseThrow().checkAgainst(model);
    }

    /** Checks a handler's output for {@code action} against the model, when it is known (422 as the platform). */
    @NotNull
    Optional<Rejection> checkOutput(@NotNull String action, @NotNull JsonNode output) {
        return model == null ? Optional.empty() : ModelActions.checkOutput(model, action, output);
    }

    /** Checks that the model knows the dotted {@code path} a desired value is rejected at (422 as the platform). */
    @NotNull
    Optional<Rejection> checkDesiredPath(@NotNull String path) {
        if (model == null || model.schemaAt(path).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(Rejection.modelViolation(path + ": not a property of the model"));
    }

    /** {@code {"state":{"<section>":patch},"clientToken":token}}: the update payload the SDK publishes. */
    public static byte @NotNull [] payload(
            @NotNull Section section, @NotNull ObjectNode patch, @NotNull String clientToken) {
        ObjectNode payload = SafeJson.object();
        payload.putObject("state").set(section.jsonName(), patch);
        payload.put("clientToken", clientToken);
        return SafeJson.write(payload);
    }

    private Optional<Rejection> predictStateSize(
            ShadowDocument known, Section section, List<ObjectNode> pending, UpdateRequest request) {
        ShadowDocument document = known;
        for (ObjectNode waiting : pending) {
            if (ShadowAlgebra.apply(document, only(section, waiting), known.timestamp(), limits)
                    instanceof UpdateOutcome.Accepted accepted) {
                document = accepted.current();
            }
        }
        if (ShadowAlgebra.apply(document, request, known.timestamp(), limits)
                instanceof UpdateOutcome.Rejected rejected) {
            return Optional.of(rejected.rejection());
        }
        return Optional.empty();
    }

    private static UpdateRequest only(Section section, ObjectNode patch) {
        return section == Section.REPORTED
                ? UpdateRequest.of(patch, MissingNode.getInstance(), null, null)
                : UpdateRequest.of(MissingNode.getInstance(), patch, null, null);
    }
}
