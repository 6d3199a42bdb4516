package io.shadowmq.bench.scenario;

import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.bench.target.BenchPlatform;
import org.jetbrains.annotations.NotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The REST calls {@code delta} and {@code rest-read} make, built in one place: the shadow URLs of the benchmark's
 * things and a {@code PATCH} of a speaker's desired volume, as the admin.
 */
final class ShadowHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI[] shadows;
    private final String authorization;
    private final URI base;

    ShadowHttp(@NotNull BenchPlatform platform, @NotNull List<ThingCredentials> things) {
        this.shadows = things.stream()
                .map(thing -> platform.http().resolve("/api/v1/things/" + thing.thingId() + "/shadow"))
                .toArray(URI[]::new);
        this.authorization = "Bearer " + platform.adminToken();
        this.base = platform.http();
    }

    @NotNull
    URI base() {
        return base;
    }

    @NotNull
    String authorization() {
        return authorization;
    }

    /** The request path of thing number {@code thing}'s shadow. */
    @NotNull
    String path(int thing) {
        return shadows[thing].getRawPath();
    }

    int things() {
        return shadows.length;
    }

    /** A JDK client whose callbacks run on {@code executor} (a couple of threads: the generator stays small). */
    static @NotNull HttpClient client(@NotNull Executor executor) {
        return HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
    }

    @NotNull
    HttpRequest get(int thing) {
        return HttpRequest.newBuilder(shadows[thing])
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .GET()
                .build();
    }

    @NotNull
    HttpRequest patchDesiredVolume(int thing, int volume) {
        return HttpRequest.newBuilder(shadows[thing])
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString("{\"state\":{\"desired\":{\"volume\":" + volume + "}}}"))
                .build();
    }
}
