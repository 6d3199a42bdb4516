package io.shadowmq.model.summary;

/** Whether the thing is connected now, as the store's presence says; {@link #UNKNOWN} leaves it unsaid. */
public enum Presence {
    CONNECTED,
    DISCONNECTED,
    UNKNOWN
}
