package io.shadowmq.service.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.StatusReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.shadowmq.service.commands.CommandCalls.commandId;
import static io.shadowmq.service.commands.CommandCalls.commands;
import static io.shadowmq.service.commands.CommandCalls.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actions and commands over REST against the real service and a real Redis: every answer of the four routes, the
 * household rules, and the device's side played through the test's own store.
 */
class CommandsApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void invokingQueuesACommandAnswering202WithItsLocation() throws Exception {
        String washer = api.provision("washer", "washer", "alice");

        Response invoked = invoke(api.adminToken(), washer, "start", "{\"input\":{\"program\":\"cotton\"}}");

        assertThat(invoked.status()).as(invoked.body()).isEqualTo(202);
        JsonNode command = invoked.json();
        String commandId = command.get("commandId").asText();
        assertThat(commandId).matches("^[A-Za-z0-9_-]{22}$");
        assertThat(invoked.header("Location")).contains("/api/v1/things/" + washer + "/commands/" + commandId);
        assertThat(command.get("thingId").asText()).isEqualTo(washer);
        assertThat(command.get("action").asText()).isEqualTo("start");
        assertThat(command.get("input")).isEqualTo(SafeJson.read("{\"program\":\"cotton\"}"));
        assertThat(command.get("status").asText()).isEqualTo("queued");
        assertThat(command.get("invokedBy").asText()).isEqualTo("admin");
        assertThat(command.get("expiresAt").asLong() - command.get("createdAt").asLong())
                .as("the platform's default time-to-live")
                .isEqualTo(600_000);

