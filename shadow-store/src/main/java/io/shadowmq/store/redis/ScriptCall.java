package io.shadowmq.store.redis;

import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One typed call of a Lua script: its named arguments, turned into KEYS and ARGV in the script's order
 * ({@link #arguments()}), and the parse of its answer into one typed reply ({@link #reply}), so that no caller builds
 * positional lists or looks at the script's raw strings.
 *
 * @param <R> the typed reply
 */
public interface ScriptCall<R> {

    /** The script's resource name ({@code update} for {@code update.lua}). */
    @NotNull
    String script();

    /** KEYS and ARGV, named, in the order the script reads them. */
    @NotNull
    ScriptArguments arguments();

    /**
     * Parses the script's answer (its Lua table as strings and longs).
     *
     * @throws RuntimeException when the answer is not one the script gives (a bug: the caller's StoreCall maps it to 500)
     */
    @NotNull
    R reply(@NotNull List<Object> answer);
}
