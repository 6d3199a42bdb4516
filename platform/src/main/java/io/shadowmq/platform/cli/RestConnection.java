package io.shadowmq.platform.cli;

import io.shadowmq.platform.up.PlatformHome;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;

/**
 * How the operator commands reach a running platform's REST API: {@code --http}, else {@code SHADOWMQ_URL}, else
 * {@code http://127.0.0.1:8080}; the admin token from {@code --token}, else {@code SHADOWMQ_TOKEN} (or
 * {@code SHADOWMQ_ADMIN_TOKEN}, the platform's own), else the data dir a local {@code ./shadowmq up} keeps it in.
 * Flags win over the environment. A service that cannot be reached, a missing or refused token are a
 * {@link CliFailure}: one line with the cause and the fix.
 */
public final class RestConnection {

    /** The REST base URL, when {@code --http} is not given. */
    public static final String URL_ENV = "SHADOWMQ_URL";
    /** The admin token, when {@code --token} is not given. */
    public static final String TOKEN_ENV = "SHADOWMQ_TOKEN";
    /** The token {@code ./shadowmq up} and the REST service take; read too, so one variable serves both. */
    static final String PLATFORM_TOKEN_ENV = "SHADOWMQ_ADMIN_TOKEN";

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    @Option(
            names = "--http",
            paramLabel = "URL",
            description = "REST base URL (default: " + URL_ENV + ", else " + DEFAULT_URL + ")")
    @Nullable
    String http;

    @Option(
            names = "--token",
            description = "admin token (default: " + TOKEN_ENV + ", else " + PLATFORM_TOKEN_ENV
                    + ", else the data dir's admin token)")
    @Nullable
    String token;

    @Option(
            names = "--data-dir",
            description = "data dir of a local platform (default ${DEFAULT-VALUE})",
            defaultValue = "data")
    Path dataDir;

    private final Map<String, String> env;

    public RestConnection() {
        this(System.getenv());
    }

    RestConnection(@NotNull Map<String, String> env) {
        this.env = env;
    }

    /** A connection to a known service with a known token, for code that runs the platform itself (the demo household). */
    public static @NotNull RestConnection to(@NotNull String http, @NotNull String token) {
        RestConnection connection = new RestConnection(Map.of());
        connection.http = http;
        connection.token = token;
        return connection;
    }

    /** The answer of one call: status and body. */
    public record Answer(int status, @NotNull String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * One call; a 401 or 403 answer is a {@link CliFailure} too (the token is wrong, not the request).
     *
     * @throws CliFailure with one line saying what went wrong and how to fix it
     */
    public @NotNull Answer send(@NotNull String method, @NotNull String path, @Nullable String jsonBody)
            throws CliFailure, InterruptedException {
        String base = baseUrl();
        URI uri;
        HttpRequest.Builder request;
        try {
            uri = URI.create(base + path);
            request = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("'" + base + "' is not an http:// or https:// URL: fix --http or " + URL_ENV);
        }
        request.timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token())
                .header("Accept", "application/json");
        if (jsonBody != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = client(uri).send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(base, e);
        }
        if (response.statusCode() == 401) {
            throw new CliFailure("the REST service at " + base + " refused the token (HTTP 401): set " + TOKEN_ENV
                    + " or pass --token with the admin token ./shadowmq up printed");
        }
        if (response.statusCode() == 403) {
            throw new CliFailure("the REST service at " + base + " does not let this token do that (HTTP 403): use "
                    + "the admin token (" + TOKEN_ENV + " or --token)");
        }
        return new Answer(response.statusCode(), response.body());
    }

    /**
     * A client for one call. For plain HTTP it gets a TLS context that is never initialised: building the default
     * one loads the trust store and the TLS provider, a good part of a call's time, for nothing.
     */
    static @NotNull HttpClient client(@NotNull URI uri) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            try {
                builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
            } catch (NoSuchAlgorithmException noTls) {
                // Then the default context, as for https.
            }
        }
        return builder.build();
    }

    /** {@code --http}, else {@code SHADOWMQ_URL}, else the local default; without a trailing slash. */
    @NotNull
    String baseUrl() {
        String url = http != null ? http : nonBlank(env.get(URL_ENV));
        return (url != null ? url : DEFAULT_URL).strip().replaceAll("/+$", "");
    }

    private static CliFailure unreachable(String base, Exception e) {
        String cause;
        if (e instanceof HttpConnectTimeoutException) {
            cause = "no answer to connecting within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            return new CliFailure("the REST service at " + base + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s: check it with curl " + base + "/health/ready");
        } else if (e instanceof ConnectException && causedBy(e, UnresolvedAddressException.class)) {
            cause = "unknown host";
        } else if (e instanceof ConnectException) {
            cause = "connection refused";
        } else if (e instanceof IllegalArgumentException) {
            return new CliFailure("'" + base + "' is not an http:// or https:// URL: fix --http or " + URL_ENV);
        } else {
            cause = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new CliFailure("cannot reach the REST service at " + base + " (" + cause
                + "): start it with ./shadowmq up, or set " + URL_ENV + " or --http to where it runs");
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private String token() throws CliFailure {
        if (token != null) {
            return token;
        }
        for (String name : new String[] {TOKEN_ENV, PLATFORM_TOKEN_ENV}) {
            String fromEnvironment = nonBlank(env.get(name));
            if (fromEnvironment != null) {
                return fromEnvironment.strip();
            }
        }
        try {
            return PlatformHome.existingAdminToken(dataDir)
                    .orElseThrow(() -> new CliFailure("no admin token: set " + TOKEN_ENV
                            + " or pass --token (or run where ./shadowmq up keeps " + dataDir + "/admin-token)"));
        } catch (IOException e) {
            throw new CliFailure("no admin token: cannot read " + dataDir.resolve("admin-token") + " (" + e.getMessage()
                    + "): set " + TOKEN_ENV + " or pass --token");
        }
    }

    private static @Nullable String nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
