package io.shadowmq.sdk.internal;

/**
 * Lets each delta through exactly once, newest only. Deltas reach a device twice by design (pushed when it
 * subscribes, and in the {@code get} the SDK sends after every connect) and may arrive out of order (a delta from the
 * change feed can overtake or trail a {@code get} answer). The gate remembers the highest shadow version it has
 * handed over or seen in a full document, and admits only newer ones.
 *
 * <p>Only deltas and full documents move the gate, not the device's own accepted reports: a report accepted at
 * version 8 says nothing about a wish made at version 7 whose delta is still on its way, and that wish must not be
 * lost. Not thread-safe: the session guards it.
 *
 * <pre>{@code
 * if (gate.admit(delta.version())) listener.onDelta(delta);
 * }</pre>
 */
final class DeltaGate {

    private long highestSeen = -1;

    /** True, once, for a delta newer than anything seen; remembers it. */
    boolean admit(long version) {
        if (version <= highestSeen) {
            return false;
        }
        highestSeen = version;
        return true;
    }

    /**
     * A full document of this version was seen (a {@code get} answer whose delta was empty): any delta of this version
     * or older is stale now.
     */
    void seen(long version) {
        highestSeen = Math.max(highestSeen, version);
    }

    long highestSeen() {
        return highestSeen;
    }
}
