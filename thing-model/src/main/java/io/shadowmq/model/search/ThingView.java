package io.shadowmq.model.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.shadowmq.model.shadow.ShadowDocument;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What a search sees of one thing: its registration ({@code thingId}, {@code type}, {@code owner}), whether it is
 * connected now, and its shadow. A filter ({@link Filter#matches}) and a projection ({@link Projection#apply}) read
 * nothing else, so the store decides what to load.
 *
 * @param document the shadow, null for a thing without one (it then has no state and no metadata values)
 */
public record ThingView(
        @NotNull String thingId,
        @NotNull String type,
        @NotNull String owner,
        boolean connected,
        @Nullable ShadowDocument document) {

    static final String THING_ID = "thingId";
    static final String CONNECTED = "connected";
    static final String STATE_REPORTED = "state.reported.";
    static final String STATE_DESIRED = "state.desired.";
    static final String METADATA_REPORTED = "metadata.reported.";
    static final String METADATA_DESIRED = "metadata.desired.";

    public ThingView {
        if (thingId == null || type == null || owner == null) {
            throw new IllegalArgumentException("thingId, type and owner must not be null");
        }
    }

    /**
     * The value a filter sees at a filter path ({@code thingId}, {@code connected},
     * {@code state.reported.fuel.level}, {@code metadata.reported.fuel.level.timestamp}): a number, a boolean or a
     * string, exactly what the index would keep ({@link SearchSchema#isIndexable}); null when the thing has none
     * there (no shadow, no such member, or an object, an array or null in its place). The document's own node: do
     * not mutate it.
     */
    public @Nullable JsonNode valueAt(@NotNull String path) {
        JsonNode node = nodeAt(path);
        return SearchSchema.isIndexable(node) ? node : null;
    }

    /**
     * Whatever is at a filter path, objects included ({@code state.reported.cabin}); missing when nothing. Paths
     * outside the built-ins and the four document sections name nothing.
     */
    @NotNull
    JsonNode nodeAt(@NotNull String path) {
        switch (path) {
            case THING_ID:
                return TextNode.valueOf(thingId);
            case SearchSchema.TYPE:
                return TextNode.valueOf(type);
            case SearchSchema.OWNER:
                return TextNode.valueOf(owner);
            case CONNECTED:
                return BooleanNode.valueOf(connected);
            default:
                break;
        }
        if (document == null) {
            return MissingNode.getInstance();
        }
        if (path.startsWith(STATE_REPORTED)) {
            return SearchSchema.at(document.reported(), path.substring(STATE_REPORTED.length()));
        }
        if (path.startsWith(STATE_DESIRED)) {
            return SearchSchema.at(document.desired(), path.substring(STATE_DESIRED.length()));
        }
        if (path.startsWith(METADATA_REPORTED)) {
            return SearchSchema.at(document.reportedMetadata(), path.substring(METADATA_REPORTED.length()));
        }
        if (path.startsWith(METADATA_DESIRED)) {
            return SearchSchema.at(document.desiredMetadata(), path.substring(METADATA_DESIRED.length()));
        }
        return MissingNode.getInstance();
    }
}
