package io.shadowmq.store.shadow;

import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A thing with its shadow as read together: its type, its owner and its document ({@code null} when it has no
 * shadow).
 */
public record ThingShadow(
        @NotNull String type,
        @NotNull Owner owner,
        @Nullable ShadowDocument document) {}
