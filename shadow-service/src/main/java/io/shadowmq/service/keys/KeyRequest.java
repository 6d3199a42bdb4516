package io.shadowmq.service.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.apikey.ApiScope;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /api/v1/keys}: {@code {"name":"home-app","scopes":["things:read"],"owners":["alice"]}}
 * ({@code ["*"]} for every household), or a key bound to a thing, {@code {"name":"speaker cloud",
 * "scopes":["things:read","things:write"],"thing":"speaker-1"}} (its owners are the thing's household; given, they
 * must be exactly that). A malformed body is 400 naming the field, as the contract lists for this route; an invalid
 * thing id is 422; the store checks the owners' form and the name's length.
 *
 * <pre>{@code
 * Outcome<KeyRequest> request = KeyRequest.parse(body);
 * }</pre>
 *
 * @param owners empty only when bound to a thing and not given
 * @param thing  the thing the key is bound to, or null
 */
public record KeyRequest(
        @NotNull String name,
        @NotNull Set<ApiScope> scopes,
        @NotNull Set<String> owners,
        @Nullable ThingId thing) {

    public static final Set<String> FIELDS = Set.of("name", "scopes", "owners", "thing");

    public static @NotNull Outcome<KeyRequest> parse(@NotNull ObjectNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            return invalid("name: required, a string");
        }
        Outcome<Set<String>> scopeNames = strings(body, "scopes");
        if (scopeNames instanceof Outcome.Rejected<Set<String>> bad) {
            return Outcome.rejected(bad.rejection());
        }
        Set<ApiScope> scopes = new LinkedHashSet<>();
        for (String scope : scopeNames.orElseThrow()) {
            Optional<ApiScope> known = ApiScope.fromWireName(scope);
            if (known.isEmpty()) {
                return invalid("scopes: unknown scope '" + ThingId.printable(scope) + "', known: "
                        + Arrays.stream(ApiScope.values())
                                .map(ApiScope::wireName)
                                .collect(Collectors.joining(", ")));
            }
            scopes.add(known.get());
        }
        JsonNode thing = body.get("thing");
        if (thing != null && !thing.isTextual()) {
            return invalid("thing: a thing id (a string)");
        }
        if (thing != null && scopes.contains(ApiScope.THINGS_ADMIN)) {
            // An admin scope would let the thing's cloud grant itself more, or act as the owner through schedules.
            return Outcome.rejected(Rejection.modelViolation(
                    "scopes: a key bound to a thing cannot have things:admin; it acts as the thing"));
        }
        if (thing != null && !ThingId.isValid(thing.textValue())) {
            return Outcome.rejected(Rejection.modelViolation("thing: invalid id '"
                    + ThingId.printable(thing.textValue()) + "': must match " + ThingId.PATTERN.pattern()));
        }
        ThingId bound = thing == null ? null : ThingId.of(thing.textValue());
        if (bound != null && body.get("owners") == null) {
            return Outcome.ok(new KeyRequest(name.textValue(), scopes, Set.of(), bound));
        }
        Outcome<Set<String>> owners = strings(body, "owners");
        if (owners instanceof Outcome.Rejected<Set<String>> bad) {
            return Outcome.rejected(bad.rejection());
        }
        return Outcome.ok(new KeyRequest(name.textValue(), scopes, owners.orElseThrow(), bound));
    }

    private static Outcome<Set<String>> strings(ObjectNode body, String field) {
        JsonNode array = body.get(field);
        if (array == null || !array.isArray() || array.isEmpty()) {
            return invalid(field + ": required, a non-empty array of strings");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return invalid(field + ": expected strings, got "
                        + element.getNodeType().name().toLowerCase());
            }
            values.add(element.textValue());
        }
        return Outcome.ok(values);
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.malformed(message));
    }
}