        Response read = api.get(invoked.header("Location").orElseThrow());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(command);
    }

    @Test
    void invokedByIsTheApiKeysName() {
        String washer = api.provision("washer", "washer", "alice");
        String name = Api.fresh("kitchen-tablet");
        String token = keyNamed(name, "[\"things:write\",\"things:read\"]", "[\"alice\"]");

        Response invoked = invoke(token, washer, "start", "{\"input\":{\"program\":\"eco\"},\"ttlSeconds\":60}");

        assertThat(invoked.status()).as(invoked.body()).isEqualTo(202);
        assertThat(invoked.json().get("invokedBy").asText()).isEqualTo(name);
        assertThat(invoked.json().get("expiresAt").asLong()
                        - invoked.json().get("createdAt").asLong())
                .isEqualTo(60_000);
    }

    @Test
    void anUnknownThingOrActionIs404NamingIt() {
        String washer = api.provision("washer", "washer", "alice");
        String bobs = api.provision("washer", "washer", "bob");
        String alices = api.key("[\"things:write\",\"things:read\"]", "[\"alice\"]");

        Response noThing = invoke(api.adminToken(), "ghost-" + System.nanoTime(), "start", "{}");
        Response noAction = invoke(api.adminToken(), washer, "spin", "{}");
        Response otherHousehold = invoke(alices, bobs, "start", "{\"input\":{\"program\":\"eco\"}}");

        assertProblem(noThing, 404, "no thing ghost-");
        assertProblem(noAction, 404, "spin");
        assertProblem(otherHousehold, 404, "no thing " + bobs);
        assertProblem(api.sendAs(alices, "GET", commands(bobs), null), 404, "no thing " + bobs);
        assertProblem(api.get(commands("ghost-" + System.nanoTime())), 404, "no thing ghost-");
    }

    @Test
    void anInputAgainstTheActionsSchemaIs422NamingTheRule() {
        String washer = api.provision("washer", "washer", "alice");

        Response wrongProgram = invoke(api.adminToken(), washer, "start", "{\"input\":{\"program\":\"boil\"}}");
        Response missing = invoke(api.adminToken(), washer, "start", "{}");
        Response inputless = invoke(api.adminToken(), washer, "pause", "{\"input\":{\"x\":1}}");
        Response none = invoke(api.adminToken(), washer, "pause", "{\"input\":null}");

        assertProblem(wrongProgram, 422, "input.program");
        assertProblem(missing, 422, "program");
        assertThat(inputless.status()).as(inputless.body()).isEqualTo(422);
        assertThat(none.status()).as(none.body()).isEqualTo(202);
        assertThat(none.json().get("input")).as("no input shows as {}").isEqualTo(SafeJson.object());
        assertThat(list(api.adminToken(), washer, "").get("commands")).hasSize(1);
    }

    @Test
    void aCriticalActionNeedsTheActionsCriticalScope() {
        String car = api.provision("car", "car", "alice");
        String writer = api.key("[\"things:write\"]", "[\"alice\"]");
        String trusted = api.key("[\"things:write\",\"actions:critical\"]", "[\"alice\"]");

        Response refused = invoke(writer, car, "unlock", "{}");
        Response normal = invoke(writer, car, "lock", "{}");
        Response allowed = invoke(trusted, car, "unlock", "{}");
        Response admin = invoke(api.adminToken(), car, "unlock", "{}");

        assertProblem(refused, 403, "unlock");
        assertThat(normal.status()).as(normal.body()).isEqualTo(202);
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(202);
        assertThat(admin.status()).as(admin.body()).isEqualTo(202);
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstCommandAgainAndRefusesAnotherInput() {
        String washer = api.provision("washer", "washer", "alice");
        String other = api.key("[\"things:write\",\"things:read\"]", "[\"alice\"]");
        String body = "{\"input\":{\"program\":\"wool\"},\"idempotencyKey\":\"tap-17\"}";

        Response first = invoke(api.adminToken(), washer, "start", body);
        Response again = invoke(api.adminToken(), washer, "start", body);
        Response changed = invoke(
                api.adminToken(), washer, "start", "{\"input\":{\"program\":\"eco\"},\"idempotencyKey\":\"tap-17\"}");
        Response otherKey = invoke(other, washer, "start", body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("commandId")).isEqualTo(first.json().get("commandId"));
        assertProblem(changed, 409, "tap-17");
        assertThat(otherKey.status())
                .as("idempotency keys are the caller's own")
                .isEqualTo(202);
        assertThat(otherKey.json().get("commandId")).isNotEqualTo(first.json().get("commandId"));
        assertThat(list(api.adminToken(), washer, "").get("commands")).hasSize(2);
    }

    @Test
    void moreThanAHundredPendingCommandsIs429() {
        String speaker = api.provision("speaker", "speaker", "alice");
        for (int i = 0; i < 100; i++) {
            Response queued = invoke(api.adminToken(), speaker, "announce", "{\"input\":{\"text\":\"n" + i + "\"}}");
            assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        }

        Response refused = invoke(api.adminToken(), speaker, "announce", "{\"input\":{\"text\":\"one more\"}}");

        assertProblem(refused, 429, "100");
    }

    @Test
    void badRequestsAre400NamingWhatWasWrong() {
        String washer = api.provision("washer", "washer", "alice");
        String start = "\"input\":{\"program\":\"eco\"}";

        String[][] bodies = {
            {",\"ttlSeconds\":0", "ttlSeconds: expected an integer from 1 to 604800, got 0"},
            {",\"ttlSeconds\":604801", "ttlSeconds: expected an integer from 1 to 604800, got 604801"},
            {
                ",\"ttlSeconds\":9223372036854775807",
                "ttlSeconds: expected an integer from 1 to 604800, got 9223372036854775807"
            },
            {",\"ttlSeconds\":\"60\"", "ttlSeconds: expected an integer from 1 to 604800, got string"},
            {",\"ttlSeconds\":1.5", "ttlSeconds: expected an integer from 1 to 604800, got 1.5"},
            {",\"idempotencyKey\":7", "idempotencyKey: expected a string of 1 to 64 printable characters, got number"},
            {",\"idempotencyKey\":\"\"", "idempotencyKey: expected 1 to 64 printable characters, got an empty string"},
            {",\"idempotencyKey\":\"a\\nb\"", "idempotencyKey: expected 1 to 64 printable characters, got a control"},
            {",\"clientToken\":\"x\"", "unknown field 'clientToken': expected only idempotencyKey, input, ttlSeconds"}
        };
        for (String[] body : bodies) {
            assertProblem(invoke(api.adminToken(), washer, "start", "{" + start + body[0] + "}"), 400, body[1]);
        }
        assertProblem(invoke(api.adminToken(), washer, "start", "{\"input\":"), 400, "");
        assertProblem(invoke(api.adminToken(), washer, "start", "[]"), 400, "expected a JSON object, got array");
        assertProblem(api.get(commands(washer) + "?limit=0"), 400, "limit: must be an integer 1..100, was '0'");
        assertProblem(api.get(commands(washer) + "?limit=101"), 400, "limit: must be an integer 1..100, was '101'");
        assertProblem(api.get(commands(washer) + "?limit=ten"), 400, "limit: must be an integer 1..100, was 'ten'");
        assertProblem(
                api.get(commands(washer) + "?status=done"),
                400,
                "status: unknown status 'done', known: queued, delivered, running, succeeded, failed, expired, "
                        + "cancelled");
        assertProblem(api.get(commands(washer) + "?cursor=not-a-cursor"), 400, "cursor");
        assertProblem(api.get(commands(washer) + "?state=queued"), 400, "unknown query parameter 'state'");
        assertThat(list(api.adminToken(), washer, "").get("commands")).isEmpty();
    }

    @Test
    void theBodyIsReadWithinTheServicesLimits() {
        String speaker = api.provision("speaker", "speaker", "alice");
        String path = "/api/v1/things/" + speaker + "/actions/announce";
        byte[] huge = ("{\"input\":{\"text\":\"" + "a".repeat(70_000) + "\"}}").getBytes(StandardCharsets.UTF_8);

        Response tooLarge = api.sendBytes(api.adminToken(), "POST", path, huge, "Content-Type", "application/json");
        Response plain = api.sendBytes(
                api.adminToken(), "POST", path, "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");

        assertProblem(tooLarge, 413, "request body is larger than 65536 bytes");
        assertProblem(plain, 415, "Content-Type 'text/plain': the body must be application/json");
        assertThat(plain.header("Accept-Post")).contains("application/json");
        assertThat(list(api.adminToken(), speaker, "").get("commands")).isEmpty();
    }

    @Test
    void anInvalidThingIdInThePathIs422() {
        assertThat(invoke(api.adminToken(), "bad%20id", "start", "{}").status()).isEqualTo(422);
        assertThat(api.get("/api/v1/things/bad%20id/commands").status()).isEqualTo(422);
    }

    @Test
    void listingIsNewestFirstInPagesAndFiltersByStatus() {
        String speaker = api.provision("speaker", "speaker", "alice");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(invoke(api.adminToken(), speaker, "announce", "{\"input\":{\"text\":\"n" + i + "\"}}")
                    .json()
                    .get("commandId")
                    .asText());
        }
        api.send("DELETE", commands(speaker) + "/" + ids.get(1), null);

        JsonNode first = list(api.adminToken(), speaker, "?limit=2");
        JsonNode second = list(
                api.adminToken(),
                speaker,
                "?limit=2&cursor=" + first.get("nextCursor").asText());
        JsonNode third = list(
                api.adminToken(),
                speaker,
                "?limit=2&cursor=" + second.get("nextCursor").asText());
        JsonNode all = list(api.adminToken(), speaker, "");
        JsonNode cancelled = list(api.adminToken(), speaker, "?status=cancelled");
        JsonNode queued = list(api.adminToken(), speaker, "?status=queued");

        assertThat(idsOf(first)).containsExactly(ids.get(4), ids.get(3));
        assertThat(idsOf(second)).containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(third)).containsExactly(ids.get(0));
        assertThat(third.has("nextCursor")).as("the last page has no cursor").isFalse();
        assertThat(idsOf(all)).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(idsOf(cancelled)).containsExactly(ids.get(1));
        assertThat(idsOf(queued)).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(0));
    }

    @Test
    void cancellingAQueuedCommandAnswersItCancelledAndIsRefusedOnceDelivered() {
        String washer = api.provision("washer", "washer", "alice");
        String first = commandId(invoke(api.adminToken(), washer, "start", "{\"input\":{\"program\":\"eco\"}}"));
        String second = commandId(invoke(api.adminToken(), washer, "stop", "{}"));
        join(service.store().commands().delivered(ThingId.of(washer), first));

        Response cancelled = api.send("DELETE", commands(washer) + "/" + second, null);
        Response delivered = api.send("DELETE", commands(washer) + "/" + first, null);
        Response again = api.send("DELETE", commands(washer) + "/" + second, null);
        Response unknown = api.send("DELETE", commands(washer) + "/AAAAAAAAAAAAAAAAAAAAAA", null);

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertProblem(delivered, 409, "delivered");
        assertThat(again.status())
                .as("cancelling twice answers the cancelled command")
                .isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("cancelled");
        assertProblem(unknown, 404, "AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(api.get(commands(washer) + "/" + first).json().get("status").asText())
                .isEqualTo("delivered");
    }

    @Test
    void readingAnUnknownCommandIs404() {
        String washer = api.provision("washer", "washer", "alice");

        assertProblem(api.get(commands(washer) + "/AAAAAAAAAAAAAAAAAAAAAA"), 404, "AAAAAAAAAAAAAAAAAAAAAA");
        assertProblem(api.get(commands(washer) + "/not%20an%20id"), 404, "");
    }

    @Test
    void scopesAreTheThingsScopes() {
        String washer = api.provision("washer", "washer", "alice");
        String reader = api.key("[\"things:read\"]", "[\"alice\"]");
        String writer = api.key("[\"things:write\"]", "[\"alice\"]");
        String id = commandId(invoke(writer, washer, "start", "{\"input\":{\"program\":\"eco\"}}"));

        assertProblem(invoke(reader, washer, "start", "{\"input\":{\"program\":\"eco\"}}"), 403, "things:write");
        assertProblem(api.sendAs(reader, "DELETE", commands(washer) + "/" + id, null), 403, "things:write");
        assertProblem(api.sendAs(writer, "GET", commands(washer), null), 403, "things:read");
        assertThat(api.sendAs(reader, "GET", commands(washer) + "/" + id, null).status())
                .isEqualTo(200);
        assertThat(api.sendAs(writer, "DELETE", commands(washer) + "/" + id, null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aStartReissuedAfterTheFirstFinishedIsQueuedAndDeliveredAgain() {
        String washer = api.provision("washer", "washer", "alice");
        ThingId thing = ThingId.of(washer);
        String body = "{\"input\":{\"program\":\"quick\"}}";
        String first = commandId(invoke(api.adminToken(), washer, "start", body));
        join(service.store().commands().delivered(thing, first));
        join(service.store()
                .commands()
                .report(thing, first, new StatusReport(CommandStatus.SUCCEEDED, null, null, null)));

        Response reissued = invoke(api.adminToken(), washer, "start", body);

        assertThat(reissued.status()).isEqualTo(202);
        String second = commandId(reissued);
        assertThat(second).isNotEqualTo(first);
        assertThat(reissued.json().get("status").asText()).isEqualTo("queued");
        List<Command> deliverable = join(service.store().commands().deliverable(thing));
        assertThat(deliverable).extracting(Command::commandId).containsExactly(second);
        join(service.store().commands().delivered(thing, second));
        assertThat(api.get(commands(washer) + "/" + second).json().get("status").asText())
                .isEqualTo("delivered");
        assertThat(api.get(commands(washer) + "/" + first).json().get("status").asText())
                .isEqualTo("succeeded");
    }

    private static Response invoke(String token, String thing, String action, String body) {
        return CommandCalls.invoke(service.api(), token, thing, action, body);
    }

    private JsonNode list(String token, String thing, String query) {
        Response listed = api.sendAs(token, "GET", commands(thing) + query, null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return listed.json();
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("commands").forEach(command -> ids.add(command.get("commandId").asText()));
        return ids;
    }

    private String keyNamed(String name, String scopes, String owners) {
        Response created = api.send(
                "POST",
                "/api/v1/keys",
                "{\"name\":\"" + name + "\",\"scopes\":" + scopes + ",\"owners\":" + owners + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    static void assertProblem(Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).contains(detailContains);
    }
}
