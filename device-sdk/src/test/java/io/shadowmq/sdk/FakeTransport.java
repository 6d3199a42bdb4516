package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.internal.MqttTransport;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker connection the test drives by hand: it records what the session publishes and subscribes, and lets the
 * test connect, drop the connection and deliver messages. Publishes and subscriptions succeed at once unless a test
 * says otherwise, so most of a session runs synchronously on the test's thread.
 */
final class FakeTransport implements MqttTransport {

    record Published(String topic, JsonNode payload) {
        String clientToken() {
            return payload.path("clientToken").asText();
        }
    }

    final List<Published> published = new CopyOnWriteArrayList<>();
    final List<List<String>> subscribed = new CopyOnWriteArrayList<>();
    volatile Function<List<String>, CompletableFuture<Void>> onSubscribe =
            filters -> CompletableFuture.completedFuture(null);
    volatile boolean stopped;
    private volatile Events events;

    @Override
    public void start(@NotNull Events events) {
        this.events = events;
    }

    @Override
    public @NotNull CompletableFuture<Void> subscribe(@NotNull List<String> filters) {
        subscribed.add(filters);
        return onSubscribe.apply(filters);
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] payload) {
        published.add(new Published(topic, TestJson.read(payload)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public @NotNull CompletableFuture<Void> stop() {
        stopped = true;
        return CompletableFuture.completedFuture(null);
    }

    void connect() {
        assertThat(events).as("the session started the transport").isNotNull();
        events.connected();
    }

    void drop() {
        events.disconnected(new IOException("network down"));
    }

    void refuse(String why) {
        events.refused(new ShadowConnectException(why));
    }

    void deliver(String topic, JsonNode payload) {
        events.message(topic, SafeJson.write(payload));
    }

    List<Published> publishedTo(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    Published last(String topic) {
        List<Published> matching = publishedTo(topic);
        assertThat(matching).as("published to " + topic).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    /** Answers a request on {@code <request topic>/<kind>} with {@code payload} plus the request's token. */
    void answer(Published request, String kind, ObjectNode payload) {
        ObjectNode answer = payload.deepCopy();
        answer.put("clientToken", request.clientToken());
        deliver(request.topic() + "/" + kind, answer);
    }
}
