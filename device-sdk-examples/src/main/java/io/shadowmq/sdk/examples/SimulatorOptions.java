package io.shadowmq.sdk.examples;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The command line of every simulator:
 * {@code --host H --port P --thing ID --secret S [--time-scale X] [--tick-ms N] [--tls] [--trust-store FILE
 * --trust-store-password PW] [--mqtt3]}. The secret may come from the environment variable
 * {@value #SECRET_ENV} instead, so that it does not show in the process list.
 *
 * <pre>{@code SimulatorOptions options = SimulatorOptions.parse(args, System.getenv());}</pre>
 */
public record SimulatorOptions(
        @NotNull String host,
        int port,
        @NotNull String thing,
        @NotNull String secret,
        double timeScale,
        @NotNull Duration tick,
        boolean tls,
        @Nullable Path trustStore,
        @Nullable String trustStorePassword,
        boolean mqtt3) {

    public static final String SECRET_ENV = "SHADOWMQ_SECRET";

    public static final String USAGE = "options: --host HOST (localhost) --port PORT (1883) --thing ID --secret SECRET"
            + " (or env " + SECRET_ENV + ") [--time-scale SIMULATED_SECONDS_PER_SECOND (1)] [--tick-ms MS (1000)]"
            + " [--tls] [--trust-store FILE --trust-store-password PASSWORD] [--mqtt3]";

    /** @throws IllegalArgumentException with a message for the user, for anything missing or malformed */
    public static @NotNull SimulatorOptions parse(@NotNull String[] args, @NotNull Map<String, String> environment) {
        String host = "localhost";
        int port = -1;
        String thing = null;
        String secret = environment.get(SECRET_ENV);
        double timeScale = 1;
        long tickMillis = 1000;
        boolean tls = false;
        Path trustStore = null;
        String trustStorePassword = null;
        boolean mqtt3 = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--tls" -> tls = true;
                case "--mqtt3" -> mqtt3 = true;
                case "--host",
                        "--port",
                        "--thing",
                        "--secret",
                        "--time-scale",
                        "--tick-ms",
                        "--trust-store",
                        "--trust-store-password" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    String value = args[++i];
                    switch (option) {
                        case "--host" -> host = value;
                        case "--port" -> port = number(option, value, 1, 65535).intValue();
                        case "--thing" -> thing = value;
                        case "--secret" -> secret = value;
                        case "--time-scale" ->
                            timeScale = number(option, value, 0.001, 1e6).doubleValue();
                        case "--tick-ms" ->
                            tickMillis = number(option, value, 1, 3_600_000).longValue();
                        case "--trust-store" -> trustStore = Path.of(value);
                        default -> trustStorePassword = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (thing == null) {
            throw new IllegalArgumentException("--thing is required");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("--secret (or env " + SECRET_ENV + ") is required");
        }
        boolean withTls = tls || trustStore != null;
        return new SimulatorOptions(
                host,
                port > 0 ? port : withTls ? 8883 : 1883,
                thing,
                secret,
                timeScale,
                Duration.ofMillis(tickMillis),
                withTls,
                trustStore,
                trustStorePassword,
                mqtt3);
    }

    private static Double number(String option, String value, double min, double max) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
        if (!(number >= min && number <= max)) {
            throw new IllegalArgumentException(option + ": must be " + min + ".." + max + ", was " + value);
        }
        return number;
    }

    @Override
    public String toString() {
        // Never the secret.
        return "SimulatorOptions[" + host + ":" + port + ", thing " + thing + ", time scale " + timeScale + "]";
    }
}
