package io.shadowmq.store.redis;

import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The KEYS and ARGV of one script call, each value added under its name in the order the script reads them. The
 * names are those of the script's own signature lines ({@code -- KEYS: ...} and {@code -- ARGV: ...} in its header),
 * which a test compares with what each typed call produces: a call can build its lists only through here, so a
 * swapped pair shows as swapped names.
 *
 * <p>A trailing variable part (the fields of a feed entry) is added with {@link #argTail}; its name ends in
 * {@code ...}, as in the signature.
 */
public final class ScriptArguments {

    private final List<String> keyNames = new ArrayList<>(6);
    private final List<Object> keys = new ArrayList<>(6);
    private final List<String> argNames = new ArrayList<>(16);
    private final List<Object> args = new ArrayList<>(16);
    private boolean tailAdded;

    /** Adds the next key. */
    public @NotNull ScriptArguments key(@NotNull String name, @NotNull String key) {
        keyNames.add(name);
        keys.add(key);
        return this;
    }

    /** Adds the next argument; numbers are passed as their decimal text. */
    public @NotNull ScriptArguments arg(@NotNull String name, @NotNull Object value) {
        if (tailAdded) {
            throw new IllegalStateException("argument " + name + " after the variable tail");
        }
        argNames.add(name);
        args.add(value.toString());
        return this;
    }

    /** Adds a flag as the scripts read one: {@code '1'} or {@code '0'}. */
    public @NotNull ScriptArguments flag(@NotNull String name, boolean value) {
        return arg(name, value ? "1" : "0");
    }

    /** Adds the variable tail of the arguments (named {@code name...}): every value of {@code values}, in order. */
    public @NotNull ScriptArguments argTail(@NotNull String name, @NotNull List<String> values) {
        argNames.add(name + "...");
        args.addAll(values);
        tailAdded = true;
        return this;
    }

    public @NotNull List<Object> keys() {
        return Collections.unmodifiableList(keys);
    }

    public @NotNull Object[] args() {
        return args.toArray();
    }

    /** The names of the keys, in order (the script's {@code -- KEYS:} line). */
    public @NotNull List<String> keyNames() {
        return List.copyOf(keyNames);
    }

    /** The names of the arguments, in order, the tail once as {@code name...} (the script's {@code -- ARGV:} line). */
    public @NotNull List<String> argNames() {
        return List.copyOf(argNames);
    }

    /** The value of the argument named {@code name} (tests: which value went where). */
    public @NotNull Object arg(@NotNull String name) {
        int index = argNames.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no argument " + name + " in " + argNames);
        }
        return args.get(index);
    }
}
