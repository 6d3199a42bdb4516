package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.sdk.internal.RequestValidator;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The SDK against the real platform: embedded HiveMQ CE with the packaged extension, a real Redis, things provisioned
 * through the store. Network loss is a {@link TcpProxy} between client and broker that the test cuts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowClientIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final PlatformClients clients = new PlatformClients(platform);

    @Test
    void aReportIsAcceptedReadBackAndDeleted() {
        // given
        ShadowClient car = connected(platform.provision("car", "alice"));

        // when
        UpdateAccepted accepted = car.reportAsync(Map.of("range", 310, "fuel", Map.of("level", 62.5)))
                .join();
        ShadowState document = car.getAsync().join();
        DeleteAccepted deleted = car.deleteAsync().join();

        // then
        assertThat(accepted.version()).isEqualTo(1);
        assertThat(accepted.state()).isEqualTo(obj("{'reported':{'range':310,'fuel':{'level':62.5}}}"));
        assertThat(document.reported()).isEqualTo(obj("{'range':310,'fuel':{'level':62.5}}"));
        assertThat(document.version()).isEqualTo(1);
        assertThat(deleted.version()).isEqualTo(1);
        assertThatThrownBy(() -> car.getAsync().join())
                .hasCauseInstanceOf(ShadowRejectedException.class)
                .cause()
                .extracting(e -> ((ShadowRejectedException) e).code())
                .isEqualTo(404);
        assertThat(car.reportAsync(Map.of("range", 300)).join().version()).isEqualTo(2);
    }

    @Test
    void overMqtt311TheDeviceReportsAndGetsItsDeltaAfterAReconnect() {
        // given
        String owner = household();
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        TcpProxy network = network();
        List<ShadowDelta> deltas = new CopyOnWriteArrayList<>();
        ShadowClient speaker = connected(
                speakerThing,
                builder -> builder.port(network.port()).mqttVersion(MqttProtocolVersion.V3_1_1),
                deltas::add);
        HouseholdThing speakerFromCar = connected(platform.provision("car", owner))
                .thing(speakerThing.thing().thingId().value(), "speaker");

        // when
        long reported = speaker.reportAsync(Map.of("volume", 30, "isMuted", false))
                .join()
                .version();
        network.cut();
        await().atMost(WAIT).until(() -> !speaker.isConnected());
        long wish = speakerFromCar.desireAsync(Map.of("volume", 10)).join().version();
        network.restore();

        // then
        await().atMost(WAIT).until(() -> !deltas.isEmpty());
        assertThat(wish).isEqualTo(reported + 1);
        assertThat(deltas).singleElement().satisfies(delta -> {
            assertThat(delta.version()).isEqualTo(wish);
            assertThat(delta.state()).isEqualTo(obj("{'volume':10}"));
        });
    }

    @Test
    void aDeltaWrittenWhileTheDeviceIsOfflineIsHandedOverExactlyOnceAfterReconnect() throws Exception {
        // given: the car online behind a network the test can cut, and the household's speaker
        String owner = household();
        ProvisionedThing carThing = platform.provision("car", owner);
        TcpProxy network = network();
        List<ShadowDelta> deltas = new CopyOnWriteArrayList<>();
        ShadowClient car = connected(carThing, builder -> builder.port(network.port()), deltas::add);
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        platform.grantWrite(speakerThing, carThing, "cabin.heater.**"); // the heater is household read
        ShadowClient speaker = connected(speakerThing);
        car.reportAsync(Map.of("cabin", Map.of("temperature", -2.0, "heater", Map.of("isOn", false))))
                .join();

        // when: the car loses its network, and the heater is switched on from home
        network.cut();
        await().atMost(WAIT).until(() -> !car.isConnected());
        UpdateAccepted wish = speaker.thing(carThing.thing().thingId().value(), "car")
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", true, "targetTemperature", 21))))
                .join();
        network.restore();

        // then: the wish arrives once, although the broker pushes it on subscribe and the SDK reads the shadow too
        await().atMost(WAIT).until(() -> !deltas.isEmpty());
        // fences instead of a pause: the car's own get is answered after the one it sent on reconnecting, and a later
        // wish's delta comes after any second copy of the first one
        car.getAsync().join();
        UpdateAccepted fence = speaker.thing(carThing.thing().thingId().value(), "car")
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("targetTemperature", 22))))
                .join();
        await().atMost(WAIT).until(() -> deltas.stream().anyMatch(delta -> delta.version() == fence.version()));
        assertThat(deltas).hasSize(2).first().satisfies(delta -> {
            assertThat(delta.version()).isEqualTo(wish.version());
            assertThat(delta.state()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true,'targetTemperature':21}}}"));
        });
    }

    @Test
    void reportsWhileOfflineBecomeOneUpdateOnReconnect() {
        // given
        ProvisionedThing carThing = platform.provision("car", household());
        TcpProxy network = network();
        ShadowClient car = connected(carThing, builder -> builder.port(network.port()), delta -> {});
        long before = car.reportAsync(Map.of("range", 400)).join().version();

        // when
        network.cut();
        await().atMost(WAIT).until(() -> !car.isConnected());
        CompletableFuture<UpdateAccepted> first = car.reportAsync(Map.of("range", 390, "fuel", Map.of("level", 65.0)));
        CompletableFuture<UpdateAccepted> second = car.reportAsync(Map.of("range", 380));
        CompletableFuture<UpdateAccepted> third = car.reportAsync(Map.of("fuel", Map.of("level", 63.5)));
        network.restore();

        // then: one update, one version, the latest value of each property
        UpdateAccepted accepted = first.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(second.join()).isEqualTo(accepted);
        assertThat(third.join()).isEqualTo(accepted);
        assertThat(accepted.version()).isEqualTo(before + 1);
        ShadowState document = car.getAsync().join();
        assertThat(document.version()).isEqualTo(before + 1);
        assertThat(document.reported()).isEqualTo(obj("{'range':380,'fuel':{'level':63.5}}"));
    }

    @Test
    void localValidationRefusesWithExactlyThePlatformsCodeAndMessage() throws Exception {
        // given: a device with the SDK, and a raw MQTT device of the same household, type and state
        String owner = household();
        ProvisionedThing sdkThing = platform.provision("car", owner);
        ProvisionedThing rawThing = platform.provision("car", owner);
        ProvisionedThing otherCar = platform.provision("car", owner);
        ShadowClient sdk = connected(sdkThing);
        TestDevice raw = TestDevice.connect(platform.broker(), rawThing);
        clients.close(raw);
        String rawId = rawThing.thing().thingId().value();
        raw.subscribe("things/" + rawId + "/shadow/#");
        raw.subscribe("things/" + otherCar.thing().thingId() + "/shadow/+/rejected");
        sdk.reportAsync(Map.of("range", 300)).join();
        raw.publish("things/" + rawId + "/shadow/update", "{\"state\":{\"reported\":{\"range\":300}}}");
        raw.next("things/" + rawId + "/shadow/update/accepted");

        ObjectNode deep = obj("{'p1':{'p2':{'p3':{'p4':{'p5':{'p6':{'p7':{'p8':{'leaf':1}}}}}}}}}");
        ObjectNode fortyKiB = SafeJson.object();
        for (int i = 0; i < 40; i++) {
            fortyKiB.put("p" + i, "x".repeat(1000));
        }
        ObjectNode seventyKiB = SafeJson.object();
        for (int i = 0; i < 70; i++) {
            seventyKiB.put("p" + i, "x".repeat(1000));
        }
        List<ObjectNode> reports =
                List.of(obj("{'range':'far'}"), obj("{'cabin':{'temperature':200}}"), deep, fortyKiB, seventyKiB);

        // when / then: every report the SDK refuses, the platform refuses with the same code and message
        for (ObjectNode report : reports) {
            ShadowRejectedException local = rejectedLocally(sdk.reportAsync(report));
            Rejection server = platformAnswer(raw, rawId, Section.REPORTED, report, local);
            assertThat(rejection(local)).as("report %s", abbreviated(report)).isEqualTo(server);
        }
        // and desired on a read-only property of another thing of the household
        ObjectNode readOnly = obj("{'range':500}");
        ShadowRejectedException local = rejectedLocally(
                sdk.thing(otherCar.thing().thingId().value(), "car").desireAsync(readOnly));
        Rejection server = platformAnswer(raw, otherCar.thing().thingId().value(), Section.DESIRED, readOnly, local);
        assertThat(rejection(local))
                .isEqualTo(server)
                .isEqualTo(new Rejection(422, "range: readOnly, only the thing itself reports it"));
    }

    @Test
    void aStaleChangeRedeliveredAfterANewerOneReachesNoDevice() throws Exception {
        // given: two wishes, in order
        String owner = household();
        ProvisionedThing carThing = platform.provision("car", owner);
        List<ShadowDelta> deltas = new CopyOnWriteArrayList<>();
        List<ShadowDocuments> documents = new CopyOnWriteArrayList<>();
        ShadowClient car = connected(carThing, builder -> builder, deltas::add);
        car.onDocuments(documents::add);
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        platform.grantWrite(speakerThing, carThing, "cabin.heater.**"); // the heater is household read
        HouseholdThing carFromHome =
                connected(speakerThing).thing(carThing.thing().thingId().value(), "car");
        carFromHome
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("targetTemperature", 20))))
                .join();
        await().atMost(WAIT).until(() -> deltas.size() == 1 && documents.size() == 1);
        carFromHome
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("targetTemperature", 22))))
                .join();
        await().atMost(WAIT).until(() -> deltas.size() == 2);

        // when: the change feed delivers the first change again (a redelivery, or a slow broker node), after the newer
        // one (routed, as every change is, to the broker that watches the car)
        ShadowDocuments old = documents.get(0);
        platform.store()
                .feedRouter()
                .appendRouted(FeedChange.of(
                        FeedEventKind.SHADOW_UPDATED,
                        carThing.thing().thingId(),
                        carThing.thing().owner(),
                        old.current().version(),
                        ShadowPayloads.documents(stored(old.previous()), stored(old.current()), old.timestamp())))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .orElseThrow();

        // then: the broker skips it (older than what it passed on), so neither its documents nor its delta reach the
        // car; a later wish as a fence: the replay would have reached the device before it
        long fence = carFromHome
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("targetTemperature", 23))))
                .join()
                .version();
        await().atMost(WAIT).until(() -> deltas.stream().anyMatch(delta -> delta.version() == fence));
        assertThat(deltas)
                .extracting(ShadowDelta::version)
                .containsExactly(old.current().version(), old.current().version() + 1, fence);
        assertThat(documents)
                .extracting(d -> d.current().version())
                .containsExactly(old.current().version(), old.current().version() + 1, fence);
    }

    @Test
    void aHouseholdMemberReadsWhatTheModelLetsItAndARefusalNamesThePath() {
        // given: the car reports its range, a window and where it is; the household's speaker
        String owner = household();
        ShadowClient car = connected(platform.provision("car", owner));
        car.reportAsync(Map.of(
                        "range",
                        310,
                        "windows",
                        Map.of("frontLeft", Map.of("isOpen", false)),
                        "location",
                        Map.of("latitude", 48.137154, "longitude", 11.576124)))
                .join();
        ShadowClient speaker = connected(platform.provision("speaker", owner));
        HouseholdThing checked = speaker.thing(car.thingId(), "car");
        HouseholdThing sent = speaker.thing(car.thingId());

        // when
        ShadowState selected = checked.getAsync(List.of("range", "windows.**")).join();
        ShadowState whole = checked.getAsync().join();
        ThingSummary summary = checked.summaryAsync("de", "Europe/Berlin").join();
        ShadowRejectedException location = rejected(checked.getAsync(List.of("location")));
        ShadowRejectedException heater =
                rejected(checked.desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", true)))));
        ShadowRejectedException unlock = rejected(checked.invoke("unlock", (JsonNode) null));
        ShadowRejectedException typoLocal = rejected(checked.getAsync(List.of("locaton")));
        ShadowRejectedException typoPlatform = rejected(sent.getAsync(List.of("locaton")));

        // then: a selection holds what it names; the whole shadow and the summary leave the location out
        assertThat(selected.reported()).isEqualTo(obj("{'range':310,'windows':{'frontLeft':{'isOpen':false}}}"));
        assertThat(whole.reported().has("range")).isTrue();
        assertThat(whole.reported().has("location")).isFalse();
        assertThat(summary.text()).contains("310");
        assertThat(summary.facts().findValuesAsText("path")).contains("range").noneMatch(p -> p.startsWith("location"));
        // and each refusal is a 403 naming what was asked
        assertThat(location)
                .isInstanceOfSatisfying(
                        ShadowAccessDeniedException.class,
                        denied -> assertThat(denied.path()).contains("location"));
        assertThat(location.message())
                .isEqualTo("location: " + speaker.thingId() + " may not read location of " + car.thingId());
        assertThat(heater)
                .isInstanceOfSatisfying(
                        ShadowAccessDeniedException.class,
                        denied -> assertThat(denied.path()).contains("desired.cabin.heater.isOn"));
        assertThat(unlock)
                .isInstanceOfSatisfying(
                        ShadowAccessDeniedException.class,
                        denied -> assertThat(denied.path()).contains("unlock"));
        // a path naming nothing in the model: refused before sending exactly as the platform refuses it
        assertThat(typoLocal.isLocal()).isTrue();
        assertThat(typoPlatform.isLocal()).isFalse();
        assertThat(typoLocal.code() + " " + typoLocal.message())
                .isEqualTo(typoPlatform.code() + " " + typoPlatform.message())
                .isEqualTo("422 paths[0]: no property 'locaton' in model car");
    }

    @Test
    void aThingOutsideTheHouseholdIsRefused() {
        // given
        ShadowClient car = connected(platform.provision("car", household()));
        String stranger =
                platform.provision("car", household()).thing().thingId().value();

        // when / then
        assertThatThrownBy(() -> car.thing(stranger).getAsync().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        ShadowRejectedException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(403));
    }

    @Test
    void aWrongSecretFailsConnect() {
        ProvisionedThing car = platform.provision("car", household());
        ShadowClient client = ShadowClient.builder()
                .host(platform.broker().host())
                .port(platform.broker().port())
                .thing(car.thing().thingId().value())
                .secret(car.secret() + "x")
                .build();
        clients.close(client);

        assertThatThrownBy(() -> client.connect().join())
                .cause()
                .isInstanceOf(ShadowConnectException.class)
                .hasMessageContaining("BAD_USER_NAME_OR_PASSWORD");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A fresh owner, so that no other test's things are in the household. */
    private static String household() {
        return "owner-" + Long.toString(System.nanoTime(), 36);
    }

    private TcpProxy network() {
        try {
            return clients.close(
                    new TcpProxy(platform.broker().host(), platform.broker().port()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ShadowClient connected(ProvisionedThing thing) {
        return connected(thing, builder -> builder, delta -> {});
    }

    private ShadowClient connected(
            ProvisionedThing thing,
            java.util.function.UnaryOperator<ShadowClientBuilder> configure,
            DeltaListener deltas) {
        ShadowClient client = clients.client(thing, configure);
        client.onDelta(deltas);
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /** How {@code request} was refused, locally or by the platform. */
    private static ShadowRejectedException rejected(CompletableFuture<?> request) {
        Throwable error = request.orTimeout(10, TimeUnit.SECONDS)
                .handle((done, failure) -> failure)
                .join();
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        assertThat(cause).as("refused").isInstanceOf(ShadowRejectedException.class);
        return (ShadowRejectedException) cause;
    }

    private static ShadowRejectedException rejectedLocally(CompletableFuture<UpdateAccepted> request) {
        assertThat(request).isCompletedExceptionally();
        Throwable cause = request.handle((done, error) -> error).join();
        assertThat(cause).isInstanceOf(ShadowRejectedException.class);
        ShadowRejectedException rejected = (ShadowRejectedException) cause;
        assertThat(rejected.isLocal()).isTrue();
        return rejected;
    }

    /**
     * What the platform answers to the same patch, published raw. For a payload-size rejection the raw payload gets a
     * client token of the length that makes it exactly as long as the SDK's, so the byte count in the message agrees.
     */
    private static Rejection platformAnswer(
            TestDevice raw, String thing, Section section, ObjectNode patch, ShadowRejectedException local)
            throws Exception {
        // A token of its own per request: the store replays the first answer to a token it has seen.
        String token = "raw-" + System.nanoTime();
        if (local.code() == 413 && local.message().startsWith("payload is ")) {
            int sdkBytes = Integer.parseInt(local.message().split(" ")[2]);
            int withoutToken = RequestValidator.payload(section, patch, "").length;
            token = (token + "-".repeat(64)).substring(0, sdkBytes - withoutToken);
        }
        byte[] payload = RequestValidator.payload(section, patch, token);
        raw.publish("things/" + thing + "/shadow/update", new String(payload, StandardCharsets.UTF_8));
        JsonNode answer =
                raw.next("things/" + thing + "/shadow/update/rejected").payload();
        return new Rejection(answer.get("code").asInt(), answer.get("message").asText());
    }

    private static Rejection rejection(ShadowRejectedException rejected) {
        return new Rejection(rejected.code(), rejected.message());
    }

    /** The shadow as the store holds it, to replay it through the change feed. */
    private static ShadowDocument stored(ShadowState state) {
        return new ShadowDocument(
                state.reported(),
                state.desired(),
                state.reportedMetadata(),
                state.desiredMetadata(),
                state.version(),
                state.timestamp());
    }

    private static String abbreviated(ObjectNode report) {
        String json = SafeJson.writeString(report);
        return json.length() > 60 ? json.substring(0, 60) + "..." : json;
    }
}
