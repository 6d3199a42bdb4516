package io.shadowmq.store.due;

import org.jetbrains.annotations.NotNull;

/**
 * A member claimed from the {@link DueIndex}: it is the claimer's to run until {@code claimedScore} (epoch ms), and
 * to settle with that score.
 */
public record DueClaim(@NotNull DueMember member, long claimedScore) {}
