package io.shadowmq.store.settings;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One setting of the settings table: its name, environment variable, place in the broker extension's
 * {@code config.xml}, default and meaning, and how its text becomes a value. Every process reads it under these names,
 * so one environment file configures them all.
 * <pre>{@code
 * int partitions = StoreSetting.FEED_PARTITIONS.parse("16", Path.of("."));  // 16
 * StoreSetting.FEED_PARTITIONS.parse("0", Path.of("."));
 * // SettingException: feed.partitions (env SHADOWMQ_FEED_PARTITIONS) must be a whole number from 1 to 1024, is '0'
 * }</pre>
 *
 * @param name          the property name ({@code feed.partitions}), as the REST service's properties file writes it
 * @param env           the environment variable ({@code SHADOWMQ_FEED_PARTITIONS}); wins over any file
 * @param xmlPath       the element of the extension's {@code config.xml} below {@code <shadowmq>}, e.g.
 *                      {@code feed/partitions}; {@code null} when the extension does not take it from there
 * @param defaultText   the default as written in a file; {@code null} when there is none (required, or unset)
 * @param meaning       one line for the settings table in docs/deploy.md
 * @param deprecatedEnv older environment variables still read, with a warning naming {@link #env}
 * @param deprecatedNames older property names still read, with a warning naming {@link #name}
 * @param secret        the value never appears in a message or a log line
 * @param parser        text to value; a problem is an {@link IllegalArgumentException} whose message says what is
 *                      wrong without naming the setting
 */
public record Setting<T>(
        @NotNull String name,
        @NotNull String env,
        @Nullable String xmlPath,
        @Nullable String defaultText,
        @NotNull String meaning,
        @NotNull List<String> deprecatedEnv,
        @NotNull List<String> deprecatedNames,
        boolean secret,
        @NotNull Parser<T> parser) {

    /** Turns a setting's text into its value. */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * @param text    the stripped, non-empty text
         * @param baseDir what a relative path is relative to
         * @throws IllegalArgumentException saying what is wrong, without the setting's name
         */
        @NotNull
        T parse(@NotNull String text, @NotNull Path baseDir);
    }

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(meaning, "meaning");
        Objects.requireNonNull(parser, "parser");
        deprecatedEnv = List.copyOf(deprecatedEnv);
        deprecatedNames = List.copyOf(deprecatedNames);
        if (!env.startsWith(KnownVariables.PREFIX)) {
            throw new IllegalArgumentException(
                    name + ": its environment variable must start with " + KnownVariables.PREFIX + ", is " + env);
        }
    }

    /**
     * The value of {@code text}.
     *
     * @throws SettingException naming this setting (and its variable) and what is wrong
     */
    public @NotNull T parse(@NotNull String text, @NotNull Path baseDir) {
        try {
            return parser.parse(text.strip(), baseDir);
        } catch (IllegalArgumentException e) {
            throw new SettingException(this, e.getMessage(), this + " " + e.getMessage());
        }
    }

    /** The default value, or {@code null} when the setting has none. */
    public @Nullable T defaultValue() {
        return defaultText == null ? null : parse(defaultText, Path.of("."));
    }

    @Override
    public String toString() {
        return name + " (env " + env + ")";
    }
}
