package io.shadowmq.store.presence;

import org.jetbrains.annotations.Nullable;

/** Whether a thing is connected now, and when it last connected and disconnected (epoch ms, null if never). */
public record PresenceStatus(
        boolean connected,
        @Nullable Long lastConnectedAt,
        @Nullable Long lastDisconnectedAt) {

    public static final PresenceStatus NEVER_SEEN = new PresenceStatus(false, null, null);
}
