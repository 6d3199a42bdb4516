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
    COMMAND("command"),
    /**
     * A grant of the household was created or revoked; the body is
     * {@code {"grantId","change":"created"|"revoked","grantee","target","timestamp"}}. Every process forgets what it
     * cached of the household's grants ({@code HouseholdGuard#forget}). The entry's thing is the grant's concrete
     * target, else its concrete grantee, else (a grant from a type to a type) the grant id itself, which is shaped
     * as a thing id: an address only, never looked up (see {@code GrantStore}).
     */
    GRANTS("grants");

    private final String wireName;

    FeedEventKind(String wireName) {
        this.wireName = wireName;
    }

    public @NotNull String wireName() {
        return wireName;
    }

    /**
     * Whether every broker node (and service) must hear of it, whatever it watches: a thing's credentials stop working
     * (deleted, secret rotated), or a household's grants changed. Such entries are also appended to the stream every
     * node follows ({@code RedisKeys#everyNodeFeed}).
     */
    public boolean reachesEveryNode() {
        return this == THING_DELETED || this == SECRET_ROTATED || this == GRANTS;
    }

    public static @NotNull Optional<FeedEventKind> fromWireName(@NotNull String name) {
        return Arrays.stream(values())
                .filter(kind -> kind.wireName.equals(name))
                .findFirst();
    }
}
