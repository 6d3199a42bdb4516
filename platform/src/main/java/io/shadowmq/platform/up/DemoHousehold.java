package io.shadowmq.platform.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.cli.CliFailure;
import io.shadowmq.platform.cli.RestConnection;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.examples.CabinState;
import io.shadowmq.sdk.examples.CarSimulator;
import io.shadowmq.sdk.examples.DeviceSimulator;
import io.shadowmq.sdk.examples.FridgeSimulator;
import io.shadowmq.sdk.examples.FridgeState;
import io.shadowmq.sdk.examples.SimulatedDevice;
import io.shadowmq.sdk.examples.SpeakerSimulator;
import io.shadowmq.sdk.examples.WasherSimulator;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A living household for {@code ./shadowmq up} (owner {@value #OWNER}): a car, a speaker, a fridge and a washer,
 * provisioned over REST and run by the SDK's example simulators ({@link DeviceSimulator}), so the console shows
 * values that change on their own (the fridge cools down, the car's cabin cools towards the outside temperature)
 * and devices that carry out what they are asked. A second start on the same data dir finds the things already
 * provisioned and rotates their secrets: only this process knows them.
 *
 * <pre>{@code
 * try (DemoHousehold demo = DemoHousehold.start(platform.httpUri(), platform.adminToken(), "127.0.0.1", 1883, line -> {})) {
 *     demo.things(); // [demo-car, demo-speaker, demo-fridge, demo-washer]
 * }
 * }</pre>
 */
public final class DemoHousehold implements AutoCloseable {

    public static final String OWNER = "demo";
    /** How often (real time) each device advances and reports what changed: slow enough to read along. */
    static final Duration TICK = Duration.ofSeconds(2);
    /** Simulated seconds per real second: every tick is a simulated minute, so temperatures move visibly. */
    static final double TIME_SCALE = 30;

    private record Member(String thingId, String type, Supplier<SimulatedDevice> device) {}

    /** The household; the car and the fridge start away from where their thermal models settle. */
    private static final List<Member> MEMBERS = List.of(
            new Member("demo-car", "car", () -> new CarSimulator(new CabinState(16.0, 3.0, false, 21.0), 62.0)),
            new Member("demo-speaker", "speaker", () -> new SpeakerSimulator(25, false)),
            new Member("demo-fridge", "fridge", () -> new FridgeSimulator(new FridgeState(11.0, 4.0, false, false))),
            new Member("demo-washer", "washer", WasherSimulator::new));

    private final List<DeviceSimulator> simulators;

    private DemoHousehold(List<DeviceSimulator> simulators) {
        this.simulators = simulators;
    }

    /**
     * Provisions the household (or takes over its things with new secrets) and connects its devices.
     *
     * @param narrator one line per thing a device does (a delta it acts on, a command it runs)
     * @throws CliFailure when a demo thing id belongs to another household, or the REST service refuses
     */
    public static @NotNull DemoHousehold start(
            @NotNull String http,
            @NotNull String adminToken,
            @NotNull String mqttHost,
            int mqttPort,
            @NotNull Consumer<String> narrator)
            throws CliFailure, InterruptedException {
        RestConnection rest = RestConnection.to(http, adminToken);
        List<DeviceSimulator> simulators = new ArrayList<>();
        DemoHousehold household = new DemoHousehold(simulators);
        try {
            for (Member member : MEMBERS) {
                String secret = secretOf(rest, member);
                ShadowClient client = ShadowClient.builder()
                        .host(mqttHost)
                        .port(mqttPort)
                        .thing(member.thingId())
                        .secret(secret)
                        .type(member.type())
                        .build();
                simulators.add(new DeviceSimulator(client, member.device().get(), TIME_SCALE, TICK, narrator));
            }
            for (DeviceSimulator simulator : simulators) {
                simulator.start().get(20, TimeUnit.SECONDS);
            }
            return household;
        } catch (CliFailure | InterruptedException | RuntimeException failure) {
            household.close();
            throw failure;
        } catch (Exception e) {
            household.close();
            throw new CliFailure("the demo household's devices did not connect: " + e.getMessage());
        }
    }

    /** Provisions the thing, or rotates the secret of the demo thing a previous run left. */
    private static String secretOf(RestConnection rest, Member member) throws CliFailure, InterruptedException {
        RestConnection.Answer created = rest.send(
                "POST",
                "/api/v1/things",
                SafeJson.writeString(SafeJson.object()
                        .put("thingId", member.thingId())
                        .put("type", member.type())
                        .put("owner", OWNER)));
        if (created.status() == 409) {
            JsonNode existing = read(rest.send("GET", "/api/v1/things/" + member.thingId(), null), member);
            if (!OWNER.equals(existing.path("owner").asText())
                    || !member.type().equals(existing.path("type").asText())) {
                throw new CliFailure(member.thingId() + " exists as a "
                        + existing.path("type").asText()
                        + " of household " + existing.path("owner").asText()
                        + ", not the demo's: run ./shadowmq up --no-demo, or use another --data-dir");
            }
            return read(rest.send("POST", "/api/v1/things/" + member.thingId() + "/secret", null), member)
                    .get("secret")
                    .asText();
        }
        return read(created, member).get("secret").asText();
    }

    private static JsonNode read(RestConnection.Answer answer, Member member) throws CliFailure {
        if (!answer.ok()) {
            throw new CliFailure("the demo household's " + member.thingId() + ": the REST service answered "
                    + answer.status() + " " + answer.body());
        }
        try {
            return SafeJson.read(answer.body());
        } catch (MalformedJsonException e) {
            throw new CliFailure("the demo household's " + member.thingId() + ": the REST service answered no JSON: "
                    + e.getMessage());
        }
    }

    /** The demo things' ids, in the order above. */
    public @NotNull List<String> things() {
        return MEMBERS.stream().map(Member::thingId).toList();
    }

    @Override
    public void close() {
        simulators.forEach(DeviceSimulator::close);
    }
}
