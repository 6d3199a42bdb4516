package io.shadowmq.sdk;

/**
 * A report could not be buffered: while offline (or held back by pacing) the waiting reports, coalesced, would take
 * more than the buffer's capacity (default 32 KiB, {@link ShadowClientBuilder#offlineBufferBytes}). Reports already
 * in the buffer are kept; the one that did not fit is not sent.
 *
 * <pre>{@code
 * client.reportAsync(patch).exceptionally(e -> {
 *     if (e.getCause() instanceof ShadowBufferFullException) dropOldSamples();
 *     return null;
 * });
 * }</pre>
 */
public final class ShadowBufferFullException extends ShadowException {

    private final int capacityBytes;

    /** Example: {@code new ShadowBufferFullException(32000, 32768)}. */
    public ShadowBufferFullException(int bufferedBytes, int capacityBytes) {
        super(
                "report buffer full: " + bufferedBytes + " of " + capacityBytes
                        + " bytes waiting, and this report does not fit",
                null);
        this.capacityBytes = capacityBytes;
    }

    /** The buffer's bound in bytes. Example: {@code e.capacityBytes() // 32768} */
    public int capacityBytes() {
        return capacityBytes;
    }
}
