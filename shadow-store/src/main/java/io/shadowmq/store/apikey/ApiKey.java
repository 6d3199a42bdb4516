package io.shadowmq.store.apikey;

import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;

import java.util.Set;

/**
 * An API key as stored (without its token): what it may do and for which households.
 *
 * @param owners the households it may see; {@code "*"} means all
 */
public record ApiKey(
        @NotNull String id,
        @NotNull String name,
        @NotNull Set<ApiScope> scopes,
        @NotNull Set<String> owners,
        long createdAt) {

    public static final String ALL_OWNERS = "*";

    public ApiKey {
        scopes = Set.copyOf(scopes);
        owners = Set.copyOf(owners);
    }

    public boolean allows(@NotNull ApiScope scope) {
        // admin implies the rest: whoever may provision and delete may also read and command.
        return scopes.contains(scope) || scopes.contains(ApiScope.THINGS_ADMIN);
    }

    public boolean sees(@NotNull Owner owner) {
        return owners.contains(ALL_OWNERS) || owners.contains(owner.value());
    }
}
