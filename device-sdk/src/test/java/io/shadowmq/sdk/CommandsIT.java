package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.shadowmq.sdk.PlatformClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Commands and the desired lifecycle through the real platform (embedded HiveMQ CE with the packaged extension, a real
 * Redis): one thing invokes, another carries out, both through the SDK; network loss is a {@link TcpProxy} the test
 * cuts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandsIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    @RegisterExtension
    final PlatformClients clients = new PlatformClients(platform);

    @Test
    void aStartInvokedFromTheCarRunsOnTheWasherWithProgressToSucceeded() {
        // given: a washer that runs start, reporting half-way
        String owner = household();
        ProvisionedThing washerThing = platform.provision("washer", owner);
        List<DeviceCommand> handed = new CopyOnWriteArrayList<>();
        ShadowClient washer = clients.client(washerThing, builder -> builder);
        washer.onCommand("start", (command, progress) -> {
            handed.add(command);
            progress.report(50);
            return CompletableFuture.completedFuture(null);
        });
        washer.connect().orTimeout(10, TimeUnit.SECONDS).join();
        ShadowClient car = connected(platform.provision("car", owner));
        String washerId = washerThing.thing().thingId().value();

        // when
        InvokedCommand start = car.thing(washerId, "washer")
                .invoke("start", Map.of("program", "eco"))
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        CommandState last = start.finalState().orTimeout(10, TimeUnit.SECONDS).join();

        // then
        assertThat(last.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(handed).singleElement().satisfies(command -> {
            assertThat(command.commandId()).isEqualTo(start.commandId());
            assertThat(command.input().path("program").asText()).isEqualTo("eco");
            assertThat(command.invokedBy()).isEqualTo(car.thingId());
        });
        assertThat(start.states())
                .anySatisfy(state -> {
                    assertThat(state.status()).isEqualTo(CommandStatus.RUNNING);
                    assertThat(state.progress()).hasValue(50);
                })
                .last()
                .isEqualTo(last);
    }

    @Test
    void aCommandDeliveredAgainAfterAReconnectRunsOnceAndWhatEndedOfflineStillArrives() {
        // given: the washer behind a network the test can cut, its handler still running
        String owner = household();
        ProvisionedThing washerThing = platform.provision("washer", owner);
        TcpProxy network = network();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<CompletableFuture<JsonNode>> running = new AtomicReference<>();
        ShadowClient washer = clients.client(washerThing, builder -> builder.port(network.port()));
        washer.onCommand("start", (command, progress) -> {
            runs.incrementAndGet();
            CompletableFuture<JsonNode> outcome = new CompletableFuture<>();
            running.set(outcome);
            return outcome;
        });
        washer.connect().orTimeout(10, TimeUnit.SECONDS).join();
        ShadowClient car = connected(platform.provision("car", owner));
        InvokedCommand start = car.thing(washerThing.thing().thingId().value(), "washer")
                .invoke("start", Map.of("program", "quick"))
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        await().atMost(WAIT).until(() -> running.get() != null);
        await().atMost(WAIT)
                .until(() -> start.states().stream().anyMatch(state -> state.status() == CommandStatus.RUNNING));

        // when: the washer loses its network, the program ends meanwhile, and the network comes back
        network.cut();
        await().atMost(WAIT).until(() -> !washer.isConnected());
        running.get().complete(null);
        network.restore();

        // then: the platform delivers the running command again; the SDK does not run it again but sends its outcome
        CommandState last = start.finalState().orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(last.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void overMqtt311AHandlerThatFailsAndAnActionWithoutAHandlerFailTheCommandWithTheirReasons() {
        String owner = household();
        ProvisionedThing washerThing = platform.provision("washer", owner);
        ShadowClient washer = clients.client(washerThing, builder -> builder.mqttVersion(MqttProtocolVersion.V3_1_1));
        washer.onCommand(
                "start",
                (command, progress) -> CompletableFuture.failedFuture(new CommandFailedException("door open")));
        washer.connect().orTimeout(10, TimeUnit.SECONDS).join();
        HouseholdThing washerFromCar = connected(platform.provision("car", owner))
                .thing(washerThing.thing().thingId().value(), "washer");

        CommandState start = washerFromCar
                .invoke("start", Map.of("program", "eco"))
                .thenCompose(InvokedCommand::finalState)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        CommandState pause = washerFromCar
                .invoke("pause", (JsonNode) null)
                .thenCompose(InvokedCommand::finalState)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();

        assertThat(start.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(start.reason()).contains("door open");
        assertThat(pause.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(pause.reason()).contains("no handler for action pause");
    }

    @Test
    void anInvocationThePlatformRefusesFailsWithItsCodeAndAStrangerIsNotAllowed() {
        String owner = household();
        String washerId = platform.provision("washer", owner).thing().thingId().value();
        ShadowClient car = connected(platform.provision("car", owner));
        ShadowClient stranger = connected(platform.provision("car", household()));

        assertThatThrownBy(() -> car.invoke(washerId, "boil", (JsonNode) null)
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join())
                .cause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(404);
                    assertThat(rejected.isLocal()).isFalse();
                });
        assertThatThrownBy(() -> stranger.invoke(washerId, "stop", (JsonNode) null)
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        ShadowRejectedException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(403));
    }

    @Test
    void anInvocationRefusedBeforeSendingGetsExactlyThePlatformsCodeAndMessage() {
        // given: the car invoking the washer's actions with the washer's model (checked locally) and without (sent)
        String owner = household();
        String washerId = platform.provision("washer", owner).thing().thingId().value();
        ShadowClient car = connected(platform.provision("car", owner));
        HouseholdThing checked = car.thing(washerId, "washer");
        HouseholdThing sent = car.thing(washerId);
        Map<String, JsonNode> invocations = new java.util.LinkedHashMap<>();
        invocations.put("fly", null);
        invocations.put("start", TestJson.obj("{'program':'boil'}"));
        invocations.put("stop", TestJson.obj("{'force':true}"));
        invocations.put("pause", TestJson.node("3"));

        // when / then
        invocations.forEach((action, input) -> {
            ShadowRejectedException local = refused(checked.invoke(action, input));
            ShadowRejectedException platformAnswer = refused(sent.invoke(action, input));
            assertThat(local.isLocal()).isTrue();
            assertThat(platformAnswer.isLocal()).isFalse();
            assertThat(local.code() + " " + local.message())
                    .as(action)
                    .isEqualTo(platformAnswer.code() + " " + platformAnswer.message());
        });
        assertThat(refused(car.thing(washerId, "washer").invoke("start", Map.of()))
                        .message())
                .isEqualTo("input.program: required");
    }

    @Test
    void theThingRejectsADesiredValueItWillNotTakeAndItLeavesDesired() {
        // given: the car refuses the heater; the speaker switches it on
        String owner = household();
        ProvisionedThing carThing = platform.provision("car", owner);
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        platform.grantWrite(speakerThing, carThing, "cabin.heater.**"); // the heater is household read
        ShadowClient car = clients.client(carThing, builder -> builder);
        List<CompletableFuture<UpdateAccepted>> rejections = new CopyOnWriteArrayList<>();
        car.onDelta(delta -> {
            if (delta.state().at("/cabin/heater/isOn").asBoolean(false)) {
                rejections.add(car.rejectDesired("cabin.heater.isOn", "fuel below 10 %"));
            }
        });
        car.connect().orTimeout(10, TimeUnit.SECONDS).join();
        car.reportAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", false))))
                .join();
        ShadowClient speaker = connected(speakerThing);

        // when
        speaker.thing(car.thingId(), "car")
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", true))))
                .join();

        // then
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(car.getAsync()
                                .join()
                                .desired()
                                .at("/cabin/heater/isOn")
                                .isMissingNode())
                        .isTrue());
        assertThat(rejections)
                .isNotEmpty()
                .allSatisfy(rejection -> assertThat(rejection).succeedsWithin(WAIT));
        assertThat(car.getAsync()
                        .join()
                        .desiredOutcomes()
                        .path("cabin.heater.isOn")
                        .path("reason")
                        .asText())
                .isEqualTo("fuel below 10 %");
    }

    @Test
    void theDeltaSaysWhoAskedForEachValue() {
        // given
        String owner = household();
        List<ShadowDelta> deltas = new CopyOnWriteArrayList<>();
        ProvisionedThing carThing = platform.provision("car", owner);
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        platform.grantWrite(speakerThing, carThing, "cabin.heater.**"); // the heater is household read
        ShadowClient car = clients.client(carThing, builder -> builder);
        car.onDelta(deltas::add);
        car.connect().orTimeout(10, TimeUnit.SECONDS).join();
        ShadowClient speaker = connected(speakerThing);

        // when
        speaker.thing(car.thingId(), "car")
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("targetTemperature", 21))))
                .join();

        // then
        await().atMost(WAIT).until(() -> !deltas.isEmpty());
        assertThat(deltas.get(0).desiredMetadata("cabin.heater.targetTemperature"))
                .hasValueSatisfying(wish -> assertThat(wish.setBy()).isEqualTo(speaker.thingId()));
    }

    private static ShadowRejectedException refused(CompletableFuture<InvokedCommand> invocation) {
        try {
            invocation.orTimeout(10, TimeUnit.SECONDS).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ShadowRejectedException rejected) {
                return rejected;
            }
            throw e;
        }
        throw new AssertionError("not refused");
    }

    private static String household() {
        return "owner-" + Long.toString(System.nanoTime(), 36);
    }

    private ShadowClient connected(ProvisionedThing thing) {
        ShadowClient client = clients.client(thing, builder -> builder);
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    private TcpProxy network() {
        try {
            return clients.close(
                    new TcpProxy(platform.broker().host(), platform.broker().port()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
