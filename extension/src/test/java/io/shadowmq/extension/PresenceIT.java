package io.shadowmq.extension;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence converges to the truth after every way a connection ends, however quickly things come and go. The
 * credential cache is off, so every CONNECT and every presence write looks the thing's household up in Redis: the
 * widest window for a connect's write to be overtaken by its own disconnect's.
 */
class PresenceIT {

    private static final int THINGS = 10;
    private static final int ROUNDS = 15;

    @RegisterExtension
    static final ShadowPlatform platform = ShadowPlatform.withAuthentication("""
            <authentication><credential-cache-ttl-seconds>0</credential-cache-ttl-seconds></authentication>
            """);

    @Test
    void everyThingIsShownDisconnectedAfterManyQuickConnectsAndDisconnects() throws Exception {
        // given
        List<ProvisionedThing> things = provision("presence-quick-household");

        // when: every thing connects and disconnects at once again and again, all at the same time, over 5 and 3.1.1
        List<CompletableFuture<Void>> devices = new ArrayList<>();
        for (int i = 0; i < THINGS; i++) {
            ProvisionedThing thing = things.get(i);
            boolean mqtt5 = i % 2 == 0;
            devices.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    (mqtt5 ? connectAndDisconnect5(thing) : connectAndDisconnect3(thing))
                            .orTimeout(20, TimeUnit.SECONDS)
                            .join();
                }
            }));
        }
        CompletableFuture.allOf(devices.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

        // then
        awaitAllDisconnected(things);
    }

    @Test
    void aConnectionDroppedWhileItsCredentialsAreCheckedIsNeverLeftConnected() throws Exception {
        // given
        List<ProvisionedThing> things = provision("presence-drop-household");

        // when: each sends a CONNECT with its right secret and drops the TCP connection without DISCONNECT, many
        // times, after waits of 0 to a few milliseconds: before, during and after the broker authenticates it
        for (int round = 0; round < ROUNDS; round++) {
            for (ProvisionedThing thing : things) {
                try (Socket socket =
                        new Socket(platform.broker().host(), platform.broker().port())) {
                    socket.setSoLinger(true, 0);
                    OutputStream out = socket.getOutputStream();
                    out.write(connectPacket(thing.thing().thingId().value(), thing.secret()));
                    out.flush();
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(round * 300L));
                }
            }
        }

        // then
        awaitAllDisconnected(things);
    }

    @Test
    void aDisconnectWhileRedisIsBrieflyDownIsRecordedOnceItIsBack() throws Exception {
        // given: a connected device, shown connected
        ProvisionedThing thing = platform.provision("fridge", "presence-outage-household");
        String id = thing.thing().thingId().value();
        Mqtt5AsyncClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildAsync();
        device.connectWith()
                .simpleAuth()
                .username(id)
                .password(thing.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence(thing.thing().thingId()).connected());

        // when: it disconnects while Redis is down (its household cannot be looked up, nor the write made) for
        // longer than a store call may take, then Redis comes back
        platform.redis().stop();
        device.disconnect().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> platform.store()
                                .presence()
                                .status(thing.thing().thingId())
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS)
                        instanceof Outcome.Rejected<PresenceStatus>);
        platform.redis().start();

        // then
        awaitAllDisconnected(List.of(thing));
    }

    static PresenceStatus presence(ThingId thing) throws Exception {
        return platform.store()
                .presence()
                .status(thing)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();
    }

    private static List<ProvisionedThing> provision(String household) {
        List<ProvisionedThing> things = new ArrayList<>();
        for (int i = 0; i < THINGS; i++) {
            things.add(platform.provision("car", household));
        }
        return things;
    }

    private static void awaitAllDisconnected(List<ProvisionedThing> things) {
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(things)
                        .allSatisfy(thing -> assertThat(
                                        presence(thing.thing().thingId()).connected())
                                .as("%s connected", thing.thing().thingId())
                                .isFalse()));
    }

    private static CompletableFuture<Void> connectAndDisconnect5(ProvisionedThing thing) {
        String id = thing.thing().thingId().value();
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildAsync();
        return client.connectWith()
                .simpleAuth()
                .username(id)
                .password(thing.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .thenCompose(connAck -> client.disconnect());
    }

    private static CompletableFuture<Void> connectAndDisconnect3(ProvisionedThing thing) {
        String id = thing.thing().thingId().value();
        Mqtt3AsyncClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildAsync();
        return client.connectWith()
                .simpleAuth()
                .username(id)
                .password(thing.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .thenCompose(connAck -> client.disconnect());
    }

    /** An MQTT 3.1.1 CONNECT: clean session, keep-alive 60 s, client id = user name, password. */
    private static byte[] connectPacket(String clientId, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        body.write(0xC2);
        body.write(0);
        body.write(60);
        writeString(body, clientId);
        writeString(body, clientId);
        writeString(body, password);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        int length = body.size();
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
