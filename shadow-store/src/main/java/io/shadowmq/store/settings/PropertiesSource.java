package io.shadowmq.store.settings;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Settings from a properties file: each setting under its {@link Setting#name()}, or one of its deprecated names with
 * a warning naming the new one.
 */
public final class PropertiesSource implements SettingSource {

    private final @NotNull Properties properties;
    private final @Nullable Path file;
    private final @NotNull Consumer<String> warnings;

    /**
     * @param file only for messages; {@code null} when the properties did not come from a file
     */
    public PropertiesSource(@NotNull Properties properties, @Nullable Path file, @NotNull Consumer<String> warnings) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.file = file;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    @Override
    public @Nullable String text(@NotNull Setting<?> setting) {
        String value = EnvSource.nonBlank(properties.getProperty(setting.name()));
        for (String old : setting.deprecatedNames()) {
            String oldValue = EnvSource.nonBlank(properties.getProperty(old));
            if (oldValue != null && value == null) {
                warnings.accept("setting " + old + " in " + file + " is deprecated: rename it " + setting.name());
                value = oldValue;
            } else if (oldValue != null) {
                warnings.accept("setting " + old + " in " + file + " is deprecated and ignored: " + setting.name()
                        + " is set too and wins");
            }
        }
        return value;
    }

    @Override
    public @NotNull RuntimeException invalid(@NotNull Setting<?> setting, @NotNull String problem) {
        return new SettingException(
                setting,
                problem,
                setting.name() + " (env " + setting.env() + (file == null ? "" : ", or in " + file) + ") " + problem);
    }
}
