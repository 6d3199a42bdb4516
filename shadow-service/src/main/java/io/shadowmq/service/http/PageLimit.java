package io.shadowmq.service.http;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The {@code limit} query parameter of a listing: absent or blank is the route's default, else an integer within the
 * route's range; anything else is 400 naming the range and the value.
 *
 * <pre>{@code
 * PageLimit.parse(ctx.queryParam("limit"), 20, 100) // Ok(20) when absent, Rejected(400 "limit: must be ...") for "0"
 * }</pre>
 */
public final class PageLimit {

    private PageLimit() {}

    public static @NotNull Outcome<Integer> parse(@Nullable String raw, int defaultLimit, int max) {
        if (raw == null || raw.isBlank()) {
            return Outcome.ok(defaultLimit);
        }
        try {
            int limit = Integer.parseInt(raw.strip());
            if (limit >= 1 && limit <= max) {
                return Outcome.ok(limit);
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as an out-of-range number
        }
        return Outcome.rejected(
                Rejection.malformed("limit: must be an integer 1.." + max + ", was '" + ThingId.printable(raw) + "'"));
    }
}
