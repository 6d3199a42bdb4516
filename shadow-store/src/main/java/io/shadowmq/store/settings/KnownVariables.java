package io.shadowmq.store.settings;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code SHADOWMQ_*} environment variable some part of ShadowMQ reads, and the check that reports the others
 * at start: one environment file serves every process, so a variable neither process knows is a typo that would
 * otherwise silently leave a default in place.
 * <pre>{@code
 * for (String line : KnownVariables.unknown(System.getenv())) {
 *     log.warn(line);   // "unknown environment variable SHADOWMQ_FEED_PARTITION (did you mean SHADOWMQ_FEED_PARTITIONS?)"
 * }
 * }</pre>
 */
public final class KnownVariables {

    public static final String PREFIX = "SHADOWMQ_";
    /** Variables of the test suites; never reported. */
    public static final String TEST_PREFIX = "SHADOWMQ_IT_";

    /**
     * The variables that are not store settings, with who reads them. The REST service's and the extension's own
     * settings are listed here too, so that each process knows the other's; tests check that their tables and this
     * list agree.
     */
    public static final Map<String, String> OTHERS = others();

    private KnownVariables() {}

    private static Map<String, String> others() {
        Map<String, String> others = new LinkedHashMap<>();
        String service = "REST service";
        for (String name : List.of(
                "HTTP_HOST",
                "HTTP_PORT",
                "HTTP_REQUEST_TIMEOUT",
                "HTTP_IDLE_TIMEOUT",
                "HTTP_SHUTDOWN_GRACE",
                "HTTP_HEADER_TIMEOUT",
                "HTTP_BODY_TIMEOUT",
                "HTTP_MAX_CONNECTIONS",
                "HTTP_MAX_CONNECTIONS_PER_ADDRESS",
                "SSE_HEARTBEAT",
                "SSE_BUFFER_EVENTS",
                "SSE_MAX_STREAMS",
                "SSE_MAX_STREAMS_PER_KEY",
                "AUTH_KEY_CACHE_TTL")) {
            others.put(PREFIX + name, service);
        }
        others.put("SHADOWMQ_ADMIN_TOKEN", "REST service (admin token) and CLI");
        String extension = "broker extension (placeholders of conf/examples/config-env.xml)";
        for (String name : List.of(
                "UPDATES_PER_SECOND",
                "UPDATE_BURST",
                "AUTH_FAILURE_LIMIT",
                "AUTH_SOURCE_FAILURE_LIMIT",
                "AUTH_FAILURE_WINDOW_SECONDS",
                "AUTH_BLOCK_SECONDS",
                "CREDENTIAL_CACHE_TTL_SECONDS",
                "CREDENTIAL_CACHE_SIZE")) {
            others.put(PREFIX + name, extension);
        }
        others.put("SHADOWMQ_URL", "CLI: the REST service to talk to");
        others.put("SHADOWMQ_TOKEN", "CLI: the API token");
        others.put("SHADOWMQ_JAVA_OPTS", "./shadowmq script: JVM options");
        others.put("SHADOWMQ_NODE_JAVA_OPTS", "./shadowmq up: JVM options of every node");
        others.put("SHADOWMQ_REDIS_SERVER", "redis-process: the redis-server executable");
        others.put("SHADOWMQ_SECRET", "device SDK examples: the thing's secret");
        return Map.copyOf(others);
    }

    /** Every known variable: the store settings' (deprecated ones too) and {@link #OTHERS}. */
    public static @NotNull Set<String> all() {
        Set<String> names = new TreeSet<>(OTHERS.keySet());
        for (Setting<?> setting : StoreSetting.ALL) {
            names.add(setting.env());
            names.addAll(setting.deprecatedEnv());
        }
        return names;
    }

    /**
     * One line for each {@code SHADOWMQ_*} variable of {@code env} that no part of ShadowMQ reads, naming it and, when
     * a known name is close, that name. {@code SHADOWMQ_IT_*} variables are never reported.
     */
    public static @NotNull List<String> unknown(@NotNull Map<String, String> env) {
        return unknown(env.keySet(), all());
    }

    /** As {@link #unknown(Map)} against {@code known}. */
    static @NotNull List<String> unknown(@NotNull Collection<String> names, @NotNull Set<String> known) {
        List<String> lines = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (!name.startsWith(PREFIX) || name.startsWith(TEST_PREFIX) || known.contains(name)) {
                continue;
            }
            String likely = closest(name, known);
            lines.add("unknown environment variable " + name + ", ignored"
                    + (likely == null ? "" : " (did you mean " + likely + "?)"));
        }
        return lines;
    }

    /** The known name nearest to {@code name} by edit distance, if near enough to be a typo of it. */
    static @Nullable String closest(@NotNull String name, @NotNull Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int suffix = name.length() - PREFIX.length();
        return best != null && bestDistance <= Math.max(2, suffix / 3) ? best : null;
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
