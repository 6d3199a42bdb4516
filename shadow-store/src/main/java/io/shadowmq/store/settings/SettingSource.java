package io.shadowmq.store.settings;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One place settings are written: the environment ({@link EnvSource}), a properties file ({@link PropertiesSource}),
 * the extension's {@code config.xml}. {@link StoreSettings#read} asks the sources in order; the first that sets a
 * setting wins.
 */
public interface SettingSource {

    /**
     * The stripped text this source gives the setting, or {@code null} when it leaves it unset (absent or empty).
     *
     * @throws RuntimeException when the text cannot be had (a {@code config.xml} placeholder naming an unset variable)
     */
    @Nullable
    String text(@NotNull Setting<?> setting);

    /**
     * The error for a bad or missing value of {@code setting} from this source: one line naming the setting as an
     * operator looks for it here.
     */
    /** How an operator of this source names {@code setting} in a message about another one. */
    default @NotNull String nameOf(@NotNull Setting<?> setting) {
        return setting.name() + " (env " + setting.env() + ")";
    }

    default @NotNull RuntimeException invalid(@NotNull Setting<?> setting, @NotNull String problem) {
        return new SettingException(setting, problem, setting.name() + " (env " + setting.env() + ") " + problem);
    }
}
