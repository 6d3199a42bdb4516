package io.shadowmq.model.shadow;

import org.jetbrains.annotations.Nullable;

/**
 * A {@code get} or {@code delete} request: nothing but an optional client token to echo in the response.
 *
 * <pre>{@code
 * if (ShadowRequests.parseClientRequest(payload) instanceof Outcome.Ok<ClientRequest> ok) {
 *     String token = ok.value().clientToken(); // null for an empty payload
 * }
 * }</pre>
 */
public record ClientRequest(@Nullable String clientToken) {

    public ClientRequest {
        if (clientToken != null) {
            ClientTokens.problem(clientToken).ifPresent(problem -> {
                throw new IllegalArgumentException("clientToken: " + problem);
            });
        }
    }
}
