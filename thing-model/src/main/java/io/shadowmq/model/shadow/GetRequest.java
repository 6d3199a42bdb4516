package io.shadowmq.model.shadow;

import io.shadowmq.model.access.PathPattern;
import io.shadowmq.model.schema.ThingModel;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.Optional;

/**
 * A {@code get} request: an optional client token to echo, and optionally the paths the answer is to hold
 * ({@code {"paths":["range","windows.**"],"clientToken":"t-1"}}); no paths means the whole document.
 *
 * <pre>{@code
 * if (ShadowRequests.parseGet(payload) instanceof Outcome.Ok<GetRequest> ok) {
 *     Optional<Rejection> unknown = ok.value().checkAgainst(carModel);   // 422 paths[0]: no property 'x' in model car
 *     Access answer = access.selecting(ok.value().paths());
 * }
 * }</pre>
 *
 * @param clientToken echoed in the answer; null when absent
 * @param paths       the selection, in the order asked; empty: the whole document
 */
public record GetRequest(
        @Nullable String clientToken, @NotNull List<PathPattern> paths) {

    /** Most paths one get may name. */
    public static final int MAX_PATHS = 64;

    public GetRequest {
        if (clientToken != null) {
            ClientTokens.problem(clientToken).ifPresent(problem -> {
                throw new IllegalArgumentException("clientToken: " + problem);
            });
        }
        paths = List.copyOf(paths);
    }

    /** Whether the request names paths: the answer holds only those. */
    public boolean selects() {
        return !paths.isEmpty();
    }

    /** 422 {@code paths[1]: no property 'locaton' in model car} for a path naming nothing in the model, or empty. */
    public @NotNull Optional<Rejection> checkAgainst(@NotNull ThingModel model) {
        return PathPattern.firstUnknown("paths", paths, model);
    }
}
