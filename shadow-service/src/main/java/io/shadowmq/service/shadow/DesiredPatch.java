package io.shadowmq.service.shadow;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateRequest;
import org.jetbrains.annotations.NotNull;

/**
 * The body of {@code PATCH /api/v1/things/{id}/shadow}: {@code {"state":{"desired":{...}|null},"clientToken":"..."?,
 * "ttlSeconds":N?}}. Parsed by the same {@link ShadowRequests} as MQTT updates (same limits, same messages), then
 * narrowed to what REST may do: only {@code desired}, no {@code rejectDesired} (only the thing refuses its desired
 * values, over MQTT), and the expected version comes as {@code If-Match}, not in the body.
 *
 * <pre>{@code
 * DesiredPatch.parse("{\"state\":{\"desired\":{\"volume\":7}}}".getBytes(UTF_8), limits) // Ok(UpdateRequest)
 * DesiredPatch.parse("{\"state\":{\"reported\":{\"volume\":7}}}".getBytes(UTF_8), limits)
 * // Rejected(400 "state.reported: ...")
 * }</pre>
 */
public final class DesiredPatch {

    private DesiredPatch() {}

    public static @NotNull Outcome<UpdateRequest> parse(byte @NotNull [] body, @NotNull ShadowLimits limits) {
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(body, limits);
        if (!(parsed instanceof Outcome.Ok<UpdateRequest> ok)) {
            return parsed;
        }
        UpdateRequest request = ok.value();
        if (!request.reported().isMissingNode()) {
            return Outcome.rejected(Rejection.malformed(
                    "state.reported: only the thing itself reports its state; " + "REST changes desired only"));
        }
        if (request.rejectsDesired()) {
            return Outcome.rejected(Rejection.malformed("rejectDesired: only the thing itself refuses its desired "
                    + "values, over MQTT; REST sets desired values or withdraws them with null"));
        }
        if (request.version() != null) {
            return Outcome.rejected(Rejection.malformed("version: not accepted in the body over REST; send the "
                    + "expected version as If-Match: \"" + request.version() + "\""));
        }
        return parsed;
    }

    /** The same request with the version an {@code If-Match} asked for. */
    public static @NotNull UpdateRequest withVersion(@NotNull UpdateRequest request, long version) {
        return request.withVersion(version);
    }
}
