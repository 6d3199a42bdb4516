package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

/**
 * The extension's configuration cannot be used. The message is one line an operator can act on: it names the file,
 * the element or environment variable, and what is wrong, e.g.
 * {@code environment variable SHADOWMQ_PEPPER is not set (needed by <shadowmq>/<pepper> in /opt/hivemq/extensions/shadowmq-extension/conf/config.xml)}.
 * It never contains a secret value.
 */
public final class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidConfigException(@NotNull String message) {
        super(message);
    }

    public InvalidConfigException(@NotNull String message, @NotNull Throwable cause) {
        super(message, cause);
    }
}
