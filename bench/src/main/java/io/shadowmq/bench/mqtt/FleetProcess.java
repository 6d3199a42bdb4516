package io.shadowmq.bench.mqtt;

import org.jetbrains.annotations.NotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A device fleet in its own JVM, so the broker's process holds only the broker's side of each connection: one
 * socket per thing instead of two, and heap/RSS figures without the client's state. {@code idle} uses it — with
 * both sides in one process the open-file limit (20,000 here, not raisable) capped the fleet at 9,000.
 * <pre>{@code
 * try (FleetProcess fleet = FleetProcess.start(host, port, things, workDir, timeout)) {
 *     FleetProcess.Connected connected = fleet.connected();   // storm figures, every device subscribed
 *     ... measure the broker at rest ...
 * }                                                           // closing stdin disconnects and ends the child
 * }</pre>
 * The child ({@link #main}) reads {@code thingId secret} lines from a file, connects them all at once (refused ones
 * retried), subscribes each to {@code things/T/shadow/#}, prints one {@code CONNECTED} line and holds the fleet until
 * its standard input closes.
 */
public final class FleetProcess implements AutoCloseable {

    /** What the child reports once its whole fleet is connected and subscribed. */
    public record Connected(int devices, int refusedInStorm, double stormSeconds, int stormConnected) {}

    private static final String READY = "CONNECTED";

    private final Process process;
    private final Connected connected;
    private final Path credentials;

    private FleetProcess(Process process, Connected connected, Path credentials) {
        this.process = process;
        this.connected = connected;
        this.credentials = credentials;
    }

    /** Starts the child with this JVM's class path and waits until it reports its fleet connected (or fails). */
    public static @NotNull FleetProcess start(
            @NotNull String host,
            int port,
            @NotNull List<ThingCredentials> things,
            @NotNull Path workDir,
            @NotNull Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        Files.createDirectories(workDir);
        Path credentials = Files.createTempFile(workDir, "fleet-", ".txt");
        List<String> lines = new ArrayList<>(things.size());
        things.forEach(thing -> lines.add(thing.thingId() + " " + thing.secret()));
        Files.write(credentials, lines, StandardCharsets.UTF_8);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-Xms64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FleetProcess.class.getName(),
                        host,
                        Integer.toString(port),
                        credentials.toString(),
                        Long.toString(timeout.toSeconds()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // The reader blocks; a watchdog ends the child if it never answers.
        Thread watchdog = new Thread(
                () -> {
                    try {
                        if (!process.waitFor(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                            process.destroyForcibly();
                        }
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                },
                "fleet-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(READY + " ")) {
                String[] f = line.split(" ");
                watchdog.interrupt();
                return new FleetProcess(
                        process,
                        new Connected(
                                Integer.parseInt(f[1]),
                                Integer.parseInt(f[2]),
                                Double.parseDouble(f[3]),
                                Integer.parseInt(f[4])),
                        credentials);
            }
        }
        process.destroyForcibly();
        Files.deleteIfExists(credentials);
        throw new TimeoutException("the fleet process ended before its devices were connected (exit "
                + process.waitFor() + "; its errors are above)");
    }

    public @NotNull Connected connected() {
        return connected;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(credentials);
    }

    /** The child: {@code host port credentialsFile timeoutSeconds}. */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        List<ThingCredentials> things = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ", 2);
            things.add(new ThingCredentials(f[0], f[1]));
        }
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[3]));
        try (DeviceFleet fleet = DeviceFleet.of(host, port, things, (device, topic, payload) -> {})) {
            ConnectStorm storm = fleet.connectAllRetryingRefused(timeout);
            fleet.subscribeAll(device -> List.of("things/" + fleet.thingId(device) + "/shadow/#"), timeout);
            out.println(String.format(
                    Locale.ROOT,
                    "%s %d %d %.3f %d",
                    READY,
                    fleet.size(),
                    storm.failed(),
                    storm.seconds(),
                    storm.connected()));
            out.flush();
            while (System.in.read() >= 0) {
                // hold the fleet until the parent closes our stdin
            }
        }
        System.exit(0);
    }
}
