package io.shadowmq.store.redis;

import org.jetbrains.annotations.NotNull;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A script's signature as its own header declares it ({@code -- KEYS: a b c?} and {@code -- ARGV: ...} lines; a name
 * ending in {@code ?} is passed only where the feed entry is appended in the script, {@code ...} is a list), checked
 * against what a typed call produces and against the {@code KEYS[n]}/{@code ARGV[n]} the script's code reads.
 */
public final class ScriptSignature {

    private static final Pattern INDEXED = Pattern.compile("(KEYS|ARGV)\\[(\\d+)]|unpack\\(ARGV, (\\d+)\\)");

    private final String script;
    private final String source;
    private final List<String> keys;
    private final List<String> args;

    private ScriptSignature(String script, String source, List<String> keys, List<String> args) {
        this.script = script;
        this.source = source;
        this.keys = keys;
        this.args = args;
    }

    public static @NotNull ScriptSignature of(@NotNull String script) {
        String source = LuaScript.source(script);
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (String line : source.split("\n")) {
            if (line.startsWith("-- KEYS: ")) {
                keys.addAll(names(line.substring("-- KEYS: ".length())));
            } else if (line.startsWith("-- ARGV: ")) {
                args.addAll(names(line.substring("-- ARGV: ".length())));
            }
        }
        assertThat(keys)
                .as(script + ".lua declares its KEYS in a '-- KEYS:' line")
                .isNotEmpty();
        return new ScriptSignature(script, source, keys, args);
    }

    private static List<String> names(String declared) {
        return declared.strip().equals("(none)")
                ? List.of()
                : Arrays.asList(declared.strip().split("\\s+"));
    }

    /**
     * Asserts that {@code call} produces exactly the declared names in the declared order — with the optional ones
     * when {@code withOptional}, else without — and, for a record call, that each argument named like one of its
     * components carries that component's value.
     */
    public void assertProducedBy(@NotNull ScriptCall<?> call, boolean withOptional) {
        assertThat(call.script()).isEqualTo(script);
        ScriptArguments arguments = call.arguments();
        assertThat(arguments.keyNames()).as(script + " KEYS, in order").isEqualTo(expected(keys, withOptional));
        assertThat(arguments.argNames()).as(script + " ARGV, in order").isEqualTo(expected(args, withOptional));
        assertThat(arguments.keys())
                .as(script + " keys given")
                .hasSize(arguments.keyNames().size());
        if (call instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (arguments.argNames().contains(component.getName())) {
                    assertThat(arguments.arg(component.getName()))
                            .as(script + " ARGV " + component.getName())
                            .isEqualTo(asArgument(valueOf(component, record)));
                }
            }
        }
    }

    /**
     * Asserts that the code of the script reads the declared positions: its highest {@code KEYS[n]} is the last key
     * and its highest {@code ARGV[n]} the last single argument; a list is read with {@code unpack(ARGV, n)} at its
     * declared position.
     */
    public void assertReadByCode() {
        int highestKey = 0;
        int highestArg = 0;
        int unpackedFrom = 0;
        Matcher matcher = INDEXED.matcher(codeOf(source));
        while (matcher.find()) {
            if (matcher.group(3) != null) {
                unpackedFrom = Integer.parseInt(matcher.group(3));
            } else if (matcher.group(1).equals("KEYS")) {
                highestKey = Math.max(highestKey, Integer.parseInt(matcher.group(2)));
            } else {
                highestArg = Math.max(highestArg, Integer.parseInt(matcher.group(2)));
            }
        }
        List<String> all = expected(args, true);
        int singles = (int) all.stream().filter(name -> !name.endsWith("...")).count();
        assertThat(highestKey)
                .as(script + ": highest KEYS[n] read is the last declared key")
                .isEqualTo(keys.size());
        assertThat(highestArg)
                .as(script + ": highest ARGV[n] read is the last declared single argument")
                .isEqualTo(singles);
        if (singles < all.size()) {
            assertThat(unpackedFrom)
                    .as(script + ": the list is unpacked where it is declared")
                    .isEqualTo(singles + 1);
        }
    }

    private static String codeOf(String source) {
        StringBuilder code = new StringBuilder();
        for (String line : source.split("\n")) {
            int comment = line.indexOf("--");
            code.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return code.toString();
    }

    private static List<String> expected(List<String> declared, boolean withOptional) {
        return declared.stream()
                .filter(name -> withOptional || !name.endsWith("?"))
                .map(name -> name.endsWith("?") ? name.substring(0, name.length() - 1) : name)
                .toList();
    }

    private static Object valueOf(RecordComponent component, Record record) {
        try {
            java.lang.reflect.Method accessor = component.getAccessor();
            accessor.setAccessible(true); // the calls are package-private records of their stores
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static String asArgument(Object value) {
        if (value instanceof Boolean flag) {
            return flag ? "1" : "0";
        }
        return String.valueOf(value);
    }
}
