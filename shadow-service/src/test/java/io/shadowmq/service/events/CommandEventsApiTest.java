package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import io.shadowmq.service.commands.CommandCalls;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.StatusReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.shadowmq.service.commands.CommandCalls.commandId;
import static io.shadowmq.service.commands.CommandCalls.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code command} events on the event streams: every transition of a command, as its state message, on the thing's
 * stream and on the household's, resumable with {@code Last-Event-ID}; and commands that expire with nobody
 * connected, by the service's own sweeper. The device is played through the test's own store, as a broker would.
 */
class CommandEventsApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void aThingsStreamAndItsHouseholdsSeeQueuedDeliveredRunningSucceeded() throws Exception {
        String household = Api.fresh("home");
        String washer = api.provision("washer", "washer", household);
        ThingId thing = ThingId.of(washer);
        try (SseTestClient ofThing =
                        SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + washer + "/events");
                SseTestClient ofHousehold =
                        SseTestClient.connect(api, api.adminToken(), "/api/v1/events?owner=" + household)) {
            String id = commandId(invoke(washer, "start", "{\"input\":{\"program\":\"cotton\"}}"));
            join(service.store().commands().delivered(thing, id));
            join(service.store().commands().report(thing, id, new StatusReport(CommandStatus.RUNNING, 35, null, null)));
            join(service.store()
                    .commands()
                    .report(thing, id, new StatusReport(CommandStatus.SUCCEEDED, null, null, null)));

            for (SseTestClient stream : List.of(ofThing, ofHousehold)) {
                List<SseTestClient.Event> events = stream.take(4, SseTestClient.WAIT);
                assertThat(events).extracting(SseTestClient.Event::name).containsOnly("command");
                assertThat(events)
                        .extracting(SseTestClient.Event::id)
                        .allMatch(eventId -> eventId.matches("\\d+-\\d+"));
                List<JsonNode> states =
                        events.stream().map(event -> read(event.data())).toList();
                assertThat(states)
                        .extracting(state -> state.get("status").asText())
                        .containsExactly("queued", "delivered", "running", "succeeded");
                assertThat(states).allSatisfy(state -> {
                    assertThat(state.get("commandId").asText()).isEqualTo(id);
                    assertThat(state.get("thingId").asText()).isEqualTo(washer);
                    assertThat(state.get("action").asText()).isEqualTo("start");
                    assertThat(state.get("timestamp").asLong()).isPositive();
                });
                assertThat(states.get(2).get("progress").asInt()).isEqualTo(35);
                assertThat(stream.next(SseTestClient.QUIET)).isNull();
            }
        }
    }

    @Test
    void aCancelledCommandIsAnEventToo() throws Exception {
        String washer = api.provision("washer", "washer", Api.fresh("home"));
        try (SseTestClient events =
                SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + washer + "/events")) {
            String id = commandId(invoke(washer, "stop", "{}"));
            assertThat(api.send("DELETE", "/api/v1/things/" + washer + "/commands/" + id, null)
                            .status())
                    .isEqualTo(200);

            assertThat(events.take(2, SseTestClient.WAIT))
                    .extracting(event -> read(event.data()).get("status").asText())
                    .containsExactly("queued", "cancelled");
        }
    }

    @Test
    void resumingWithLastEventIdReplaysTheMissedCommandEvents() throws Exception {
        String washer = api.provision("washer", "washer", Api.fresh("home"));
        ThingId thing = ThingId.of(washer);
        String path = "/api/v1/things/" + washer + "/events";
        String lastSeen;
        String id;
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), path)) {
            id = commandId(invoke(washer, "start", "{\"input\":{\"program\":\"eco\"}}"));
            lastSeen = events.next(SseTestClient.WAIT).id();
        }
        join(service.store().commands().delivered(thing, id));
        join(service.store()
                .commands()
                .report(thing, id, new StatusReport(CommandStatus.FAILED, null, null, "door open")));

        try (SseTestClient resumed = SseTestClient.connect(api, api.adminToken(), path, "Last-Event-ID", lastSeen)) {
            List<JsonNode> missed = resumed.take(2, SseTestClient.WAIT).stream()
                    .map(event -> read(event.data()))
                    .toList();

            assertThat(missed).extracting(state -> state.get("status").asText()).containsExactly("delivered", "failed");
            assertThat(missed.get(1).get("reason").asText()).isEqualTo("door open");
            assertThat(resumed.next(SseTestClient.QUIET)).as("no duplicates").isNull();
        }
    }

    @Test
    void aCommandForAnOfflineThingExpiresAfterItsTimeToLive() throws Exception {
        String washer = api.provision("washer", "washer", Api.fresh("home"));
        try (SseTestClient events =
                SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + washer + "/events")) {
            Response invoked = invoke(washer, "start", "{\"input\":{\"program\":\"eco\"},\"ttlSeconds\":2}");
            String id = commandId(invoked);
            assertThat(invoked.json().get("expiresAt").asLong()
                            - invoked.json().get("createdAt").asLong())
                    .isEqualTo(2_000);

            // The sweeper of the service under test expires it: the test's own store runs none.
            List<SseTestClient.Event> seen = events.take(2, Duration.ofSeconds(10));

            assertThat(seen)
                    .extracting(event -> read(event.data()).get("status").asText())
                    .containsExactly("queued", "expired");
            Response read = api.get("/api/v1/things/" + washer + "/commands/" + id);
            assertThat(read.json().get("status").asText()).isEqualTo("expired");
            assertThat(read.json().get("updatedAt").asLong())
                    .isGreaterThanOrEqualTo(read.json().get("expiresAt").asLong());
        }
    }

    private Response invoke(String thing, String action, String body) {
        return CommandCalls.invoke(api, api.adminToken(), thing, action, body);
    }

    private static JsonNode read(String data) {
        try {
            return SafeJson.read(data);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + data, e);
        }
    }
}
