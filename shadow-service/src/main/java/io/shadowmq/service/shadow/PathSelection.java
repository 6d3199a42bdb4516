package io.shadowmq.service.shadow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.GetRequest;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowRequests;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * The {@code paths} query parameter of a shadow read: comma-separated path patterns naming what to answer
 * ({@code ?paths=range,windows.**}); absent or blank is the whole document. Read as the MQTT {@code get} reads its
 * {@code paths} ({@link ShadowRequests#parseGet}): the same patterns, limits and messages.
 *
 * <pre>{@code
 * PathSelection.parse("range,windows.**") // Ok(GetRequest with [range, windows.**])
 * PathSelection.parse("range,,doors")     // Rejected(400 "paths[1]: ...")
 * }</pre>
 */
final class PathSelection {

    static final String PARAMETER = "paths";

    private PathSelection() {}

    static @NotNull Outcome<GetRequest> parse(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return Outcome.ok(new GetRequest(null, List.of()));
        }
        ObjectNode request = SafeJson.object();
        ArrayNode paths = request.putArray(PARAMETER);
        for (String path : raw.split(",", -1)) {
            paths.add(path.strip());
        }
        return ShadowRequests.parseGet(SafeJson.write(request));
    }
}
