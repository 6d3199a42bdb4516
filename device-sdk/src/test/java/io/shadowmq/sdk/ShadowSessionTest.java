package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.sdk.FakeTransport.Published;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The protocol engine against a hand-driven connection: what goes out, when, and what the device gets back. */
class ShadowSessionTest {

    private static final String CAR = "things/car-1/shadow/";
    private static final long T0 = 1_700_000_000_000L;

    private final FakeTransport broker = new FakeTransport();
    private final List<ShadowDelta> deltas = new CopyOnWriteArrayList<>();
    private final List<ShadowClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ShadowClient::close);
    }

    @Test
    void afterConnectingItSubscribesToItsOwnTopicsThenReadsItsShadow() {
        // given
        ShadowClient client = car(ShadowClient.builder());

        // when
        CompletableFuture<Void> connected = client.connect();
        broker.connect();

        // then
        assertThat(connected).isCompleted();
        assertThat(broker.subscribed).containsExactly(List.of(CAR + "#"));
        assertThat(broker.published).extracting(Published::topic).containsExactly(CAR + "get");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void theDeltaMissedWhileOfflineIsHandedOverOnceThoughTheBrokerPushesItToo() {
        // given
        connectedCar();
        Published sync = broker.last(CAR + "get");

        // when: the shadow read after connecting has a wish, and the broker pushes the same pending delta
        ShadowDocument document =
                document(obj("{'cabin':{'heater':{'isOn':false}}}"), obj("{'cabin':{'heater':{'isOn':true}}}"), 7);
        broker.answer(sync, "accepted", ShadowPayloads.get(document, T0, null));
        broker.deliver(CAR + "update/delta", ShadowPayloads.delta(document, T0));

        // then
        assertThat(deltas).singleElement().satisfies(delta -> {
            assertThat(delta.version()).isEqualTo(7);
            assertThat(delta.state()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}"));
        });
    }

    @Test
    void aStaleDeltaArrivingAfterANewerOneIsIgnored() {
        // given
        connectedCar();

        // when
        broker.deliver(CAR + "update/delta", delta("{'cabin':{'heater':{'targetTemperature':22}}}", 9));
        broker.deliver(CAR + "update/delta", delta("{'cabin':{'heater':{'targetTemperature':21}}}", 8));

        // then
        assertThat(deltas).extracting(ShadowDelta::version).containsExactly(9L);
    }

    @Test
    void aDeltaOlderThanTheShadowReadAfterConnectingIsIgnored() {
        // given: after connecting, the shadow is at version 12 and the device has nothing to do
        connectedCar();
        broker.answer(
                broker.last(CAR + "get"),
                "accepted",
                ShadowPayloads.get(document(obj("{'range':300}"), SafeJson.object(), 12), T0, null));

        // when: a delta of version 11, long fulfilled, arrives late
        broker.deliver(CAR + "update/delta", delta("{'cabin':{'heater':{'isOn':true}}}", 11));

        // then
        assertThat(deltas).isEmpty();
    }

    @Test
    void aDeltaIsNotLostBecauseTheDevicesOwnLaterReportWasAcceptedFirst() {
        // given: a report accepted at version 8 overtakes the delta of version 7 on its way from the change feed
        ShadowClient client = connectedCar();
        CompletableFuture<UpdateAccepted> report = client.reportAsync(Map.of("range", 300));
        acceptUpdate(broker.last(CAR + "update"), 8);

        // when
        broker.deliver(CAR + "update/delta", delta("{'cabin':{'heater':{'isOn':true}}}", 7));

        // then
        assertThat(report.join().version()).isEqualTo(8);
        assertThat(deltas).extracting(ShadowDelta::version).containsExactly(7L);
    }

    @Test
    void reportsWhileOfflineAreCoalescedIntoOneUpdateSentOnReconnect() {
        // given
        ShadowClient client = connectedCar();
        broker.drop();

        // when
        CompletableFuture<UpdateAccepted> first = client.reportAsync(Map.of("range", 300, "fuel", Map.of("level", 50)));
        CompletableFuture<UpdateAccepted> second = client.reportAsync(Map.of("range", 290));
        CompletableFuture<UpdateAccepted> third = client.reportAsync(obj("{'cabin':{'temperature':3.5}}"));
        assertThat(broker.publishedTo(CAR + "update")).isEmpty();
        broker.connect();

        // then
        assertThat(broker.publishedTo(CAR + "update"))
                .singleElement()
                .satisfies(update -> assertThat(update.payload().get("state"))
                        .isEqualTo(obj("{'reported':{'range':290,'fuel':{'level':50},'cabin':{'temperature':3.5}}}")));
        assertThat(first).isNotDone();
        acceptUpdate(broker.last(CAR + "update"), 12);
        assertThat(List.of(first.join(), second.join(), third.join()))
                .extracting(UpdateAccepted::version)
                .containsOnly(12L);
    }

    @Test
    void afterAReconnectTheShadowIsReadBeforeTheBufferedReportGoesOut() {
        // given
        ShadowClient client = connectedCar();
        broker.drop();
        assertThat(client.reportAsync(Map.of("range", 300))).isNotDone();
        broker.published.clear();

        // when
        broker.connect();

        // then
        assertThat(broker.subscribed).hasSize(2);
        assertThat(broker.published).extracting(Published::topic).containsExactly(CAR + "get", CAR + "update");
    }

    @Test
    void aReportThatDoesNotFitTheFullBufferFailsAndTheOthersStay() {
        // given
        ShadowClient client = car(ShadowClient.builder().offlineBufferBytes(40));
        CompletableFuture<UpdateAccepted> fits = client.reportAsync(Map.of("range", 300));

        // when
        CompletableFuture<UpdateAccepted> tooMuch =
                client.reportAsync(Map.of("location", Map.of("latitude", 48.137154, "longitude", 11.576124)));

        // then
        assertThat(tooMuch)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ShadowBufferFullException.class)
                .withMessageContaining("of 40 bytes");
        assertThat(fits).isNotDone();
    }

    @Test
    void aReportThatBreaksTheModelFailsBeforeAnythingIsSent() {
        // given
        ShadowClient client = connectedCar();
        broker.published.clear();

        // when
        CompletableFuture<UpdateAccepted> report = client.reportAsync(Map.of("range", "far"));

        // then
        assertThat(report)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(422);
                    assertThat(rejected.message()).isEqualTo("range: expected integer, got string");
                    assertThat(rejected.isLocal()).isTrue();
                });
        assertThat(broker.published).isEmpty();
    }

    @Test
    void answersAreMatchedByClientTokenAndRejectionsCarryCodeAndMessage() {
        // given
        ShadowClient client = connectedCar();
        CompletableFuture<ShadowState> get = client.getAsync();
        Published request = broker.last(CAR + "get");

        // when: first someone else's answer, then ours
        broker.deliver(CAR + "get/rejected", obj("{'code':404,'message':'not yours','clientToken':'other-1'}"));
        assertThat(get).isNotDone();
        broker.answer(request, "rejected", ShadowPayloads.rejected(Rejection.noShadow("car-1"), null, T0));

        // then
        assertThat(get)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(404);
                    assertThat(rejected.message()).isEqualTo("no shadow for thing car-1");
                    assertThat(rejected.isLocal()).isFalse();
                });
    }

    @Test
    void aRequestWithoutAnswerTimesOut() {
        // given
        ShadowClient client = connectedCar(ShadowClient.builder().requestTimeout(Duration.ofMillis(100)));

        // when
        CompletableFuture<ShadowState> get = client.getAsync();

        // then
        assertThat(get)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ShadowTimeoutException.class)
                .withMessageContaining("get of car-1");
    }

    @Test
    void aRequestInterruptedByADisconnectGoesOutAgainWithTheSameToken() {
        // given
        ShadowClient client = connectedCar();
        CompletableFuture<UpdateAccepted> report = client.reportAsync(Map.of("range", 300));
        Published sent = broker.last(CAR + "update");

        // when
        broker.drop();
        assertThat(client.reportAsync(Map.of("range", 280))).isNotDone();
        broker.connect();

        // then: the interrupted update first and unchanged, then the newer report
        List<Published> updates = broker.publishedTo(CAR + "update");
        assertThat(updates).hasSize(3);
        assertThat(updates.get(1)).isEqualTo(sent);
        assertThat(updates.get(2).payload().at("/state/reported/range").asInt()).isEqualTo(280);
        acceptUpdate(updates.get(1), 5);
        assertThat(report.join().version()).isEqualTo(5);
    }

    @Test
    void updatesArePacedAndWaitingReportsCoalesce() {
        // given: 2 updates per second, so a burst of 2
        ShadowClient client = connectedCar(ShadowClient.builder().updatesPerSecond(2));

        // when
        for (int range = 100; range < 110; range++) {
            assertThat(client.reportAsync(Map.of("range", range))).isNotDone();
        }

        // then: two at once, the other eight as one update about half a second later
        assertThat(broker.publishedTo(CAR + "update")).hasSize(2);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> broker.publishedTo(CAR + "update").size() == 3);
        assertThat(broker.last(CAR + "update")
                        .payload()
                        .at("/state/reported/range")
                        .asInt())
                .isEqualTo(109);
    }

    @Test
    void aRateLimitedUpdateIsSentAgainAfterAPauseInsteadOfFailing() {
        // given
        ShadowClient client = connectedCar();
        CompletableFuture<UpdateAccepted> report = client.reportAsync(Map.of("range", 300));
        Published sent = broker.last(CAR + "update");

        // when
        broker.answer(sent, "rejected", ShadowPayloads.rejected(Rejection.rateLimited("rate limit"), null, T0));

        // then
        await().atMost(Duration.ofSeconds(3))
                .until(() -> broker.publishedTo(CAR + "update").size() == 2);
        assertThat(broker.last(CAR + "update")).isEqualTo(sent);
        assertThat(report).isNotDone();
        acceptUpdate(sent, 3);
        assertThat(report.join().version()).isEqualTo(3);
    }

    @Test
    void anotherThingOfTheHouseholdIsSubscribedOnFirstUseAndCheckedAgainstItsModel() {
        // given
        ShadowClient client = connectedCar();
        HouseholdThing fridge = client.thing("fridge-1", "fridge");

        // when
        CompletableFuture<UpdateAccepted> readOnly = fridge.desireAsync(Map.of("temperature", 2));
        CompletableFuture<UpdateAccepted> wish = fridge.desireAsync(Map.of("targetTemperature", 4));

        // then
        assertThat(readOnly)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .withMessageContaining("temperature: readOnly, only the thing itself reports it");
        assertThat(broker.subscribed)
                .contains(List.of("things/fridge-1/shadow/+/accepted", "things/fridge-1/shadow/+/rejected"));
        Published update = broker.last("things/fridge-1/shadow/update");
        assertThat(update.payload().get("state")).isEqualTo(obj("{'desired':{'targetTemperature':4}}"));
        acceptUpdate(update, 2);
        assertThat(wish.join().version()).isEqualTo(2);
    }

    @Test
    void aThingOutsideTheHouseholdIsRefusedAtTheSubscription() {
        // given
        ShadowClient client = connectedCar();
        broker.onSubscribe = filters -> CompletableFuture.failedFuture(
                new ShadowRejectedException(403, "subscription to " + filters.get(0) + " refused", false));

        // when
        CompletableFuture<ShadowState> get = client.thing("stranger-car").getAsync();

        // then
        assertThat(get)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        ShadowRejectedException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(403));
        assertThat(broker.publishedTo("things/stranger-car/shadow/get")).isEmpty();
    }

    @Test
    void aSelectingGetSendsItsPathsAndARefusedPathIsNamedByTheException() {
        // given
        ShadowClient speaker = connectedCar();
        HouseholdThing otherCar = speaker.thing("car-2", "car");

        // when
        CompletableFuture<ShadowState> selected = otherCar.getAsync(List.of("range", "windows.**"));
        Published get = broker.last("things/car-2/shadow/get");
        broker.answer(
                get,
                "accepted",
                document(obj("{'range':310}"), SafeJson.object(), 4).toStoredJson());
        CompletableFuture<ShadowState> location = otherCar.getAsync(List.of("location"));
        broker.answer(
                broker.last("things/car-2/shadow/get"),
                "rejected",
                obj("{'code':403,'message':'location: car-1 may not read location of car-2'}"));

        // then
        assertThat(get.payload().get("paths")).containsExactly(new TextNode("range"), new TextNode("windows.**"));
        assertThat(selected.join().reported()).isEqualTo(obj("{'range':310}"));
        assertThat(location)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ShadowAccessDeniedException.class, denied -> {
                    assertThat(denied.code()).isEqualTo(403);
                    assertThat(denied.path()).contains("location");
                    assertThat(denied.isLocal()).isFalse();
                });
    }

    @Test
    void aPathThatIsNoPatternOrNoPropertyOfTheModelIsRefusedBeforeSending() {
        // given
        ShadowClient speaker = connectedCar();
        HouseholdThing otherCar = speaker.thing("car-2", "car");

        // when
        CompletableFuture<ShadowState> noPattern = otherCar.getAsync(List.of("range", "doors.**.isOpen"));
        CompletableFuture<ShadowState> noProperty = otherCar.getAsync(List.of("locaton"));

        // then
        assertThat(noPattern)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.isLocal()).isTrue();
                    assertThat(rejected.code()).isEqualTo(400);
                    assertThat(rejected.message()).startsWith("paths[1]: 'doors.**.isOpen' is not a path pattern");
                });
        assertThat(noProperty)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.isLocal()).isTrue();
                    assertThat(rejected.code() + " " + rejected.message())
                            .isEqualTo("422 paths[0]: no property 'locaton' in model car");
                });
        assertThat(broker.publishedTo("things/car-2/shadow/get")).isEmpty();
    }

    @Test
    void aSummaryIsAskedOnItsOwnTopicsAndALanguageNotKnownIsRefusedBeforeSending() {
        // given
        ShadowClient speaker = connectedCar();
        HouseholdThing otherCar = speaker.thing("car-2", "car");

        // when
        CompletableFuture<ThingSummary> german = otherCar.summaryAsync("de", "Europe/Berlin");
        Published ask = broker.last("things/car-2/summary/get");
        broker.answer(
                ask,
                "accepted",
                obj("{'thingId':'car-2','lang':'de','text':'Dein Auto kann noch 310 Kilometer fahren.',"
                        + "'facts':[{'path':'range','value':310,'unit':'km'}],'timestamp':1}"));
        CompletableFuture<ThingSummary> french = otherCar.summaryAsync("fr", null);

        // then
        assertThat(broker.subscribed)
                .contains(List.of("things/car-2/summary/get/accepted", "things/car-2/summary/get/rejected"));
        assertThat(ask.payload().get("lang").asText()).isEqualTo("de");
        assertThat(ask.payload().get("timezone").asText()).isEqualTo("Europe/Berlin");
        ThingSummary summary = german.join();
        assertThat(summary.text()).isEqualTo("Dein Auto kann noch 310 Kilometer fahren.");
        assertThat(summary.facts().get(0).get("path").asText()).isEqualTo("range");
        assertThat(french)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ShadowRejectedException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(400);
                    assertThat(rejected.isLocal()).isTrue();
                });
        assertThat(broker.publishedTo("things/car-2/summary/get")).hasSize(1);
    }

    @Test
    void documentsOfTheThingReachTheListener() {
        // given
        List<ShadowDocuments> documents = new CopyOnWriteArrayList<>();
        ShadowClient client = connectedCar();
        client.onDocuments(documents::add);

        // when
        broker.deliver(
                CAR + "update/documents",
                ShadowPayloads.documents(
                        ShadowDocument.empty(0), document(obj("{'range':300}"), SafeJson.object(), 1), T0));

        // then
        assertThat(documents)
                .singleElement()
                .satisfies(change -> assertThat(change.current().reported()).isEqualTo(obj("{'range':300}")));
    }

    @Test
    void closingFailsWhatIsStillWaiting() {
        // given
        ShadowClient client = car(ShadowClient.builder());
        CompletableFuture<UpdateAccepted> buffered = client.reportAsync(Map.of("range", 1));

        // when
        client.close();

        // then
        assertThat(buffered)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ShadowClosedException.class);
        assertThat(client.getAsync())
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ShadowClosedException.class);
        assertThat(broker.stopped).isTrue();
    }

    @Test
    void aRefusedFirstConnectFailsConnect() {
        ShadowClient client = car(ShadowClient.builder());
        CompletableFuture<Void> connected = client.connect();

        broker.refuse("broker refused thing car-1: BAD_USER_NAME_OR_PASSWORD");

        assertThat(connected)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ShadowConnectException.class)
                .withMessageContaining("BAD_USER_NAME_OR_PASSWORD");
    }

    @Test
    void changingTheShadowGotFromGetChangesNothingTheClientChecksReportsAgainst() {
        // given: the car read its shadow
        ShadowClient client = connectedCar();
        CompletableFuture<ShadowState> get = client.getAsync();
        broker.answer(
                broker.last(CAR + "get"),
                "accepted",
                ShadowPayloads.get(document(obj("{'range':300}"), SafeJson.object(), 3), T0, null));
        ShadowState shadow = get.join();

        // when: the caller writes 40 KB into what it got (more than the 32 KiB a shadow's state may hold)
        shadow.reported().put("junk", "x".repeat(40_000));
        shadow.desired().put("junk", "x".repeat(40_000));

        // then: the shadow it got and the one the client predicts sizes from are as the platform said
        assertThat(shadow.reported()).isEqualTo(obj("{'range':300}"));
        CompletableFuture<UpdateAccepted> report = client.reportAsync(Map.of("range", 290));
        assertThat(report).isNotCompletedExceptionally();
        assertThat(broker.last(CAR + "update")
                        .payload()
                        .at("/state/reported/range")
                        .asInt())
                .isEqualTo(290);
    }

    @Test
    void aListenerChangingTheDeltaChangesNothingTheNextListenerGets() {
        // given: two listeners, the first one careless
        ShadowClient client = connectedCar();
        List<ObjectNode> seenBySecond = new CopyOnWriteArrayList<>();
        client.onDelta(delta -> delta.state().removeAll());
        client.onDelta(delta -> seenBySecond.add(delta.state()));

        // when
        broker.deliver(CAR + "update/delta", delta("{'cabin':{'heater':{'isOn':true}}}", 4));

        // then
        assertThat(seenBySecond).containsExactly(obj("{'cabin':{'heater':{'isOn':true}}}"));
        assertThat(deltas)
                .singleElement()
                .satisfies(delta -> assertThat(delta.state()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}")));
    }

    @Test
    void changingOneReportsAnswerChangesNothingTheOtherCoalescedReportsGet() {
        // given: two reports while offline, coalesced into one update
        ShadowClient client = car(ShadowClient.builder());
        assertThat(client.connect()).isNotDone();
        CompletableFuture<UpdateAccepted> first = client.reportAsync(Map.of("range", 300));
        CompletableFuture<UpdateAccepted> second = client.reportAsync(Map.of("range", 290));
        broker.connect();
        acceptUpdate(broker.last(CAR + "update"), 5);

        // when: whoever got the first answer changes it
        first.join().state().removeAll();
        first.join().metadata().put("junk", 1);

        // then
        assertThat(second.join().state()).isEqualTo(obj("{'reported':{'range':290}}"));
        assertThat(first.join().state()).isEqualTo(obj("{'reported':{'range':290}}"));
        assertThat(second.join().metadata()).isEqualTo(SafeJson.object());
    }

    @Test
    void aReportFailsInsteadOfWaitingForeverWhenItsAcceptedAnswerCannotBeRead() {
        // given
        ShadowClient client = connectedCar();
        CompletableFuture<UpdateAccepted> report = client.reportAsync(Map.of("range", 300));

        // when: the update is accepted with an answer that has no version
        Published update = broker.last(CAR + "update");
        ObjectNode accepted = SafeJson.object();
        accepted.set("state", update.payload().get("state"));
        broker.answer(update, "accepted", accepted);

        // then
        assertThat(report).isCompletedExceptionally();
    }

    @Test
    void aDocumentsListenerChangingWhatItGotChangesNothingTheClientKeeps() {
        // given: a careless documents listener, then a careful one
        ShadowClient client = connectedCar();
        List<ObjectNode> seenBySecond = new CopyOnWriteArrayList<>();
        client.onDocuments(change -> change.current().reported().put("junk", "x".repeat(40_000)));
        client.onDocuments(change -> seenBySecond.add(change.current().reported()));

        // when
        broker.deliver(
                CAR + "update/documents",
                ShadowPayloads.documents(
                        ShadowDocument.empty(0), document(obj("{'range':300}"), SafeJson.object(), 1), T0));

        // then: the next listener and the next report's size check see the shadow as the platform sent it
        assertThat(seenBySecond).containsExactly(obj("{'range':300}"));
        assertThat(client.reportAsync(Map.of("range", 290))).isNotCompletedExceptionally();
    }

    @Test
    void changingAPatchAfterReportingItChangesNothingThatIsSent() {
        // given: offline, so the report waits in the buffer
        ShadowClient client = car(ShadowClient.builder());
        assertThat(client.connect()).isNotDone();
        ObjectNode patch = obj("{'range':300}");
        assertThat(client.reportAsync(patch)).isNotDone();

        // when
        patch.put("range", 1);
        patch.put("junk", "x");
        broker.connect();

        // then
        assertThat(broker.last(CAR + "update").payload().at("/state/reported")).isEqualTo(obj("{'range':300}"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ShadowClient car(ShadowClientBuilder builder) {
        ShadowClient client =
                builder.thing("car-1").secret("s3cret").type("car").build(broker);
        client.onDelta(deltas::add);
        clients.add(client);
        return client;
    }

    private ShadowClient connectedCar() {
        return connectedCar(ShadowClient.builder());
    }

    private ShadowClient connectedCar(ShadowClientBuilder builder) {
        ShadowClient client = car(builder);
        assertThat(client.connect()).isNotDone();
        broker.connect();
        return client;
    }

    private void acceptUpdate(Published update, long version) {
        ObjectNode accepted = SafeJson.object();
        accepted.set("state", update.payload().get("state"));
        accepted.set("metadata", SafeJson.object());
        accepted.put("version", version);
        accepted.put("timestamp", T0);
        broker.answer(update, "accepted", accepted);
    }

    private static ObjectNode delta(String singleQuotedState, long version) {
        ObjectNode delta = SafeJson.object();
        delta.set("state", obj(singleQuotedState));
        delta.set("metadata", SafeJson.object());
        delta.put("version", version);
        delta.put("timestamp", T0);
        return delta;
    }

    private static ShadowDocument document(ObjectNode reported, ObjectNode desired, long version) {
        return new ShadowDocument(reported, desired, SafeJson.object(), SafeJson.object(), version, T0);
    }
}
