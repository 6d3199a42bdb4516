package io.shadowmq.store.platform;

/**
 * A setting every broker and REST service of one installation must share, checked against the platform record at
 * start ({@link PlatformRecord}). Each node names it in its own vocabulary when it refuses to run: the extension
 * {@code <pepper>}, the REST service {@code store.pepper}, and so on.
 */
public enum SharedSetting {
    /** The HMAC key of secrets: a node with another pepper would refuse every device and issue secrets no one else accepts. */
    PEPPER,
    /** How many change-feed streams households are spread over: a node with another number writes and reads the wrong ones. */
    FEED_PARTITIONS,
    /**
     * How the node reaches Redis: one server (standalone or through Sentinel) or a Redis Cluster. A node that talks
     * to a Cluster node as to one server fails on every key another node holds, and commits changes without their feed
     * entries' separate append.
     */
    REDIS_TOPOLOGY
}
