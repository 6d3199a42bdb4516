package io.shadowmq.model.shadow;

import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

/**
 * How large a shadow and a request to it may get (docs/protocol.md: 64 KiB payload, 32 KiB stored state,
 * nesting depth 8).
 *
 * <p>{@code maxStateDepth} counts the JSON containers (objects and arrays) on the deepest path of a section, the
 * section object itself counting as 1. With the default of 8,
 * {@code {"state":{"reported":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}}}}} is the deepest accepted
 * shape (eight property names below {@code reported}); one more object level is rejected.
 *
 * <pre>{@code Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT);}</pre>
 *
 * @param maxPayloadBytes largest update payload in bytes; at most {@link SafeJson#MAX_DOCUMENT_BYTES}, the reader's
 *                        own ceiling
 * @param maxStateBytes   largest stored state, measured as the UTF-8 size of {@code {"reported":..,"desired":..}}
 * @param maxStateDepth   deepest nesting of a section; at most {@link SafeJson#MAX_NESTING_DEPTH} - 2, because the
 *                        payload root and {@code state} take two of the reader's levels
 */
public record ShadowLimits(int maxPayloadBytes, int maxStateBytes, int maxStateDepth) {

    public static final @NotNull ShadowLimits DEFAULT = new ShadowLimits(65536, 32768, 8);

    public ShadowLimits {
        if (maxPayloadBytes < 1 || maxPayloadBytes > SafeJson.MAX_DOCUMENT_BYTES) {
            throw new IllegalArgumentException(
                    "maxPayloadBytes must be 1.." + SafeJson.MAX_DOCUMENT_BYTES + ", was " + maxPayloadBytes);
        }
        if (maxStateBytes < 1) {
            throw new IllegalArgumentException("maxStateBytes must be positive, was " + maxStateBytes);
        }
        if (maxStateDepth < 1 || maxStateDepth > SafeJson.MAX_NESTING_DEPTH - 2) {
            throw new IllegalArgumentException(
                    "maxStateDepth must be 1.." + (SafeJson.MAX_NESTING_DEPTH - 2) + ", was " + maxStateDepth);
        }
    }
}
