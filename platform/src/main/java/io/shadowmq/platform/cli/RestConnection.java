package io.shadowmq.platform.cli;

import io.shadowmq.platform.up.PlatformHome;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the operator commands reach a running platform's REST API: {@code --http}, and the admin token from
 * {@code --token}, {@code SHADOWMQ_ADMIN_TOKEN}, or the data dir a local {@code ./shadowmq up} keeps it in.
 */
public final class RestConnection {

    @Option(names = "--http", description = "REST base URL (default ${DEFAULT-VALUE})", defaultValue = "http://127.0.0.1:8080")
    String http;

    @Option(names = "--token", description = "API token (default: SHADOWMQ_ADMIN_TOKEN, else the data dir's admin token)")
    @Nullable String token;

    @Option(names = "--data-dir", description = "data dir of a local platform (default ${DEFAULT-VALUE})", defaultValue = "data")
    Path dataDir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The answer of one call: status and body. */
    public record Answer(int status, @NotNull String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    public @NotNull Answer send(@NotNull String method, @NotNull String path, @Nullable String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token())
                .header("Accept", "application/json");
        if (jsonBody != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private String token() throws IOException {
        if (token != null) {
            return token;
        }
        String fromEnvironment = System.getenv("SHADOWMQ_ADMIN_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return PlatformHome.existingAdminToken(dataDir).orElseThrow(() -> new IOException(
                "no API token: pass --token, set SHADOWMQ_ADMIN_TOKEN, or run from where ./shadowmq up keeps " + dataDir));
    }
}
