package io.shadowmq.service.events;

import org.jetbrains.annotations.NotNull;

/**
 * Order of change-feed ids ({@code <ms>-<seq>}, Redis stream ids) within one partition. Compared as numbers, not as
 * text: {@code 999-0} comes before {@code 1000-0}.
 */
final class FeedIds {

    private FeedIds() {}

    /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b}. */
    static int compare(@NotNull String a, @NotNull String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byMillis = Long.compareUnsigned(
                Long.parseUnsignedLong(a.substring(0, dashA)), Long.parseUnsignedLong(b.substring(0, dashB)));
        if (byMillis != 0) {
            return byMillis;
        }
        return Long.compareUnsigned(
                Long.parseUnsignedLong(a.substring(dashA + 1)), Long.parseUnsignedLong(b.substring(dashB + 1)));
    }
}
