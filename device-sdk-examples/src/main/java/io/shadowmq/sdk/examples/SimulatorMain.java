package io.shadowmq.sdk.examples;

import io.shadowmq.sdk.MqttProtocolVersion;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.ShadowClientBuilder;
import io.shadowmq.sdk.ShadowClosedException;
import io.shadowmq.sdk.ShadowConnectException;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The {@code main} every simulator shares: read the options, build the client for the device's type, run until
 * Ctrl-C. Exit code 2 for a bad command line, 1 when the broker refuses the thing's credentials (not for a refusal
 * that says "later", such as the brake's 0x9F: the client retries those).
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     SimulatorMain.run(args, CarSimulator::new);
 * }
 * }</pre>
 */
final class SimulatorMain {

    private SimulatorMain() {}

    static void run(@NotNull String[] args, @NotNull Supplier<SimulatedDevice> devices) {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SimulatorOptions.USAGE);
            System.exit(2);
            return;
        }
        SimulatedDevice device = devices.get();
        ShadowClient client = client(options, device.type());
        DeviceSimulator simulator =
                new DeviceSimulator(client, device, options.timeScale(), options.tick(), System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            simulator.close();
                            stopped.countDown();
                        },
                        "simulator-shutdown"));
        System.out.println(options.thing() + " (" + device.type() + ") connecting to " + options.host() + ":"
                + options.port() + ", time x" + options.timeScale());
        try {
            simulator.start().join();
            System.out.println(options.thing() + " connected");
        } catch (CompletionException e) {
            if (e.getCause() instanceof ShadowConnectException refused) {
                System.err.println(refused.getMessage());
                System.exit(1);
            }
            if (e.getCause() instanceof ShadowClosedException) {
                return; // Ctrl-C before the broker answered
            }
            throw e;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static @NotNull ShadowClient client(@NotNull SimulatorOptions options, @NotNull String type) {
        ShadowClientBuilder builder = ShadowClient.builder()
                .host(options.host())
                .port(options.port())
                .thing(options.thing())
                .secret(options.secret())
                .type(type)
                .tls(options.tls());
        if (options.trustStore() != null) {
            String password = options.trustStorePassword();
            builder = builder.trustStore(options.trustStore(), password == null ? null : password.toCharArray());
        }
        if (options.mqtt3()) {
            builder = builder.mqttVersion(MqttProtocolVersion.V3_1_1);
        }
        return builder.build();
    }
}
