package io.shadowmq.platform.nodes;

import io.shadowmq.platform.up.RedisTarget;
import io.shadowmq.service.ShadowServiceMain;
import io.shadowmq.service.ops.HealthRoutes;
import io.shadowmq.store.settings.StoreSetting;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST service in a JVM of its own ({@link ServiceNodeMain}), its log {@code service.log} in {@code dir}: what
 * {@code ./shadowmq up --services M} runs M times.
 *
 * <pre>{@code
 * try (ServiceProcess service = ServiceProcess.start("service 1", dir, "127.0.0.1", 8080, redis, pepper, adminToken)) {
 *     service.httpUri();  // http://127.0.0.1:8080
 * }
 * }</pre>
 */
public final class ServiceProcess extends NodeProcess {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private static final Duration READY_POLL = Duration.ofMillis(100);

    private ServiceProcess(ChildJvm jvm) {
        super(jvm);
    }

    /** Starts the service and returns once it answers HTTP; a one-line {@link IOException} if it did not start. */
    public static @NotNull ServiceProcess start(
            @NotNull String name,
            @NotNull Path dir,
            @NotNull String host,
            int port,
            @NotNull RedisTarget redis,
            @NotNull String pepper,
            @NotNull String adminToken)
            throws IOException {
        Map<String, String> environment = new HashMap<>(redis.serviceEnvironment());
        environment.put("SHADOWMQ_HTTP_HOST", host);
        environment.put("SHADOWMQ_HTTP_PORT", Integer.toString(port));
        environment.put(StoreSetting.PEPPER.env(), pepper);
        environment.put("SHADOWMQ_ADMIN_TOKEN", adminToken);
        ServiceProcess service = new ServiceProcess(ChildJvm.start(
                name,
                ServiceNodeMain.class,
                List.of(),
                environment,
                ShadowServiceMain.READY_PREFIX,
                dir.resolve("service.log"),
                START_TIMEOUT));
        try {
            service.awaitReady(name);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /**
     * Waits until the service answers {@code /health/ready} with 200: it listens before it has reached Redis and
     * checked the shared settings, and a platform announced ready must serve its first request.
     */
    private void awaitReady(String name) throws IOException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(httpUri() + HealthRoutes.READY))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpResponse<String> answer = client.send(ready, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
                last = answer.statusCode() + " " + answer.body().strip();
                Thread.sleep(READY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(name + " did not become ready: interrupted", e);
            } catch (IOException e) {
                last = e.toString();
            }
        }
        throw new IOException(name + " did not become ready within " + START_TIMEOUT.toSeconds() + " s ("
                + HealthRoutes.READY + " answered " + last + ")");
    }

    public @NotNull String httpUri() {
        return jvm.endpoint();
    }
}
