package io.shadowmq.bench.scenario;

import io.shadowmq.bench.load.LoadPhase;
import io.shadowmq.bench.load.OpenLoop;
import io.shadowmq.bench.load.RateLadder;
import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.load.Timeline;
import io.shadowmq.bench.mqtt.ConnectStorm;
import io.shadowmq.bench.mqtt.DeviceFleet;
import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.bench.target.MqttTarget;
import io.shadowmq.bench.target.ReplyFloor;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code updates}, {@code echo} and {@code peer}: connect the fleet all at once (which is also the
 * {@code connect-storm} measurement), subscribe each device to its answers, and climb the rate ladder with
 * {@link RoundTripLoad}.
 */
public final class RoundTripBench {

    /** How the devices talk to one kind of target. */
    public enum Shape {
        /** Shadow updates: publish {@code update}, answer on {@code update/accepted} or {@code update/rejected}. */
        SHADOW_UPDATE(
                thing -> update(thing).request(),
                thing -> List.of(update(thing).accepted(), update(thing).rejected())),
        /** Plain echo: publish on a topic the same device subscribed to (one subscriber per publisher). */
        ECHO(thing -> "things/" + thing + "/echo", thing -> List.of("things/" + thing + "/echo")),
        /** The reply floor ({@link io.shadowmq.bench.target.ReplyFloor}): publish a request, answer on another topic. */
        REPLY(ReplyFloor::request, thing -> List.of(ReplyFloor.answer(thing)));

        private final Function<String, String> requestTopic;

        private static ShadowTopic update(String thing) {
            return new ShadowTopic(ThingId.of(thing), ShadowTopic.Operation.UPDATE);
        }

        private final Function<String, List<String>> answerTopics;

        Shape(Function<String, String> requestTopic, Function<String, List<String>> answerTopics) {
            this.requestTopic = requestTopic;
            this.answerTopics = answerTopics;
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(60);

    private final BenchSettings settings;
    private final Progress progress;

    public RoundTripBench(@NotNull BenchSettings settings, @NotNull Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs the ladder against {@code target}. {@code warmup} devices connect and disconnect first, so the storm is
     * not also measuring the load generator's JIT warm-up; they are other things than {@code things}, so the
     * extension's credential cache is cold for the storm. With {@code climb} false only the storm is measured.
     */
    public @NotNull RoundTripRun run(
            @NotNull String scenario,
            @NotNull MqttTarget target,
            @NotNull Shape shape,
            @NotNull List<ThingCredentials> warmup,
            @NotNull List<ThingCredentials> things,
            boolean climb)
            throws Exception {
        try (Session session = open(scenario, target, shape, warmup, things)) {
            return climb ? session.climb() : session.stormOnly();
        }
    }

    /**
     * Connects the fleet to {@code target} (the warm-up devices first, then {@code things} all at once: the connect
     * storm; no warm-up without {@code warmup} devices) and keeps it connected for several measurements — a ladder, a fixed rate, a load profile — until the
     * session is closed.
     */
    public @NotNull Session open(
            @NotNull String scenario,
            @NotNull MqttTarget target,
            @NotNull Shape shape,
            @NotNull List<ThingCredentials> warmup,
            @NotNull List<ThingCredentials> things)
            throws Exception {
        if (!warmup.isEmpty()) {
            try (DeviceFleet warm = DeviceFleet.of(target.host(), target.mqttPort(), warmup, (d, t, p) -> {})) {
                warm.connectAll(CONNECT_TIMEOUT);
            }
        }
        RoundTripLoad load =
                new RoundTripLoad(things.stream().map(ThingCredentials::thingId).toList(), shape.requestTopic);
        DeviceFleet fleet = DeviceFleet.of(target.host(), target.mqttPort(), things, load);
        try {
            load.attach(fleet);
            progress.say(
                    scenario, "connecting %,d devices at once to %s".formatted(things.size(), target.description()));
            // The storm's refusals are its result; the load still needs every device, so they are retried.
            ConnectStorm storm = fleet.connectAllRetryingRefused(CONNECT_TIMEOUT);
            progress.say(
                    scenario,
                    "%,d connected in %.2f s (%,.0f/s), %,d refused (then connected %d at a time)"
                            .formatted(
                                    storm.connected(),
                                    storm.seconds(),
                                    storm.rate(),
                                    storm.failed(),
                                    DeviceFleet.RETRY_CONCURRENCY));
            return new Session(scenario, target, shape, fleet, load, storm);
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    /** A connected fleet against one target; closing it disconnects the fleet (the target stays up). */
    public final class Session implements AutoCloseable {
        private final String scenario;
        private final MqttTarget target;
        private final Shape shape;
        private final DeviceFleet fleet;
        private final RoundTripLoad load;
        private final ConnectStorm storm;
        private final OpenLoop loop = new OpenLoop(settings.drain());
        private boolean subscribed;

        private Session(
                String scenario,
                MqttTarget target,
                Shape shape,
                DeviceFleet fleet,
                RoundTripLoad load,
                ConnectStorm storm) {
            this.scenario = scenario;
            this.target = target;
            this.shape = shape;
            this.fleet = fleet;
            this.load = load;
            this.storm = storm;
        }

        public @NotNull MqttTarget target() {
            return target;
        }

        /** The fleet's first connect, without a ladder. */
        public @NotNull RoundTripRun stormOnly() {
            return new RoundTripRun(target.description(), storm, RateLadder.Result.none(settings.p99LimitMillis()), 0);
        }

        /** Climbs the rate ladder ({@link BenchSettings#rates()}). */
        public @NotNull RoundTripRun climb() throws InterruptedException, TimeoutException {
            subscribe();
            RateLadder ladder =
                    new RateLadder(loop, settings.stepDuration(), settings.pause(), settings.p99LimitMillis());
            RateLadder.Result result = ladder.climb(
                    settings.rates(),
                    load,
                    step -> progress.step(scenario, step, settings.p99LimitMillis()),
                    step -> progress.say(
                            scenario,
                            "warm-up at %,.0f/s done (not counted), p99 %.2f ms"
                                    .formatted(step.targetRate(), step.latency().p99())));
            progress.say(scenario, "highest rate that held: %,.0f/s".formatted(result.maxHeldRate()));
            return new RoundTripRun(target.description(), storm, result, load.rateLimited());
        }

        /** One open-loop step at a fixed rate. */
        public @NotNull StepResult fixedRate(double ratePerSecond, @NotNull Duration duration)
                throws InterruptedException, TimeoutException {
            subscribe();
            return loop.run(ratePerSecond, duration, load);
        }

        /** A load profile: the phases back to back, then one drain; a timeline of {@code window}-long windows. */
        public @NotNull Timeline phases(@NotNull List<LoadPhase> phases, @NotNull Duration window)
                throws InterruptedException, TimeoutException {
            subscribe();
            return loop.runPhases(phases, window, load);
        }

        /** Rejections with 429 so far. */
        public long rateLimited() {
            return load.rateLimited();
        }

        private void subscribe() throws InterruptedException, TimeoutException {
            if (!subscribed) {
                fleet.subscribeAll(device -> shape.answerTopics.apply(fleet.thingId(device)), SUBSCRIBE_TIMEOUT);
                subscribed = true;
            }
        }

        @Override
        public void close() throws InterruptedException {
            fleet.close();
        }
    }
}
