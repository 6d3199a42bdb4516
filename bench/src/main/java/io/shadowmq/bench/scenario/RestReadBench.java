package io.shadowmq.bench.scenario;

import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.bench.target.BenchPlatform;
import io.shadowmq.store.Futures;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code rest-read}: K concurrent callers, each a keep-alive HTTP/1.1 connection ({@link KeepAliveGets}) in a closed
 * loop (next GET when the last answered) of {@code GET /api/v1/things/{random}/shadow} for the step duration, after a
 * warm-up as long as the step that is not counted (the service's JIT needs more than a few seconds: with a quarter
 * step, 2.5 s, the same build measured 4,256 GET/s; with 10 s, 10,024–11,353). Closed loop on purpose: this measures the
 * throughput K callers get and the service time they see, not an arrival rate.
 */
public final class RestReadBench {

    private static final Logger log = LoggerFactory.getLogger(RestReadBench.class);

    /** A rest-read measurement: answers per second, latency, and non-200 or failed requests. */
    public record Result(
            int clients,
            double throughput,
            long ok,
            long errors,
            @NotNull Percentiles latency) {}

    private static final Duration REQUEST_TIMEOUT = ShadowHttp.REQUEST_TIMEOUT;
    private static final int SEED_VOLUME = 50;
    private static final int HTTP_THREADS = 2;
    private static final int SEED_CONCURRENCY = 16;

    private final BenchSettings settings;
    private final Progress progress;

    public RestReadBench(@NotNull BenchSettings settings, @NotNull Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Gives every shadow a desired volume first, so no GET is a 404 whatever ran before; bounded by the request
     * timeout.
     */
    private static void seed(ShadowHttp shadows, ExecutorService http) throws InterruptedException {
        HttpClient client = ShadowHttp.client(http);
        CountDownLatch seeded = new CountDownLatch(shadows.things());
        // A few at a time: the JDK client opens one connection per concurrent HTTP/1.1 request.
        Semaphore inFlight = new Semaphore(SEED_CONCURRENCY);
        for (int thing = 0; thing < shadows.things(); thing++) {
            if (!inFlight.tryAcquire(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                break;
            }
            Futures.whenComplete(
                    client.sendAsync(
                            shadows.patchDesiredVolume(thing, SEED_VOLUME), HttpResponse.BodyHandlers.discarding()),
                    log,
                    "bench seeding write",
                    (response, error) -> {
                        inFlight.release();
                        seeded.countDown();
                    });
        }
        seeded.await(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** GETs the shadows of {@code things} (which must exist) from {@code settings.restClients()} clients. */
    public @NotNull Result run(@NotNull BenchPlatform platform, @NotNull List<ThingCredentials> things)
            throws InterruptedException {
        ShadowHttp shadows = new ShadowHttp(platform, things);
        Histogram micros = new ConcurrentHistogram(KeepAliveGets.HIGHEST_MICROS, 3);
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        int clients = settings.restClients();
        ExecutorService http = Executors.newFixedThreadPool(HTTP_THREADS);
        try {
            seed(shadows, http);
        } finally {
            http.shutdownNow();
        }
        Duration warmUp = settings.stepDuration();
        progress.say(
                "rest-read",
                "%d clients GET random shadows for %d s (after %d s of warm-up, not counted)"
                        .formatted(clients, settings.stepDuration().toSeconds(), warmUp.toSeconds()));
        long warmUntil = System.nanoTime() + warmUp.toNanos();
        long deadline = warmUntil + settings.stepDuration().toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread caller = new Thread(
                    () -> KeepAliveGets.closedLoop(
                            shadows.base(),
                            shadows.authorization(),
                            () -> shadows.path(ThreadLocalRandom.current().nextInt(shadows.things())),
                            warmUntil,
                            deadline,
                            micros,
                            ok,
                            errors),
                    "rest-read-" + i);
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        long joinBy = deadline + settings.drain().toNanos();
        for (Thread caller : callers) {
            caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
        }
        long start = warmUntil;
        double seconds = (System.nanoTime() - start) / 1e9;
        Result result = new Result(clients, ok.sum() / seconds, ok.sum(), errors.sum(), Percentiles.of(micros));
        progress.say(
                "rest-read",
                "%,.0f GET/s  p50 %.2f ms  p99 %.2f ms  errors %d"
                        .formatted(
                                result.throughput(),
                                result.latency().p50(),
                                result.latency().p99(),
                                result.errors()));
        return result;
    }
}
