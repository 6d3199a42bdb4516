package io.shadowmq.store.apikey;

import org.jetbrains.annotations.NotNull;

/** A key just created, with its bearer token: shown once, stored only as a keyed hash. */
public record IssuedApiKey(@NotNull ApiKey key, @NotNull String token) {

    @Override
    public String toString() {
        return "IssuedApiKey[" + key + ", token=***]";
    }
}
