package io.shadowmq.store.redis;

import org.jetbrains.annotations.NotNull;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script kept under {@code resources/io/shadowmq/store/redis/NAME.lua}. Redisson runs it with EVALSHA
 * (script cache on) and loads it on a NOSCRIPT answer, so a Redis restart is transparent. All keys a script touches
 * are passed in KEYS and share one hash tag, which keeps it valid on Redis Cluster.
 *
 * <p>A script is called through one typed call ({@link ScriptCall}: named arguments in the order of the script's
 * {@code -- KEYS:} / {@code -- ARGV:} header lines, one parsed reply) with {@link #call}; the positional
 * {@link #run} is what that is built on.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final RedissonClient redis;
    private final RScript script;
    private final boolean onCluster;

    private LuaScript(String name, String source, RedissonClient redis) {
        this.name = name;
        this.source = source;
        this.redis = redis;
        this.script = redis.getScript(StringCodec.INSTANCE);
        this.onCluster = redis.getConfig().isClusterConfig();
    }

    public static @NotNull LuaScript load(@NotNull RedissonClient redis, @NotNull String name) {
        return new LuaScript(name, read(name), redis);
    }

    /**
     * The script {@code name} after the {@code libraries} scripts (functions they share), as one script:
     * {@code LuaScript.load(redis, "presence-connected", "presence-sessions")}.
     */
    public static @NotNull LuaScript load(
            @NotNull RedissonClient redis, @NotNull String name, @NotNull String... libraries) {
        StringBuilder source = new StringBuilder();
        for (String library : libraries) {
            source.append(read(library)).append('\n');
        }
        return new LuaScript(name, source.append(read(name)).toString(), redis);
    }

    /** The text of script {@code name} as kept in the jar (tests read its signature lines). */
    public static @NotNull String source(@NotNull String name) {
        return read(name);
    }

    private static String read(String name) {
        String resource = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + resource, e);
        }
    }

    /**
     * Runs one typed call of this script; the answer is its typed reply (a reply that does not parse fails the stage).
     *
     * @throws IllegalArgumentException when {@code call} is for another script
     */
    public <R> @NotNull CompletionStage<R> call(@NotNull ScriptCall<R> call) {
        ScriptArguments arguments = argumentsOf(call);
        return run(arguments.keys(), arguments.args()).thenApply(call::reply);
    }

    /** As {@link #call}, followed by {@code WAIT replicaAcks} (see {@link #runReplicated}). */
    public <R> @NotNull CompletionStage<R> callReplicated(
            @NotNull ScriptCall<R> call, int replicaAcks, @NotNull Duration ackTimeout) {
        ScriptArguments arguments = argumentsOf(call);
        return runReplicated(arguments.keys(), replicaAcks, ackTimeout, arguments.args())
                .thenApply(call::reply);
    }

    private ScriptArguments argumentsOf(ScriptCall<?> call) {
        if (!call.script().equals(name)) {
            throw new IllegalArgumentException("a call of script " + call.script() + " given to " + this);
        }
        return call.arguments();
    }

    /**
     * Runs the script; the answer is the script's Lua table as a list of strings and longs.
     *
     * @throws IllegalArgumentException on a Redis Cluster, if the keys lie in more than one slot: a bug of the
     *                                  caller, named here with each key's slot rather than left to Redis' CROSSSLOT
     *                                  (one server takes such keys: there scripts also append to the change feed)
     */
    public @NotNull CompletionStage<List<Object>> run(@NotNull List<Object> keys, @NotNull Object... args) {
        if (onCluster) {
            RedisKeys.requireOneSlot(name, keys);
        }
        return script.evalAsync(
                keys.get(0).toString(), RScript.Mode.READ_WRITE, source, RScript.ReturnType.LIST, keys, args);
    }

    /**
     * Runs the script and then {@code WAIT replicaAcks} on the same connection (a Redisson batch with replica sync):
     * the answer comes once that many replicas of the keys' master have the write.
     *
     * @param replicaAcks 0 runs as {@link #run(List, Object...)}
     * @param ackTimeout  how long WAIT waits; fewer replicas by then fail the stage (the write may have been applied)
     */
    public @NotNull CompletionStage<List<Object>> runReplicated(
            @NotNull List<Object> keys, int replicaAcks, @NotNull Duration ackTimeout, @NotNull Object... args) {
        if (replicaAcks == 0) {
            return run(keys, args);
        }
        if (onCluster) {
            RedisKeys.requireOneSlot(name, keys);
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults().sync(replicaAcks, ackTimeout));
        CompletionStage<List<Object>> answer = batch.getScript(StringCodec.INSTANCE)
                .evalAsync(
                        keys.get(0).toString(), RScript.Mode.READ_WRITE, source, RScript.ReturnType.LIST, keys, args);
        return batch.executeAsync().thenCompose(result -> {
            if (result.getSyncedSlaves() < replicaAcks) {
                // Redisson reports how many replicas confirmed but does not fail the batch itself.
                return CompletableFuture.failedFuture(new RedisException("script " + name + ": "
                        + result.getSyncedSlaves() + " of " + replicaAcks + " replicas confirmed the write within "
                        + ackTimeout.toMillis() + " ms"));
            }
            return answer;
        });
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + "]";
    }
}
