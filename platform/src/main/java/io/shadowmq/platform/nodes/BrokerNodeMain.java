package io.shadowmq.platform.nodes;

import io.shadowmq.platform.up.LocalBroker;
import io.shadowmq.platform.up.RedisTarget;
import io.shadowmq.store.settings.StoreSetting;

import java.nio.file.Path;

/**
 * A broker node's JVM ({@link BrokerProcess} starts it): HiveMQ CE on its own home, loading the packaged extension
 * from its {@code extensions/} folder as production does ({@link LocalBroker}). Arguments:
 * {@code HOME EXTENSION_FOLDER HOST PORT [EXTRA_SETTINGS_XML]}; Redis from {@code SHADOWMQ_REDIS_ADDRESS} or
 * {@code SHADOWMQ_REDISSON_CONFIG} ({@link RedisTarget#serviceEnvironment()}), the pepper from {@code SHADOWMQ_PEPPER} (never on the command line, where
 * {@code ps} shows it). Exit 1 with one line on stderr when it cannot start.
 */
public final class BrokerNodeMain {

    /** Printed, then the MQTT endpoint, once the broker accepts CONNECTs with its extension running. */
    static final String READY_PREFIX = "broker listening on ";

    private BrokerNodeMain() {}

    public static void main(String[] args) {
        ParentWatch.exitWhenParentGoes();
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: BrokerNodeMain HOME EXTENSION_FOLDER HOST PORT [EXTRA_SETTINGS_XML]");
            System.exit(2);
        }
        String address = System.getenv(StoreSetting.REDIS_ADDRESS.env());
        String redissonConfig = System.getenv(StoreSetting.REDISSON_CONFIG.env());
        LocalBroker broker;
        try {
            RedisTarget redis = new RedisTarget(address, redissonConfig == null ? null : Path.of(redissonConfig));
            broker = LocalBroker.start(
                    Path.of(args[0]),
                    Path.of(args[1]),
                    args[2],
                    Integer.parseInt(args[3]),
                    redis,
                    System.getenv(StoreSetting.PEPPER.env()),
                    args.length == 5 ? args[4] : "");
        } catch (Exception e) {
            System.err.println("broker: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.close();
                            } catch (Exception e) {
                                System.err.println("broker: while stopping: " + e.getMessage());
                            }
                        },
                        "broker-shutdown"));
        String host = args[2].equals("0.0.0.0") ? "127.0.0.1" : args[2];
        System.out.println(READY_PREFIX + "tcp://" + host + ":" + args[3]);
        System.out.flush();
    }
}
