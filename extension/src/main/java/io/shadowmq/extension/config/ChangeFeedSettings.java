package io.shadowmq.extension.config;

import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.settings.StoreSetting;

/**
 * The change feed as this broker writes and reads it: {@code <feed>} in {@code conf/config.xml}, the store settings
 * {@code feed.partitions} and {@code feed.maxLength} ({@link StoreSetting}).
 * <pre>{@code new ChangeFeedSettings(8, 100_000)  // the default}</pre>
 *
 * @param partitions how many feed streams households are spread over; the same on every broker and REST service of
 *                   one installation (checked at start against the platform record in Redis)
 * @param maxLength  approximate number of entries each stream keeps (every writer trims to it)
 */
public record ChangeFeedSettings(int partitions, long maxLength) {

    public static final ChangeFeedSettings DEFAULT =
            new ChangeFeedSettings(StoreConfig.DEFAULT_FEED_PARTITIONS, StoreConfig.DEFAULT_FEED_MAX_LENGTH);
    public static final int MAX_PARTITIONS = StoreSetting.MAX_FEED_PARTITIONS;
    public static final long MIN_MAX_LENGTH = StoreSetting.MIN_FEED_MAX_LENGTH;

    public ChangeFeedSettings {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1.." + MAX_PARTITIONS + ", was " + partitions);
        }
        if (maxLength < MIN_MAX_LENGTH) {
            throw new IllegalArgumentException("max length must be at least " + MIN_MAX_LENGTH + ", was " + maxLength);
        }
    }
}
