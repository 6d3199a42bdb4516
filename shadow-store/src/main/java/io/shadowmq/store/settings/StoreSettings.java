package io.shadowmq.store.settings;

import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.history.HistoryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The values of the store settings ({@link StoreSetting}) of one process, validated, defaults filled in. The broker
 * extension and the REST service both build it with {@link #read}, so the same environment gives both the same
 * settings; {@link #storeConfig()} is what the store connects with.
 * <pre>{@code
 * StoreSettings settings = StoreSettings.read(List.of(new EnvSource(System::getenv, log::warn)), Path.of("."));
 * ShadowStore store = ShadowStore.connect(settings.storeConfig(), models);
 * }</pre>
 * Its {@link #toString()} is safe to log: no pepper, no password.
 */
public final class StoreSettings {

    private final @NotNull Map<Setting<?>, Object> values;

    private StoreSettings(@NotNull Map<Setting<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * Reads every store setting from the first of {@code sources} that sets it, else its default. The Redis address
     * and the Redisson file go together: both come from the first source that sets either, which must not set both.
     *
     * @param baseDir what relative paths are relative to
     * @throws RuntimeException from the source the bad value came from ({@link SettingSource#invalid}), naming the
     *                          setting: a bad value, a missing pepper, both Redis address and Redisson file
     */
    public static @NotNull StoreSettings read(@NotNull List<? extends SettingSource> sources, @NotNull Path baseDir) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no settings source");
        }
        Builder builder = new Builder();
        Map<Setting<?>, SettingSource> origin = new LinkedHashMap<>();
        readConnection(sources, baseDir, builder, origin);
        for (Setting<?> setting : StoreSetting.ALL) {
            if (!setting.equals(StoreSetting.REDIS_ADDRESS) && !setting.equals(StoreSetting.REDISSON_CONFIG)) {
                readOne(setting, sources, baseDir, builder, origin);
            }
        }
        SettingSource last = sources.get(sources.size() - 1);
        if (!builder.values.containsKey(StoreSetting.PEPPER)) {
            throw last.invalid(
                    StoreSetting.PEPPER,
                    "is required: the key that hashes thing secrets and API tokens, "
                            + "at least " + Pepper.MIN_BYTES + " bytes, usually from " + StoreSetting.PEPPER.env()
                            + "; the same in every process");
        }
        Duration lease = builder.get(StoreSetting.PRESENCE_LEASE);
        Duration renew = builder.get(StoreSetting.PRESENCE_LEASE_RENEW);
        if (renew.compareTo(lease) >= 0) {
            SettingSource source = origin.getOrDefault(StoreSetting.PRESENCE_LEASE_RENEW, last);
            throw source.invalid(
                    StoreSetting.PRESENCE_LEASE_RENEW,
                    "(" + Parsers.text(renew)
                            + ") must be less than " + source.nameOf(StoreSetting.PRESENCE_LEASE) + " ("
                            + Parsers.text(lease) + "): the lease would expire between renewals");
        }
        return builder.build();
    }

    private static void readConnection(
            List<? extends SettingSource> sources,
            Path baseDir,
            Builder builder,
            Map<Setting<?>, SettingSource> origin) {
        for (SettingSource source : sources) {
            String address = source.text(StoreSetting.REDIS_ADDRESS);
            String file = source.text(StoreSetting.REDISSON_CONFIG);
            if (address != null && file != null) {
                throw source.invalid(
                        StoreSetting.REDISSON_CONFIG,
                        "is set together with " + source.nameOf(StoreSetting.REDIS_ADDRESS) + "; set one");
            }
            if (address != null) {
                builder.set(StoreSetting.REDIS_ADDRESS, parse(StoreSetting.REDIS_ADDRESS, address, source, baseDir));
                origin.put(StoreSetting.REDIS_ADDRESS, source);
                return;
            }
            if (file != null) {
                builder.redissonConfig(parse(StoreSetting.REDISSON_CONFIG, file, source, baseDir));
                origin.put(StoreSetting.REDISSON_CONFIG, source);
                return;
            }
        }
    }

    private static <T> void readOne(
            Setting<T> setting,
            List<? extends SettingSource> sources,
            Path baseDir,
            Builder builder,
            Map<Setting<?>, SettingSource> origin) {
        for (SettingSource source : sources) {
            String text = source.text(setting);
            if (text != null) {
                builder.set(setting, parse(setting, text, source, baseDir));
                origin.put(setting, source);
                return;
            }
        }
    }

    private static <T> T parse(Setting<T> setting, String text, SettingSource source, Path baseDir) {
        try {
            return setting.parser().parse(text.strip(), baseDir);
        } catch (IllegalArgumentException e) {
            throw source.invalid(setting, e.getMessage());
        }
    }

    /** Every setting at its default but the pepper, which has none. */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** The value of {@code setting}, or {@code null} when it is unset and has no default. */
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(@NotNull Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** A standalone address or Cluster node list; {@code null} when a Redisson file names the Redis instead. */
    public @Nullable String redisAddress() {
        return get(StoreSetting.REDIS_ADDRESS);
    }

    public @NotNull Optional<Path> redissonConfig() {
        return Optional.ofNullable(get(StoreSetting.REDISSON_CONFIG));
    }

    public @NotNull Optional<String> redisPassword() {
        return Optional.ofNullable(get(StoreSetting.REDIS_PASSWORD));
    }

    public @NotNull Duration storeTimeout() {
        return Objects.requireNonNull(get(StoreSetting.STORE_TIMEOUT));
    }

    public int nettyThreads() {
        return Objects.requireNonNull(get(StoreSetting.NETTY_THREADS));
    }

    public int replicaAcks() {
        return Objects.requireNonNull(get(StoreSetting.REPLICA_ACKS));
    }

    public @NotNull Pepper pepper() {
        return Objects.requireNonNull(get(StoreSetting.PEPPER));
    }

    public int feedPartitions() {
        return Objects.requireNonNull(get(StoreSetting.FEED_PARTITIONS));
    }

    public long feedMaxLength() {
        return Objects.requireNonNull(get(StoreSetting.FEED_MAX_LENGTH));
    }

    public int maxStateBytes() {
        return Objects.requireNonNull(get(StoreSetting.MAX_STATE_BYTES));
    }

    public int maxPayloadBytes() {
        return Objects.requireNonNull(get(StoreSetting.MAX_PAYLOAD_BYTES));
    }

    /** Empty: the thing models bundled with ShadowMQ. */
    public @NotNull Optional<Path> thingModelsDir() {
        return Optional.ofNullable(get(StoreSetting.THING_MODELS_DIR));
    }

    public @NotNull Duration presenceLease() {
        return Objects.requireNonNull(get(StoreSetting.PRESENCE_LEASE));
    }

    public @NotNull Duration presenceLeaseRenew() {
        return Objects.requireNonNull(get(StoreSetting.PRESENCE_LEASE_RENEW));
    }

    public @NotNull Duration presenceReapInterval() {
        return Objects.requireNonNull(get(StoreSetting.PRESENCE_REAP_INTERVAL));
    }

    public int maxUpdatesInFlight() {
        return Objects.requireNonNull(get(StoreSetting.MAX_UPDATES_IN_FLIGHT));
    }

    public int historyMaxPoints() {
        return Objects.requireNonNull(get(StoreSetting.HISTORY_MAX_POINTS));
    }

    public @NotNull Duration historyRetention() {
        return Objects.requireNonNull(get(StoreSetting.HISTORY_RETENTION));
    }

    public int searchMaxScanThings() {
        return Objects.requireNonNull(get(StoreSetting.SEARCH_MAX_SCAN_THINGS));
    }

    /** What the store connects with. */
    public @NotNull StoreConfig storeConfig() {
        Pepper pepper = pepper();
        StoreConfig base = redissonConfig().isPresent()
                ? StoreConfig.ofRedissonFile(redissonConfig().get(), pepper)
                : StoreConfig.of(Objects.requireNonNull(redisAddress()), pepper)
                        .withRedisPassword(redisPassword().orElse(null));
        return base.withTimeout(storeTimeout())
                .withFeed(feedPartitions(), feedMaxLength())
                .withNettyThreads(nettyThreads())
                .withReplicaAcks(replicaAcks())
                .withMaxUpdatesInFlight(maxUpdatesInFlight())
                .withHistory(new HistoryPolicy(historyMaxPoints(), historyRetention()))
                .withSearchMaxScanThings(searchMaxScanThings())
                .withLimits(new ShadowLimits(maxPayloadBytes(), maxStateBytes(), ShadowLimits.DEFAULT.maxStateDepth()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoreSettings settings && values.equals(settings.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Every setting by name; secrets only as "set". */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("StoreSettings[");
        for (Setting<?> setting : StoreSetting.ALL) {
            Object value = values.get(setting);
            if (value == null) {
                continue;
            }
            String text = setting.secret()
                    ? "(set)"
                    : value instanceof Duration duration
                            ? Parsers.text(duration)
                            : setting.equals(StoreSetting.REDIS_ADDRESS)
                                    ? hidePasswords((String) value)
                                    : value.toString();
            out.append(out.length() > "StoreSettings[".length() ? ", " : "")
                    .append(setting.name())
                    .append('=')
                    .append(text);
        }
        return out.append(']').toString();
    }

    private static String hidePasswords(String addresses) {
        return addresses.replaceAll("://[^@/,]*@", "://***@");
    }

    /**
     * Store settings set one by one, for code that embeds a process; every setting starts at its default, the
     * pepper has none.
     */
    public static final class Builder {

        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();

        private Builder() {
            for (Setting<?> setting : StoreSetting.ALL) {
                Object value = setting.defaultValue();
                if (value != null) {
                    values.put(setting, value);
                }
            }
        }

        /**
         * Sets {@code setting}; {@code null} unsets it (its default comes back on {@link #reset}). A number or a
         * duration is checked by the setting's own parser, as if it had been written in a file.
         *
         * @throws SettingException naming the setting when the value is out of its range
         */
        public <T> @NotNull Builder set(@NotNull Setting<T> setting, @Nullable T value) {
            if (value instanceof Number) {
                setting.parse(value.toString(), Path.of("."));
            } else if (value instanceof Duration duration) {
                setting.parse(Parsers.text(duration), Path.of("."));
            }
            if (value == null) {
                values.remove(setting);
            } else {
                values.put(setting, value);
            }
            return this;
        }

        /** Every setting as in {@code settings}. */
        public @NotNull Builder setAll(@NotNull StoreSettings settings) {
            values.clear();
            values.putAll(settings.values);
            return this;
        }

        /** Back to the default. */
        public @NotNull Builder reset(@NotNull Setting<?> setting) {
            Object value = setting.defaultValue();
            values.remove(setting);
            if (value != null) {
                values.put(setting, value);
            }
            return this;
        }

        /** A standalone address or Cluster node list; unsets the Redisson file. */
        public @NotNull Builder redisAddress(@NotNull String value) {
            values.remove(StoreSetting.REDISSON_CONFIG);
            return set(StoreSetting.REDIS_ADDRESS, value);
        }

        /** A Redisson YAML file; unsets the address. {@code null} goes back to the default address. */
        public @NotNull Builder redissonConfig(@Nullable Path value) {
            if (value == null) {
                values.remove(StoreSetting.REDISSON_CONFIG);
                return values.containsKey(StoreSetting.REDIS_ADDRESS) ? this : reset(StoreSetting.REDIS_ADDRESS);
            }
            values.remove(StoreSetting.REDIS_ADDRESS);
            return set(StoreSetting.REDISSON_CONFIG, value);
        }

        @SuppressWarnings("unchecked")
        <T> T get(Setting<T> setting) {
            return (T) values.get(setting);
        }

        /**
         * @throws IllegalArgumentException when the pepper is missing or a value is out of range, naming the setting
         */
        public @NotNull StoreSettings build() {
            if (!values.containsKey(StoreSetting.PEPPER)) {
                throw new SettingException(
                        StoreSetting.PEPPER,
                        "is required",
                        StoreSetting.PEPPER.name()
                                + " is required (env " + StoreSetting.PEPPER.env() + "): the same secret of at least "
                                + Pepper.MIN_BYTES + " bytes in every process");
            }
            StoreSettings settings = new StoreSettings(values);
            Duration lease = settings.presenceLease();
            if (settings.presenceLeaseRenew().compareTo(lease) >= 0) {
                throw new IllegalArgumentException(StoreSetting.PRESENCE_LEASE_RENEW.name() + " must be less than "
                        + StoreSetting.PRESENCE_LEASE.name());
            }
            settings.storeConfig(); // the store's own checks
            return settings;
        }
    }
}
