package io.shadowmq.store.grant;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The audit trail of each household, in Redis: the newest {@value #MAX_ENTRIES} entries per household, none older
 * than {@value #RETENTION_DAYS} days. Recording never delays or fails the request it records.
 *
 * <pre>{@code
 * store.audit().record(entry);                                   // fire and forget
 * store.audit().list(Owner.of("alice"), 50, null);               // newest first
 * }</pre>
 */
public interface AuditLog {

    int MAX_ENTRIES = 10_000;
    int RETENTION_DAYS = 30;

    /** Appends, in the background; a failure is logged, never thrown. */
    void record(@NotNull AuditEntry entry);

    /** Newest first, at most {@code limit}, older than the entry {@code before} (a previous page's last id). */
    @NotNull
    CompletionStage<Outcome<List<AuditEntry>>> list(@NotNull Owner owner, int limit, @Nullable String before);
}
