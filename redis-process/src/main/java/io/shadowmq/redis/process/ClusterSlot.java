package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its hash tag — the part between the
 * first {@code {} and the next {@code }}, if that part is not empty — modulo 16384. Keys with the same hash tag
 * share a slot, which is what lets one Lua script or MULTI touch them all.
 *
 * <pre>{@code int slot = ClusterSlot.of("shadow:{thing-1}:doc");   // same as ClusterSlot.of("thing-1")}</pre>
 */
public final class ClusterSlot {

    private ClusterSlot() {}

    /** The slot of {@code key}, 0..16383, as {@code CLUSTER KEYSLOT} computes it. */
    public static int of(@NotNull String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        return crc16(bytes, from, to) & (RedisCluster.SLOTS - 1);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection. */
    private static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (bytes[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xFFFF;
    }
}
