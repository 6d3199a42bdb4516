package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event streams of a key bound to a thing: the shadow documents of the household's other things are pruned to
 * what that thing may read, for this subscriber only. A real service on a real redis-server.
 */
class ThingBoundKeyEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    private static final String REPORT =
            "{\"state\":{\"reported\":{\"range\":300," + "\"location\":{\"latitude\":52.52,\"longitude\":13.4}}}}";

    @Test
    void aBoundKeysStreamOfAnotherThingLeavesOutWhatItsThingMayNotRead() throws Exception {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);
        Response key = api.send(
                "POST",
                "/api/v1/keys",
                "{\"name\":\"speaker cloud\",\"scopes\":[\"things:read\"],\"thing\":\"" + speaker + "\"}");
        String token = key.json().get("token").asText();
        String path = "/api/v1/things/" + car + "/events";

        try (SseTestClient bound = SseTestClient.connect(api, token, path);
                SseTestClient owners = SseTestClient.connect(api, api.adminToken(), path);
                SseTestClient household = SseTestClient.connect(api, token, "/api/v1/events?owner=" + owner)) {
            assertThat(bound.status()).isEqualTo(200);
            service.report(car, REPORT);

            JsonNode pruned = SafeJson.read(bound.next(WAIT).data());
            JsonNode whole = SafeJson.read(owners.next(WAIT).data());
            JsonNode ofHousehold = SafeJson.read(household.next(WAIT).data());

            assertThat(whole.at("/current/state/reported").has("location")).isTrue();
            assertThat(pruned.at("/current/state/reported/range").asInt()).isEqualTo(300);
            assertThat(pruned.at("/current/state/reported").has("location")).isFalse();
            assertThat(pruned.at("/current/metadata/reported").has("location")).isFalse();
            assertThat(pruned.at("/current/version").asLong())
                    .isEqualTo(whole.at("/current/version").asLong());
            assertThat(ofHousehold).isEqualTo(pruned);
        }
    }
}
