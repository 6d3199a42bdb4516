package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.store.feed.FeedEvent;
import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Server-Sent Events wire form of change-feed events. Every event carries {@code id:} (the feed id, for
 * {@code Last-Event-ID}), {@code event:} (its name) and one {@code data:} line of compact JSON (which never contains a
 * line break), always with the {@code thingId}:
 *
 * <pre>
 * id: 1732550000000-0
 * event: shadow
 * data: {"thingId":"car-1","previous":{...},"current":{...},"timestamp":1732550000000}
 * </pre>
 *
 * <p>Names: {@code shadow} (the {@code update/documents} payload), {@code presence}
 * ({@code {"thingId","connected","timestamp"}}), {@code shadow-deleted} ({@code {"thingId","version","timestamp"}}),
 * {@code thing-deleted} ({@code {"thingId","timestamp"}}), {@code command} (a command's state message,
 * {@code {"commandId","thingId","action","status","progress"?,"output"?,"reason"?,"timestamp"}}, at each of its
 * transitions). Secret rotations are the brokers' business and not shown. A live query's {@code enter} and
 * {@code leave} ({@link LiveQuery}) are framed here too ({@link #frame}), with the id of the feed event they judge.
 */
final class SseFrames {

    static final byte[] CONNECTED = comment("connected");
    static final byte[] HEARTBEAT = comment("heartbeat");

    private SseFrames() {}

    /** The frame of an event, or empty for kinds SSE clients do not see. */
    static @NotNull Optional<byte[]> event(@NotNull FeedEvent event) {
        return event(event, event.body());
    }

    /** As {@link #event(FeedEvent)}, with {@code body} in place of the event's (a shadow document pruned for a reader). */
    static @NotNull Optional<byte[]> event(@NotNull FeedEvent event, @NotNull ObjectNode body) {
        ObjectNode data = SafeJson.object();
        data.put("thingId", event.thing().value());
        String name;
        switch (event.kind()) {
            case SHADOW_UPDATED -> {
                name = "shadow";
                data.setAll(body);
            }
            case PRESENCE -> {
                name = "presence";
                data.set("connected", body.get("connected"));
                data.set("timestamp", body.get("timestamp"));
            }
            case SHADOW_DELETED -> {
                name = "shadow-deleted";
                data.set("version", body.get("version"));
                data.set("timestamp", body.get("timestamp"));
            }
            case THING_DELETED -> {
                name = "thing-deleted";
                data.set("timestamp", body.get("timestamp"));
            }
            case COMMAND -> {
                name = "command";
                data.setAll(body);
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(frame(event.id(), name, data));
    }

    /** The frame of one event: its id (a feed id), its name and its data as one line of compact JSON. */
    static byte @NotNull [] frame(@NotNull String id, @NotNull String name, @NotNull ObjectNode data) {
        String frame = "id: " + id + "\nevent: " + name + "\ndata: " + SafeJson.writeString(data) + "\n\n";
        return frame.getBytes(StandardCharsets.UTF_8);
    }

    static byte @NotNull [] comment(@NotNull String text) {
        return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
