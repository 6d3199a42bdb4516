package io.shadowmq.extension.harness;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.awaitility.Awaitility;
import org.jetbrains.annotations.NotNull;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every log line of the embedded broker and of the extensions inside it, as {@code LEVEL logger - message}. The
 * extension logs through the broker's SLF4J (its classloader takes {@code org.slf4j} from the broker), so its lines
 * land here too - which is itself a check that the packaged jar carries no SLF4J of its own.
 * <pre>{@code
 * broker.log().await("started successfully");
 * assertThat(broker.log().lines()).anyMatch(line -> line.contains("ShadowMQ extension"));
 * }</pre>
 */
public final class BrokerLog extends AppenderBase<ILoggingEvent> {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    BrokerLog() {
        setName("shadowmq-test-broker-log");
    }

    void attach() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    void detach() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
    }

    /** The lines so far, oldest first. */
    public @NotNull List<String> lines() {
        return List.copyOf(lines);
    }

    /** The first line containing {@code fragment}, waiting up to ten seconds for it. */
    public @NotNull String await(@NotNull String fragment) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> lines.stream().anyMatch(line -> line.contains(fragment)));
        return lines.stream()
                .filter(line -> line.contains(fragment))
                .findFirst()
                .orElseThrow();
    }
}
