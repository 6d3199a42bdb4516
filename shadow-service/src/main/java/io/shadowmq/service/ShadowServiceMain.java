package io.shadowmq.service;

import io.shadowmq.store.platform.SettingsVerdict;
import io.shadowmq.store.platform.SharedSetting;
import io.shadowmq.store.settings.Setting;
import io.shadowmq.store.settings.StoreSetting;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar shadow-service.jar [--config config/shadow-service.properties]} ({@code --help}: the usage and
 * every setting, exit 0): loads the configuration (file,
 * then environment), starts the service and stops it gracefully on SIGTERM/Ctrl-C. Only wiring: everything else
 * is in {@link ShadowService}. Exit codes: 2 for a bad command line or configuration, or a pepper or feed partition
 * count that differs from the running platform's (found once Redis first answers; one line on stderr naming the
 * setting), 1 when it cannot start.
 *
 * <pre>{@code
 * SHADOWMQ_PEPPER=... java -jar shadow-service-0.1.0.jar --config config/shadow-service.properties
 * }</pre>
 */
public final class ShadowServiceMain {

    /** Printed, then the service's base URI, once it accepts requests: what a supervisor waits for. */
    public static final String READY_PREFIX = "shadow-service listening on ";

    private ShadowServiceMain() {}

    public static void main(String[] args) {
        if (wantsHelp(args)) {
            System.out.print(usage());
            System.exit(0);
            return;
        }
        Path configFile;
        ServiceConfig config;
        try {
            configFile = configFile(args);
            config = ServiceConfigLoader.load(configFile, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("shadow-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        ShadowService service;
        try {
            service = ShadowService.start(config);
        } catch (RuntimeException e) {
            System.err.println("shadow-service: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shadow-service-shutdown"));
        String host = config.httpHost().equals("0.0.0.0") ? "127.0.0.1" : config.httpHost();
        System.out.println(READY_PREFIX + "http://" + host + ":" + service.port());
        service.settingsVerdict()
                .thenAccept(verdict -> {
                    if (verdict instanceof SettingsVerdict.Disagreed disagreed) {
                        System.err.println(
                                "shadow-service: " + settingName(disagreed.setting()) + " " + disagreed.problem());
                        System.exit(2);
                    }
                })
                .exceptionally(failure -> {
                    System.err.println("shadow-service: acting on the shared-settings check failed: " + failure);
                    return null;
                });
    }

    /** The setting as the properties file and the environment name it. */
    static @NotNull String settingName(@NotNull SharedSetting setting) {
        return switch (setting) {
            case PEPPER -> StoreSetting.PEPPER.toString();
            case FEED_PARTITIONS -> StoreSetting.FEED_PARTITIONS.toString();
            case REDIS_TOPOLOGY -> StoreSetting.REDIS_ADDRESS.toString();
        };
    }

    /** {@code --help} or {@code -h} anywhere on the command line. */
    static boolean wantsHelp(String @NotNull [] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
    }

    /** What {@code --help} prints: the command line, then every setting with its property key and environment name. */
    static @NotNull String usage() {
        StringBuilder text = new StringBuilder()
                .append("usage: java -jar shadow-service.jar [--config FILE] [--help]\n")
                .append("The ShadowMQ REST service (docs/rest.md). Settings come from the environment, then FILE\n")
                .append("(a properties file), then the defaults; store.pepper is required.\n\n")
                .append(String.format("  %-29s %s%n", "property", "environment"));
        for (Setting<?> setting : StoreSetting.ALL) {
            text.append(String.format("  %-29s %s%n", setting.name(), setting.env()));
        }
        text.append("  (the store settings above are shared with the broker extension: docs/deploy.md)\n");
        for (ServiceConfigLoader.Setting setting : ServiceConfigLoader.SETTINGS) {
            text.append(String.format("  %-29s %s%n", setting.key(), setting.env()));
        }
        text.append(String.format(
                        "  %-29s %s (environment only)%n", "(admin token)", ServiceConfigLoader.ADMIN_TOKEN_ENV))
                .append("\nExit codes: 0 stopped by SIGTERM, 1 cannot start, 2 bad command line or configuration.\n");
        return text.toString();
    }

    static @Nullable Path configFile(String[] args) {
        if (args.length == 0) {
            return null;
        }
        if (args.length == 2 && args[0].equals("--config")) {
            Path file = Path.of(args[1]);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("--config " + file + ": no such readable file");
            }
            return file;
        }
        throw new IllegalArgumentException("usage: java -jar shadow-service.jar [--config FILE] [--help]");
    }
}
