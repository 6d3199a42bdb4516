package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.FakeTransport.Published;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commands against a hand-driven connection: the thing carrying them out (onCommand: once per commandId, statuses,
 * redelivery) and an invoker (invoke: the request, the answer, the states), and rejectDesired.
 */
class CommandsTest {

    private static final String WASHER_COMMANDS = "things/washer-1/commands/";
    private static final String ID = "Xk2l0sJ4cQ7mW1n9bR5tYe";
    private static final long T0 = 1_700_000_000_000L;

    private final FakeTransport broker = new FakeTransport();
    private final List<ShadowClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ShadowClient::close);
    }

    // ------------------------------------------------------------------------------------- the thing's side

    @Test
    void aHandlerRunsTheCommandAndItsRunningProgressAndOutputArePublished() {
        // given
        AtomicReference<CommandProgress> progress = new AtomicReference<>();
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        List<DeviceCommand> handed = new CopyOnWriteArrayList<>();
        ShadowClient washer = washer();
        washer.onCommand("start", (command, reporter) -> {
            handed.add(command);
            progress.set(reporter);
            return done;
        });
        connect(washer);

        // when
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'eco'}"));
        progress.get().report(35);
        progress.get().report(35);
        done.complete(obj("{'minutes':180}"));
        progress.get().report(90);

        // then
        assertThat(broker.subscribed).contains(List.of(WASHER_COMMANDS + "+", WASHER_COMMANDS + "+/status/rejected"));
        assertThat(handed).singleElement().satisfies(command -> {
            assertThat(command.commandId()).isEqualTo(ID);
            assertThat(command.input()).isEqualTo(obj("{'program':'eco'}"));
            assertThat(command.invokedBy()).isEqualTo("car-1");
            assertThat(command.expiresAt()).isEqualTo(T0 + 600_000);
        });
        assertThat(statuses())
                .containsExactly(
                        obj("{'status':'running'}"),
                        obj("{'status':'running','progress':35}"),
                        obj("{'status':'succeeded','output':{'minutes':180}}"));
    }

    @Test
    void aCommandDeliveredAgainIsNotRunAgainButItsLastStatusIsSentAgain() {
        // given: the handler is still at 50 %
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<CommandProgress> progress = new AtomicReference<>();
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        ShadowClient washer = washer();
        washer.onCommand("start", (command, reporter) -> {
            runs.incrementAndGet();
            progress.set(reporter);
            return done;
        });
        connect(washer);
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'eco'}"));
        progress.get().report(50);

        // when: the connection breaks, and the platform delivers the command again after the reconnect
        broker.drop();
        broker.connect();
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'eco'}"));
        done.complete(null);
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'eco'}"));

        // then
        assertThat(runs).hasValue(1);
        assertThat(statuses())
                .containsExactly(
                        obj("{'status':'running'}"),
                        obj("{'status':'running','progress':50}"),
                        obj("{'status':'running','progress':50}"),
                        obj("{'status':'succeeded'}"),
                        obj("{'status':'succeeded'}"));
    }

    @Test
    void whatEndsWhileOfflineIsSentWithTheRedeliveryAfterReconnecting() {
        // given
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        ShadowClient washer = washer();
        washer.onCommand("start", (command, progress) -> done);
        connect(washer);
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'quick'}"));

        // when
        broker.drop();
        done.completeExceptionally(new CommandFailedException("door open"));
        List<JsonNode> whileOffline = statuses();
        broker.connect();
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'quick'}"));

        // then: the command topics are subscribed again on the new connection, and the failure goes out with it
        assertThat(whileOffline).containsExactly(obj("{'status':'running'}"));
        assertThat(broker.subscribed.stream()
                        .filter(filters -> filters.contains(WASHER_COMMANDS + "+"))
                        .count())
                .isEqualTo(2);
        assertThat(statuses()).last().isEqualTo(obj("{'status':'failed','reason':'door open'}"));
    }

    @Test
    void aFailingHandlerFailsTheCommandWithItsMessageAndAnUnknownActionHasNoHandler() {
        // given
        ShadowClient washer = washer();
        washer.onCommand("pause", (command, progress) -> {
            throw new IllegalStateException("motor stuck");
        });
        connect(washer);

        // when
        broker.deliver(WASHER_COMMANDS + "c1", command("pause", null));
        broker.deliver(WASHER_COMMANDS + "c2", command("stop", null));

        // then
        assertThat(broker.last(WASHER_COMMANDS + "c1/status").payload())
                .isEqualTo(obj("{'status':'failed','reason':'motor stuck'}"));
        assertThat(broker.last(WASHER_COMMANDS + "c2/status").payload())
                .isEqualTo(obj("{'status':'failed','reason':'no handler for action stop'}"));
    }

    @Test
    void anOutputThatDoesNotFitTheActionsOutputSchemaFailsTheCommand() {
        ShadowClient washer = washer();
        washer.onCommand("start", (command, progress) -> CompletableFuture.completedFuture(obj("{'minutes':9999}")));
        connect(washer);

        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'eco'}"));

        assertThat(statuses())
                .last()
                .isEqualTo(obj("{'status':'failed','reason':'output refused: output.minutes: 9999 > maximum 600'}"));
    }

    @Test
    void withoutAHandlerTheCommandTopicsAreNotSubscribed() {
        connect(washer());

        assertThat(broker.subscribed).containsExactly(List.of("things/washer-1/shadow/#"));
    }

    @Test
    void aRefusedCommandSubscriptionLeavesTheShadowConnected() {
        // given: a broker that does not know commands
        broker.onSubscribe = filters -> filters.contains(WASHER_COMMANDS + "+")
                ? CompletableFuture.failedFuture(new ShadowRejectedException(403, "not allowed", false))
                : CompletableFuture.completedFuture(null);
        ShadowClient washer = washer();
        washer.onCommand("start", (command, progress) -> new CompletableFuture<>());

        // when
        CompletableFuture<Void> connected = washer.connect();
        broker.connect();

        // then
        assertThat(connected).isCompleted();
        assertThat(washer.isConnected()).isTrue();
    }

    @Test
    void progressOutsideZeroToHundredIsRefused() {
        AtomicReference<CommandProgress> progress = new AtomicReference<>();
        ShadowClient washer = washer();
        washer.onCommand("start", (command, reporter) -> {
            progress.set(reporter);
            return new CompletableFuture<>();
        });
        connect(washer);
        broker.deliver(WASHER_COMMANDS + ID, command("start", "{'program':'eco'}"));

        assertThatThrownBy(() -> progress.get().report(101)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------------ the invoker's side

    @Test
    void anInvocationIsPublishedAndItsCommandsStatesFollowItEvenOneThatCameBeforeTheAnswer() {
        // given
        ShadowClient car = car();
        connect(car);
        List<CommandState> states = new CopyOnWriteArrayList<>();

        // when
        CompletableFuture<InvokedCommand> invoked = car.thing("washer-1").invoke("start", Map.of("program", "eco"));
        Published request = broker.last("things/washer-1/actions/start");
        broker.deliver(WASHER_COMMANDS + ID + "/state", state("queued", ""));
        broker.answer(request, "accepted", obj("{'commandId':'" + ID + "','status':'queued'}"));
        InvokedCommand command = invoked.join().onState(states::add);
        broker.deliver(WASHER_COMMANDS + ID + "/state", state("running", ",'progress':40"));
        broker.deliver(WASHER_COMMANDS + ID + "/state", state("running", ",'progress':40"));
        broker.deliver(WASHER_COMMANDS + ID + "/state", state("succeeded", ",'output':{'minutes':180}"));

        // then
        assertThat(broker.subscribed)
                .contains(List.of(
                        "things/washer-1/actions/+/accepted",
                        "things/washer-1/actions/+/rejected",
                        WASHER_COMMANDS + "+/state"));
        assertThat(request.payload().get("input")).isEqualTo(obj("{'program':'eco'}"));
        assertThat(request.payload().has("ttlSeconds")).isFalse();
        assertThat(command.commandId()).isEqualTo(ID);
        assertThat(states)
                .extracting(CommandState::status)
                .containsExactly(CommandStatus.QUEUED, CommandStatus.RUNNING, CommandStatus.SUCCEEDED);
        assertThat(states.get(1).progress()).hasValue(40);
        CommandState last = command.finalState().join();
        assertThat(last.output()).isEqualTo(obj("{'minutes':180}"));
        assertThat(last.thingId()).isEqualTo("washer-1");
    }

    @Test
    void aRefusedInvocationFailsWithTheCodeAndMessage() {
        // given
        ShadowClient car = car();
        connect(car);

        // when
        CompletableFuture<InvokedCommand> invoked = car.invoke("washer-1", "boil", (JsonNode) null);
        broker.answer(
                broker.last("things/washer-1/actions/boil"),
                "rejected",
                obj("{'code':404,'message':'washer has no action boil'}"));

        // then
        assertThatThrownBy(invoked::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(404);
                    assertThat(rejected.message()).isEqualTo("washer has no action boil");
                });
    }

    @Test
    void withTheThingsModelAnUnknownActionAndAnInputThatDoesNotFitAreRefusedBeforeSending() {
        ShadowClient car = car();
        connect(car);
        HouseholdThing washer = car.thing("washer-1", "washer");

        ShadowRejectedException unknown = refusedLocally(washer.invoke("boil", (JsonNode) null));
        ShadowRejectedException input = refusedLocally(washer.invoke("start", Map.of("program", "boil")));
        ShadowRejectedException missing = refusedLocally(washer.invoke("start", Map.of()));

        assertThat(unknown.code()).isEqualTo(404);
        assertThat(input.code()).isEqualTo(422);
        assertThat(input.message())
                .isEqualTo("input.program: 'boil' is not one of [cotton, synthetics, wool, quick, eco]");
        assertThat(missing.message()).isEqualTo("input.program: required");
        assertThat(broker.published).noneMatch(p -> p.topic().startsWith("things/washer-1/actions/"));
    }

    @Test
    void anInvocationWithATimeToLiveOutsideOneSecondToSevenDaysIsRefusedBeforeSending() {
        ShadowClient car = car();
        connect(car);

        CompletableFuture<InvokedCommand> invoked =
                car.thing("washer-1").invoke("start", obj("{'program':'eco'}"), java.time.Duration.ofDays(8));

        assertThatThrownBy(invoked::join)
                .cause()
                .isInstanceOfSatisfying(
                        ShadowRejectedException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(400));
        assertThat(broker.publishedTo("things/washer-1/actions/start")).isEmpty();
    }

    // ------------------------------------------------------------------------------------ desired lifecycle

    @Test
    void rejectDesiredIsAnUpdateOfTheOwnShadow() {
        ShadowClient car = car();
        connect(car);

        CompletableFuture<UpdateAccepted> rejected = car.rejectDesired("cabin.heater.isOn", "fuel below 10 %");

        Published update = broker.last("things/car-1/shadow/update");
        assertThat(update.payload().get("rejectDesired")).isEqualTo(obj("{'cabin.heater.isOn':'fuel below 10 %'}"));
        assertThat(update.payload().has("state")).isFalse();
        assertThat(rejected).isNotDone();
    }

    @Test
    void rejectingAPathTheModelDoesNotKnowIsRefusedBeforeSending() {
        ShadowClient car = car();
        connect(car);

        assertThatThrownBy(() -> car.rejectDesired("cabin.sauna", "no").join())
                .cause()
                .isInstanceOfSatisfying(
                        ShadowRejectedException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(422));
        assertThat(broker.publishedTo("things/car-1/shadow/update")).isEmpty();
    }

    @Test
    void aDeltaTellsWhoAskedForEachValueAndUntilWhen() {
        ShadowDelta delta = new ShadowDelta(
                obj("{'cabin':{'heater':{'isOn':true,'targetTemperature':21}},'timestamp':3}"),
                obj("{'cabin':{'heater':{'isOn':{'timestamp':5,'setBy':'speaker-1','expiresAt':905},"
                        + "'targetTemperature':{'timestamp':6}}},'timestamp':{'timestamp':7,'setBy':'admin'}}"),
                4,
                T0);

        assertThat(delta.desiredMetadata())
                .containsExactly(
                        Map.entry("cabin.heater.isOn", new DesiredMetadata("speaker-1", 5, 905L)),
                        Map.entry("cabin.heater.targetTemperature", new DesiredMetadata(null, 6, null)),
                        Map.entry("timestamp", new DesiredMetadata("admin", 7, null)));
        assertThat(delta.desiredMetadata("cabin.heater.isOn").orElseThrow().isExpiredAt(905))
                .isTrue();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ShadowClient washer() {
        return client("washer-1", "washer");
    }

    private ShadowClient car() {
        return client("car-1", "car");
    }

    private ShadowClient client(String thing, String type) {
        ShadowClient client =
                ShadowClient.builder().thing(thing).secret("s3cret").type(type).build(broker);
        clients.add(client);
        return client;
    }

    private void connect(ShadowClient client) {
        assertThat(client.connect()).isNotDone();
        broker.connect();
        assertThat(client.isConnected()).isTrue();
    }

    private static ShadowRejectedException refusedLocally(CompletableFuture<InvokedCommand> invoked) {
        assertThat(invoked).isCompletedExceptionally();
        try {
            invoked.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ShadowRejectedException rejected && rejected.isLocal()) {
                return rejected;
            }
        }
        throw new AssertionError("not refused before sending: " + invoked);
    }

    private List<JsonNode> statuses() {
        return broker.published.stream()
                .filter(p -> p.topic().equals(WASHER_COMMANDS + ID + "/status"))
                .map(Published::payload)
                .toList();
    }

    private static ObjectNode command(String action, String singleQuotedInput) {
        ObjectNode command = SafeJson.object()
                .put("commandId", ID)
                .put("action", action)
                .put("expiresAt", T0 + 600_000)
                .put("invokedBy", "car-1");
        if (singleQuotedInput != null) {
            command.set("input", obj(singleQuotedInput));
        }
        return command;
    }

    private static ObjectNode state(String status, String more) {
        return obj("{'commandId':'" + ID + "','thingId':'washer-1','action':'start','status':'" + status + "'" + more
                + ",'timestamp':" + T0 + "}");
    }
}
