package io.shadowmq.store.settings;

import org.jetbrains.annotations.NotNull;

/**
 * A setting whose value is missing or wrong. The message is one line naming the setting and where its value came
 * from (environment variable, file); {@link #problem()} is the same without the naming, for a reader that names the
 * setting its own way (the extension names the {@code config.xml} element).
 */
public final class SettingException extends IllegalArgumentException {

    private final transient @NotNull Setting<?> setting;
    private final @NotNull String problem;

    public SettingException(@NotNull Setting<?> setting, @NotNull String problem, @NotNull String message) {
        super(message);
        this.setting = setting;
        this.problem = problem;
    }

    public @NotNull Setting<?> setting() {
        return setting;
    }

    /** What is wrong, without the setting's name: {@code must be a whole number from 1 to 1024, is '0'}. */
    public @NotNull String problem() {
        return problem;
    }
}
