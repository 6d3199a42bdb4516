package io.shadowmq.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jetbrains.annotations.NotNull;

/**
 * Reads JSON that this store wrote itself (documents with their metadata, replay records). It is not untrusted
 * input, and a document plus its metadata may legitimately exceed the 64 KiB cap that {@code SafeJson} puts on
 * requests, so it gets its own, roomier limits.
 */
public final class StoredJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(4L * 1024 * 1024)
                        .maxNestingDepth(64)
                        .build());
    }

    private StoredJson() {}

    public static @NotNull JsonNode read(@NotNull String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
