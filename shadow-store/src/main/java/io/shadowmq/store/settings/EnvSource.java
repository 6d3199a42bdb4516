package io.shadowmq.store.settings;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Settings from environment variables: each setting's {@link Setting#env()}, or one of its deprecated variables with
 * a warning naming the new one.
 * <pre>{@code
 * SettingSource env = new EnvSource(System::getenv, log::warn);
 * }</pre>
 */
public final class EnvSource implements SettingSource {

    private final @NotNull Function<String, @Nullable String> environment;
    private final @NotNull Consumer<String> warnings;
    /** The variable each setting was read from, for messages. */
    private final Map<Setting<?>, String> readFrom = new HashMap<>();

    /**
     * @param environment a variable's value, or {@code null} when unset
     * @param warnings    receives one line per deprecated variable in use
     */
    public EnvSource(@NotNull Function<String, @Nullable String> environment, @NotNull Consumer<String> warnings) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    @Override
    public @Nullable String text(@NotNull Setting<?> setting) {
        String value = nonBlank(environment.apply(setting.env()));
        if (value != null) {
            for (String old : setting.deprecatedEnv()) {
                if (nonBlank(environment.apply(old)) != null) {
                    warnings.accept("environment variable " + old + " is deprecated and ignored: " + setting.env()
                            + " is set too and wins");
                }
            }
            return value;
        }
        for (String old : setting.deprecatedEnv()) {
            String oldValue = nonBlank(environment.apply(old));
            if (oldValue != null) {
                warnings.accept(deprecated(old, setting));
                readFrom.put(setting, old);
                return oldValue;
            }
        }
        return null;
    }

    /**
     * The environment as {@code environment}, except that a setting's variable that is unset takes the value of one
     * of its deprecated variables, with a warning: for {@code ${NAME}} placeholders of the extension's
     * {@code config.xml}.
     */
    public static @NotNull Function<String, @Nullable String> withDeprecatedNames(
            @NotNull Function<String, @Nullable String> environment, @NotNull Consumer<String> warnings) {
        EnvSource source = new EnvSource(environment, warnings);
        return name -> {
            String value = environment.apply(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
            for (Setting<?> setting : StoreSetting.ALL) {
                if (setting.env().equals(name)) {
                    String old = source.text(setting);
                    return old == null ? value : old;
                }
            }
            return value;
        };
    }

    private static String deprecated(String old, Setting<?> setting) {
        return "environment variable " + old + " is deprecated: rename it " + setting.env();
    }

    @Override
    public @NotNull RuntimeException invalid(@NotNull Setting<?> setting, @NotNull String problem) {
        String variable = readFrom.getOrDefault(setting, setting.env());
        return new SettingException(setting, problem, setting.name() + " (env " + variable + ") " + problem);
    }

    static @Nullable String nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
