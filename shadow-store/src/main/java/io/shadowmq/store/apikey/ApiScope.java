package io.shadowmq.store.apikey;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do on the REST API (docs/rest.md). */
public enum ApiScope {
    /** GETs and event streams. */
    THINGS_READ("things:read"),
    /** PATCH of desired state, invoking actions and cancelling commands. */
    THINGS_WRITE("things:write"),
    /** Provisioning, deletion, secret rotation and API keys. */
    THINGS_ADMIN("things:admin"),
    /**
     * Invoking actions a thing model marks {@code "safety": "critical"} (unlocking a car, opening its windows), on top
     * of {@code things:write}. Things never hold it.
     */
    ACTIONS_CRITICAL("actions:critical");

    private final String wireName;

    ApiScope(String wireName) {
        this.wireName = wireName;
    }

    public @NotNull String wireName() {
        return wireName;
    }

    public static @NotNull Optional<ApiScope> fromWireName(@NotNull String name) {
        return Arrays.stream(values())
                .filter(scope -> scope.wireName.equals(name))
                .findFirst();
    }
}
