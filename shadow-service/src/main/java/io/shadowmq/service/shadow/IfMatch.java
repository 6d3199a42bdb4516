package io.shadowmq.service.shadow;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code If-Match} precondition of a shadow PATCH (RFC 9110 §13.1.1). A shadow's entity tag is its version,
 * {@code "N"}; the header is absent, {@code *} (the shadow must exist), or a list of tags. Weak tags and tags that
 * are no version can never match (If-Match compares strongly), so they fail the precondition: 412.
 *
 * <pre>{@code
 * IfMatch.parse("\"7\"")   // Ok(Version[7])
 * IfMatch.parse("W/\"7\"") // Ok(Never)
 * IfMatch.parse("7")       // Rejected(400 "If-Match: ...")
 * }</pre>
 */
public sealed interface IfMatch {

    /** No precondition. */
    record Absent() implements IfMatch {}

    /** {@code *}: any version, but the shadow must exist. */
    record Any() implements IfMatch {}

    /** The shadow's version must be this one. */
    record Version(long version) implements IfMatch {}

    /** Only tags that can never match were given. */
    record Never() implements IfMatch {}

    /** {@code W/"x"} or {@code "x"}, the opaque part without {@code "} as RFC 9110 etagc requires. */
    Pattern ENTITY_TAG = Pattern.compile("^(W/)?\"([\\x21\\x23-\\x7e\\x80-\\xff]*)\"$");

    Pattern VERSION = Pattern.compile("^(0|[1-9][0-9]{0,17})$");

    /** The entity tag of a shadow at {@code version}. */
    static @NotNull String tagOf(long version) {
        return "\"" + version + "\"";
    }

    static @NotNull Outcome<IfMatch> parse(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return Outcome.ok(new Absent());
        }
        if (header.strip().equals("*")) {
            return Outcome.ok(new Any());
        }
        List<Long> versions = new ArrayList<>();
        for (String part : header.split(",")) {
            Matcher tag = ENTITY_TAG.matcher(part.strip());
            if (!tag.matches()) {
                return Outcome.rejected(Rejection.malformed(
                        "If-Match: expected * or entity tags like \"7\", got '" + ThingId.printable(header) + "'"));
            }
            if (tag.group(1) == null && VERSION.matcher(tag.group(2)).matches()) {
                versions.add(Long.parseLong(tag.group(2)));
            }
        }
        if (versions.size() > 1) {
            return Outcome.rejected(Rejection.malformed("If-Match: give one version, a shadow has only one"));
        }
        return Outcome.ok(versions.isEmpty() ? new Never() : new Version(versions.get(0)));
    }
}
