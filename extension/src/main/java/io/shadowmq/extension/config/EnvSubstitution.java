package io.shadowmq.extension.config;

import io.shadowmq.store.settings.EnvSource;
import io.shadowmq.store.settings.StoreSetting;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a configuration value with environment variables, the
 * way a shell does, and refuses to guess when a variable is missing.
 * <ul>
 *   <li>{@code ${NAME}}: the variable's value (an empty value stays empty); unset is an error naming the variable.</li>
 *   <li>{@code ${NAME:-default}}: the value, or {@code default} when the variable is unset or empty. The default is
 *       taken literally up to the first <code>}</code>.</li>
 *   <li><code>$${</code> is a literal <code>${</code>; any other {@code $} is kept as it is.</li>
 * </ul>
 * The environment is a function so that tests can pass a map instead of the process environment:
 * <pre>{@code
 * EnvSubstitution env = EnvSubstitution.of(Map.of("SHADOWMQ_PEPPER", "0123456789abcdef"));
 * env.substitute("${SHADOWMQ_PEPPER}");                       // "0123456789abcdef"
 * env.substitute("${REDIS_URL:-redis://127.0.0.1:6379}");     // "redis://127.0.0.1:6379"
 * }</pre>
 */
public final class EnvSubstitution {

    /** POSIX-ish variable names; anything else inside {@code ${...}} is a typo worth reporting. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final String DEFAULT_SEPARATOR = ":-";

    private static final Logger log = LoggerFactory.getLogger(EnvSubstitution.class);

    private final @NotNull Function<String, @Nullable String> environment;
    private final @NotNull Map<String, String> variables;

    /**
     * @param environment returns a variable's value, or {@code null} when it is not set
     */
    public EnvSubstitution(@NotNull Function<String, @Nullable String> environment) {
        this(environment, Map.of());
    }

    private EnvSubstitution(
            @NotNull Function<String, @Nullable String> environment, @NotNull Map<String, String> variables) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.variables = variables;
    }

    /**
     * Substitution from the environment of this process. A store setting's variable that is unset takes the value
     * of its deprecated name, if that is set, with a warning naming the new one ({@link StoreSetting}).
     */
    public static @NotNull EnvSubstitution ofSystemEnvironment() {
        return of(System.getenv(), log::warn);
    }

    /** Substitution from a fixed map, for tests and tools; deprecated variable names are read as by the process. */
    public static @NotNull EnvSubstitution of(@NotNull Map<String, String> variables) {
        return of(variables, log::warn);
    }

    /** As {@link #of(Map)}, the warnings about deprecated variable names going to {@code warnings}. */
    public static @NotNull EnvSubstitution of(
            @NotNull Map<String, String> variables, @NotNull Consumer<String> warnings) {
        Map<String, String> copy = Map.copyOf(variables);
        return new EnvSubstitution(EnvSource.withDeprecatedNames(copy::get, warnings), copy);
    }

    /** The whole environment, when this substitution was made from one (empty when made from a function). */
    public @NotNull Map<String, String> variables() {
        return variables;
    }

    /**
     * @return {@code text} with every placeholder replaced
     * @throws InvalidConfigException when a variable without default is unset, or a placeholder is malformed; the
     *                                message names the variable (never its value)
     */
    public @NotNull String substitute(@NotNull String text) throws InvalidConfigException {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int dollar = text.indexOf('$', i);
            if (dollar < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, dollar);
            if (text.startsWith("$${", dollar)) {
                out.append("${");
                i = dollar + 3;
            } else if (text.startsWith("${", dollar)) {
                int close = text.indexOf('}', dollar + 2);
                if (close < 0) {
                    throw new InvalidConfigException("unterminated placeholder '" + text.substring(dollar)
                            + "': expected ${NAME} or ${NAME:-default}");
                }
                out.append(resolve(text.substring(dollar + 2, close)));
                i = close + 1;
            } else {
                out.append('$');
                i = dollar + 1;
            }
        }
        return out.toString();
    }

    /**
     * The names of the variables {@code text} refers to, in order, each once; malformed placeholders are skipped
     * ({@link #substitute} reports those).
     */
    public static @NotNull List<String> variablesIn(@NotNull String text) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        while ((i = text.indexOf("${", i)) >= 0) {
            boolean escaped = i > 0 && text.charAt(i - 1) == '$';
            int close = text.indexOf('}', i + 2);
            if (close < 0) {
                break;
            }
            String placeholder = text.substring(i + 2, close);
            int separator = placeholder.indexOf(DEFAULT_SEPARATOR);
            String name = separator < 0 ? placeholder : placeholder.substring(0, separator);
            if (!escaped && NAME.matcher(name).matches()) {
                names.add(name);
            }
            i = close + 1;
        }
        return List.copyOf(names);
    }

    private @NotNull String resolve(@NotNull String placeholder) throws InvalidConfigException {
        int separator = placeholder.indexOf(DEFAULT_SEPARATOR);
        String name = separator < 0 ? placeholder : placeholder.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConfigException("invalid placeholder '${" + placeholder
                    + "}': a variable name is letters, digits and '_', not starting with a digit");
        }
        String value = environment.apply(name);
        if (separator >= 0) {
            return value == null || value.isEmpty()
                    ? placeholder.substring(separator + DEFAULT_SEPARATOR.length())
                    : value;
        }
        if (value == null) {
            throw new InvalidConfigException("environment variable " + name + " is not set");
        }
        return value;
    }
}
