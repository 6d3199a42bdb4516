package io.shadowmq.store.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.store.Futures;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.redis.StoredJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link AuditLog} on Redis: one stream per household ({@link RedisKeys#audit}, in the household's slot), appended
 * and trimmed by one script ({@code audit-append.lua}: about the newest {@code keep} entries, none older than the
 * retention before the newest). The stream id is the entry's id and the paging cursor.
 *
 * <pre>{@code
 * audit.record(new AuditEntry("", now, owner, "thing:speaker-1", "car-1", "write", List.of("cabin.heater.isOn"), 403));
 * audit.list(owner, 50, null);      // newest first; the next page: list(owner, 50, lastId)
 * }</pre>
 *
 * <p>Recording is fire-and-forget: a failure is logged once (and once more when recording works again), never
 * thrown, and never delays the request recorded.
 */
public final class RedisAuditLog implements AuditLog {

    private static final Logger log = LoggerFactory.getLogger(RedisAuditLog.class);

    /** The most entries one {@link #list} call answers. */
    public static final int MAX_PAGE = 1000;

    private static final Pattern CURSOR = Pattern.compile("^(\\d{1,19})-(\\d{1,19})$");

    private final RedissonClient redis;
    private final StoreCall call;
    private final LuaScript appendScript;
    private final int keep;
    private final Duration retention;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** Keeps {@value AuditLog#MAX_ENTRIES} entries per household for {@value AuditLog#RETENTION_DAYS} days. */
    public RedisAuditLog(@NotNull RedissonClient redis, @NotNull StoreCall call) {
        this(redis, call, MAX_ENTRIES, Duration.ofDays(RETENTION_DAYS));
    }

    /** Keeps about {@code keep} entries per household (trimmed by whole stream nodes), none older than retention. */
    public RedisAuditLog(
            @NotNull RedissonClient redis, @NotNull StoreCall call, int keep, @NotNull Duration retention) {
        this.redis = redis;
        this.call = call;
        this.keep = keep;
        this.retention = retention;
        this.appendScript = LuaScript.load(redis, GrantCalls.Append.SCRIPT);
    }

    @Override
    public void record(@NotNull AuditEntry entry) {
        ArrayNode paths = SafeJson.mapper().createArrayNode();
        entry.paths().forEach(paths::add);
        List<String> fields = List.of(
                "at", Long.toString(entry.at()),
                "actor", entry.actor(),
                "target", entry.target(),
                "operation", entry.operation(),
                "paths", SafeJson.writeString(paths),
                "code", Integer.toString(entry.code()));
        GrantCalls.Append append =
                new GrantCalls.Append(RedisKeys.audit(entry.owner()), keep, retention.toMillis(), fields);
        Futures.whenComplete(
                call.run("audit record", appendScript.call(append), Outcome::ok),
                log,
                "audit record",
                (recorded, error) -> {
                    if (recorded instanceof Outcome.Ok<String>) {
                        if (failing.compareAndSet(true, false)) {
                            log.info("audit trail: recording works again");
                        }
                    } else if (failing.compareAndSet(false, true)) {
                        log.warn(
                                "audit trail: recording failed, entries are lost until it works again: {}",
                                recorded instanceof Outcome.Rejected<String> no
                                        ? no.rejection().message()
                                        : String.valueOf(error));
                    }
                });
    }

    @Override
    public @NotNull CompletionStage<Outcome<List<AuditEntry>>> list(
            @NotNull Owner owner, int limit, @Nullable String before) {
        if (limit < 1 || limit > MAX_PAGE) {
            return done(Outcome.rejected(Rejection.malformed("limit: must be 1.." + MAX_PAGE + ", was " + limit)));
        }
        StreamMessageId from = StreamMessageId.MAX;
        if (before != null) {
            Matcher cursor = CURSOR.matcher(before);
            if (!cursor.matches()) {
                return done(Outcome.rejected(Rejection.malformed("before: not a cursor this service issued")));
            }
            try {
                from = new StreamMessageId(Long.parseLong(cursor.group(1)), Long.parseLong(cursor.group(2)));
            } catch (NumberFormatException e) {
                return done(Outcome.rejected(Rejection.malformed("before: not a cursor this service issued")));
            }
        }
        StreamMessageId after = before == null ? null : from;
        // Inclusive of the cursor's own entry, dropped here: one more than the page is asked for.
        return call.run(
                "audit list",
                redis.<String, String>getStream(RedisKeys.audit(owner), StringCodec.INSTANCE)
                        .rangeReversedAsync(before == null ? limit : limit + 1, from, StreamMessageId.MIN),
                entries -> {
                    List<AuditEntry> page = new ArrayList<>();
                    for (Map.Entry<StreamMessageId, Map<String, String>> entry : entries.entrySet()) {
                        if (entry.getKey().equals(after) || page.size() == limit) {
                            continue;
                        }
                        page.add(parse(owner, entry.getKey().toString(), entry.getValue()));
                    }
                    return Outcome.ok(List.copyOf(page));
                });
    }

    private static AuditEntry parse(Owner owner, String id, Map<String, String> fields) {
        List<String> paths = new ArrayList<>();
        String storedPaths = fields.get("paths");
        if (storedPaths != null) {
            JsonNode array = StoredJson.read(storedPaths);
            array.forEach(path -> paths.add(path.asText()));
        }
        return new AuditEntry(
                id,
                Long.parseLong(fields.getOrDefault("at", "0")),
                owner,
                fields.getOrDefault("actor", ""),
                fields.getOrDefault("target", ""),
                fields.getOrDefault("operation", ""),
                paths,
                Integer.parseInt(fields.getOrDefault("code", "0")));
    }

    private static <T> CompletionStage<Outcome<T>> done(Outcome<T> outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
