package io.shadowmq.store.feed;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Optional;

/** What a change-feed entry says happened. The wire name is what the stream and SSE clients see. */
public enum FeedEventKind {
    /** An accepted shadow update; the body is the {@code update/documents} payload. */
    SHADOW_UPDATED("shadow"),
    /** A deleted shadow; the body is {@code {"version":N,"timestamp":ms}}. */
    SHADOW_DELETED("shadow-deleted"),
    /** A thing connected or disconnected; the body is {@code {"connected":bool,"timestamp":ms}}. */
    PRESENCE("presence"),
    /** A thing was deprovisioned: brokers disconnect it and forget its cached credentials. */
    THING_DELETED("thing-deleted"),
    /** A thing's secret was rotated: brokers disconnect it and forget its cached credentials. */
    SECRET_ROTATED("secret-rotated"),
    /**
     * A command was invoked or changed status; the body is the command's state message
     * ({@code {"commandId","thingId","action","status","progress"?,"output"?,"reason"?,"timestamp"}}). A new command
     * (queued) or a final status also tells the thing's broker that something may now be deliverable.
     */
    COMMAND("command");

    private final String wireName;

    FeedEventKind(String wireName) {
        this.wireName = wireName;
    }

    public @NotNull String wireName() {
        return wireName;
    }

    /** Whether every broker node must hear of it, whatever it watches: the thing's credentials stop working. */
    public boolean changesCredentials() {
        return this == THING_DELETED || this == SECRET_ROTATED;
    }

    public static @NotNull Optional<FeedEventKind> fromWireName(@NotNull String name) {
        return Arrays.stream(values())
                .filter(kind -> kind.wireName.equals(name))
                .findFirst();
    }
}
