package io.shadowmq.bench;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;

/** The benchmark's scenarios, by the names the command line takes. */
public enum Scenario {
    UPDATES("updates"),
    ECHO("echo"),
    DELTA("delta"),
    REST_READ("rest-read"),
    CONNECT_STORM("connect-storm"),
    PEER("peer"),
    IDLE("idle"),
    FLOOR("floor"),
    COST("cost"),
    RECOVERY("recovery"),
    SEARCH("search");

    private final String cliName;

    Scenario(String cliName) {
        this.cliName = cliName;
    }

    public @NotNull String cliName() {
        return cliName;
    }

    /** Parses {@code rest-read} etc.; names the valid ones when {@code name} is none of them. */
    public static @NotNull Scenario of(@NotNull String name) {
        return Arrays.stream(values())
                .filter(s -> s.cliName.equals(name.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "', known: "
                        + String.join(
                                ", ",
                                Arrays.stream(values()).map(Scenario::cliName).toList())));
    }

    /**
     * Those that need the ShadowMQ platform running ({@code recovery} and {@code search} start a fresh one of their
     * own).
     */
    boolean needsPlatform() {
        return this != ECHO && this != PEER && this != FLOOR && this != RECOVERY && this != SEARCH;
    }
}
