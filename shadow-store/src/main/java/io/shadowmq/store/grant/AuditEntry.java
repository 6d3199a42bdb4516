package io.shadowmq.store.grant;

import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One line of a household's audit trail: who read or changed what across things, and what the platform answered.
 *
 * @param id        the trail's cursor for this entry (made by the store; empty before it is recorded)
 * @param at        epoch milliseconds
 * @param actor     the requester, {@code thing:speaker-1}, {@code key:3f9a0c}, {@code admin}, {@code schedule:...}
 * @param target    the thing read or changed (a grant's id for grant changes)
 * @param operation {@code read} (get, documents subscription, summary), {@code write} (desired), {@code invoke},
 *                  {@code grant}, {@code revoke}
 * @param paths     the paths written or refused, the action invoked; empty for whole reads
 * @param code      200 when done, else the refusal's code (403 ...)
 */
public record AuditEntry(
        @NotNull String id,
        long at,
        @NotNull Owner owner,
        @NotNull String actor,
        @NotNull String target,
        @NotNull String operation,
        @NotNull List<String> paths,
        int code) {

    public AuditEntry {
        paths = List.copyOf(paths);
    }
}
