package io.shadowmq.service.commands;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;

import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** Invoking over REST and playing the device through a store, for the command tests. */
public final class CommandCalls {

    private CommandCalls() {}

    /** {@code POST /api/v1/things/{thing}/actions/{action}} with the given token and JSON body. */
    public static Response invoke(Api api, String token, String thing, String action, String body) {
        return api.sendAs(token, "POST", "/api/v1/things/" + thing + "/actions/" + action, body);
    }

    public static String commands(String thing) {
        return "/api/v1/things/" + thing + "/commands";
    }

    /** The id of the command an invocation queued; fails the test unless it was 202. */
    public static String commandId(Response invoked) {
        assertThat(invoked.status()).as(invoked.body()).isEqualTo(202);
        return invoked.json().get("commandId").asText();
    }

    /** The value of a store call that must succeed. */
    public static <T> T join(CompletionStage<Outcome<T>> stage) {
        Outcome<T> outcome = stage.toCompletableFuture().join();
        assertThat(outcome.isOk()).as(outcome.toString()).isTrue();
        return outcome.orElseThrow();
    }
}
