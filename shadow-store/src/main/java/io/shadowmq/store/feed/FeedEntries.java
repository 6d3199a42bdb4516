package io.shadowmq.store.feed;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.stream.StreamMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a feed event is written into a stream entry and read back: the entry's fields, and stream ids. The one place
 * that knows the entry layout, for appends from Java, appends inside scripts and every reader.
 */
final class FeedEntries {

    private static final Logger log = LoggerFactory.getLogger(FeedEntries.class);

    private static final String FIELD_KIND = "kind";
    private static final String FIELD_THING = "thing";
    private static final String FIELD_OWNER = "owner";
    private static final String FIELD_VERSION = "version";
    private static final String FIELD_NEW_DELTA = "newDelta";
    private static final String FIELD_BODY = "body";

    private FeedEntries() {}

    /**
     * The fields of one entry, as field-value pairs in stream order: what an append from Java writes, and what a
     * script that appends inside its own transaction passes to {@code XADD}.
     */
    static @NotNull List<String> fields(@NotNull FeedChange change) {
        List<String> fields = new ArrayList<>(12);
        fields.add(FIELD_KIND);
        fields.add(change.kind().wireName());
        fields.add(FIELD_THING);
        fields.add(change.thing().value());
        fields.add(FIELD_OWNER);
        fields.add(change.owner().value());
        fields.add(FIELD_VERSION);
        fields.add(Long.toString(change.version()));
        Boolean newDelta = change.newDelta();
        if (newDelta != null) {
            fields.add(FIELD_NEW_DELTA);
            fields.add(newDelta ? "1" : "0");
        }
        fields.add(FIELD_BODY);
        fields.add(change.body());
        return fields;
    }

    /** Field-value pairs as the map an {@code XADD} from Java takes, in order. */
    static @NotNull Map<String, String> asMap(@NotNull List<String> pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            fields.put(pairs.get(i), pairs.get(i + 1));
        }
        return fields;
    }

    /** Whether a string is a stream id the feed could have issued ({@code ms-seq}). */
    static boolean isValidId(@Nullable String id) {
        return id != null && id.matches("^\\d{1,19}-\\d{1,19}$");
    }

    static @NotNull StreamMessageId parseId(@NotNull String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a feed id: " + id);
        }
        int dash = id.indexOf('-');
        return new StreamMessageId(
                Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    static @NotNull List<FeedEvent> toEvents(
            int partition, @NotNull Map<StreamMessageId, Map<String, String>> entries) {
        List<FeedEvent> events = new ArrayList<>(entries.size());
        for (Map.Entry<StreamMessageId, Map<String, String>> entry : entries.entrySet()) {
            toEvent(partition, entry.getKey(), entry.getValue()).ifPresent(events::add);
        }
        return events;
    }

    /** The event of one entry; empty (logged) for an entry no event can be read from. */
    static @NotNull Optional<FeedEvent> toEvent(
            int partition, @NotNull StreamMessageId id, @NotNull Map<String, String> fields) {
        try {
            Optional<FeedEventKind> kind = FeedEventKind.fromWireName(String.valueOf(fields.get(FIELD_KIND)));
            String body = fields.get(FIELD_BODY);
            if (kind.isEmpty() || body == null) {
                log.warn("skipping feed entry {} of partition {}: unknown kind or no body", id, partition);
                return Optional.empty();
            }
            String newDelta = fields.get(FIELD_NEW_DELTA);
            return Optional.of(new FeedEvent(
                    id.toString(),
                    partition,
                    kind.get(),
                    ThingId.of(fields.get(FIELD_THING)),
                    Owner.of(fields.get(FIELD_OWNER)),
                    Long.parseLong(fields.get(FIELD_VERSION)),
                    body,
                    newDelta == null ? null : newDelta.equals("1")));
        } catch (RuntimeException e) {
            log.warn("skipping unreadable feed entry {} of partition {}: {}", id, partition, e.getMessage());
            return Optional.empty();
        }
    }
}
