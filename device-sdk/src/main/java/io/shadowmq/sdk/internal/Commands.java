package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.CommandFailedException;
import io.shadowmq.sdk.CommandHandler;
import io.shadowmq.sdk.CommandStatus;
import io.shadowmq.sdk.DeviceCommand;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * The thing's side of commands (docs/protocol.md, "Commands"): hands each command to the handler of its action once,
 * and publishes what became of it on {@code things/T/commands/{id}/status} - {@code running} when the handler starts,
 * {@code running} with progress, then {@code succeeded} with the output or {@code failed} with a reason.
 *
 * <p>At-least-once delivery: the platform sends a delivered or running command again after a reconnect. A command
 * seen before is not handed over again; its last status is sent again instead (the one a broken connection may have
 * lost). A status that cannot go out while offline is kept as the last one and goes out with that redelivery. The
 * last {@link #REMEMBERED} ended commands are remembered, and every running one.
 *
 * <p>Guarded by the session's lock; handlers run and statuses are published through {@link Effects}, after it is
 * released.
 */
final class Commands {

    private static final System.Logger log = System.getLogger(Commands.class.getName());

    /** How many ended commands are remembered to answer a redelivery with their final status. */
    static final int REMEMBERED = 1000;
    /** Reasons are cut to this many characters. */
    static final int MAX_REASON = 500;

    private final Object lock;
    private final ThingId own;
    private final MqttTransport transport;
    /** Checks a handler's output against the action's output schema: the refusal's message, or empty when fine. */
    private final BiFunction<String, JsonNode, Optional<String>> outputCheck;
    /** Under the lock: whether a status may go out now. */
    private final BooleanSupplier online;

    private final Map<String, CommandHandler> handlers = new ConcurrentHashMap<>();
    /** By commandId, oldest first. Guarded by lock. */
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>();

    /** One command handed to a handler (or failed for want of one). Guarded by lock. */
    private static final class Run {
        final DeviceCommand command;
        ObjectNode lastStatus;

        @Nullable
        Integer progress;

        boolean ended;

        Run(DeviceCommand command, ObjectNode lastStatus) {
            this.command = command;
            this.lastStatus = lastStatus;
        }
    }

    Commands(
            @NotNull Object lock,
            @NotNull ThingId own,
            @NotNull MqttTransport transport,
            @NotNull BiFunction<String, JsonNode, Optional<String>> outputCheck,
            @NotNull BooleanSupplier online) {
        this.lock = lock;
        this.own = own;
        this.transport = transport;
        this.outputCheck = outputCheck;
        this.online = online;
    }

    /** {@code handler} carries out {@code action} from now on (replacing an earlier one). */
    void register(@NotNull String action, @NotNull CommandHandler handler) {
        handlers.put(action, handler);
    }

    /** A command arrived on {@code things/T/commands/{id}}. Under the lock. */
    void received(@NotNull String commandId, @NotNull JsonNode json, @NotNull Effects effects) {
        Run seen = runs.get(commandId);
        if (seen != null) {
            // Redelivered: never run twice; the last status again, in case the first one was lost.
            publish(seen.command.commandId(), seen.lastStatus, effects);
            return;
        }
        Optional<DeviceCommand> parsed = parse(commandId, json);
        if (parsed.isEmpty()) {
            log.log(
                    System.Logger.Level.WARNING,
                    "thing {0}: ignored command {1} without an action: {2}",
                    own,
                    commandId,
                    SafeJson.writeString(json));
            return;
        }
        DeviceCommand command = parsed.get();
        CommandHandler handler = handlers.get(command.action());
        if (handler == null) {
            Run run = remember(new Run(command, failed("no handler for action " + command.action())));
            run.ended = true;
            publish(commandId, run.lastStatus, effects);
            return;
        }
        Run run = remember(new Run(command, running(null)));
        publish(commandId, run.lastStatus, effects);
        effects.add(() -> start(run, handler));
    }

    /** The platform refused a status the thing sent. Under the lock. */
    void statusRejected(@NotNull String commandId, @NotNull JsonNode json) {
        log.log(
                System.Logger.Level.WARNING,
                "thing {0}: the platform refused the status {1} of command {2}: {3} {4}",
                own,
                Optional.ofNullable(runs.get(commandId))
                        .map(run -> run.lastStatus.path("status").asText())
                        .orElse("?"),
                commandId,
                json.path("code").asText(),
                json.path("message").asText());
    }

    private void start(Run run, CommandHandler handler) {
        CompletionStage<JsonNode> stage;
        try {
            stage = handler.handle(run.command, percent -> progress(run, percent));
            if (stage == null) {
                stage = CompletableFuture.failedFuture(
                        new IllegalStateException("the handler of " + run.command.action() + " returned no stage"));
            }
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        Async.whenComplete(stage, "command " + run.command.commandId(), (output, error) -> ended(run, output, error));
    }

    private void progress(Run run, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be 0..100, was " + percent);
        }
        Effects effects = new Effects();
        synchronized (lock) {
            if (run.ended || Integer.valueOf(percent).equals(run.progress)) {
                return;
            }
            run.progress = percent;
            record(run, running(percent), effects);
        }
        effects.run();
    }

    private void ended(Run run, @Nullable JsonNode output, @Nullable Throwable error) {
        ObjectNode status;
        if (error != null) {
            status = failed(reason(ShadowSession.unwrap(error)));
        } else {
            JsonNode result = output == null || output.isNull() ? MissingNode.getInstance() : output;
            Optional<String> refused = outputCheck.apply(run.command.action(), result);
            if (refused.isPresent()) {
                log.log(
                        System.Logger.Level.WARNING,
                        "thing {0}: the output of {1} does not fit its model ({2}); the command fails",
                        own,
                        run.command.action(),
                        refused.get());
                status = failed("output refused: " + refused.get());
            } else {
                status = succeeded(result);
            }
        }
        Effects effects = new Effects();
        synchronized (lock) {
            if (run.ended) {
                return;
            }
            run.ended = true;
            record(run, status, effects);
        }
        effects.run();
    }

    /** Under the lock: the run's status from now on, published when online. */
    private void record(Run run, ObjectNode status, Effects effects) {
        run.lastStatus = status;
        publish(run.command.commandId(), status, effects);
    }

    /** Under the lock: publishes when online; offline, the status waits for the redelivery after reconnecting. */
    private void publish(String commandId, ObjectNode status, Effects effects) {
        if (!online.getAsBoolean()) {
            return;
        }
        String topic = ShadowTopics.status(own, commandId);
        byte[] payload = SafeJson.write(status);
        effects.add(() -> Async.whenComplete(transport.publish(topic, payload), "status", (done, error) -> {
            if (error != null) {
                log.log(
                        System.Logger.Level.INFO,
                        "thing {0}: status of command {1} not sent ({2}); it goes again when the command is redelivered",
                        own,
                        commandId,
                        ShadowSession.describe(ShadowSession.unwrap(error)));
            }
        }));
    }

    private Run remember(Run run) {
        runs.put(run.command.commandId(), run);
        Iterator<Run> oldest = runs.values().iterator();
        while (runs.size() > REMEMBERED && oldest.hasNext()) {
            if (oldest.next().ended) {
                oldest.remove();
            }
        }
        return run;
    }

    /** {@code toDeviceJson}: {@code {"commandId","action","input","expiresAt","invokedBy"}}. */
    static @NotNull Optional<DeviceCommand> parse(@NotNull String commandId, @NotNull JsonNode json) {
        JsonNode action = json.path("action");
        if (!action.isTextual() || action.textValue().isEmpty()) {
            return Optional.empty();
        }
        JsonNode input = json.path("input");
        return Optional.of(new DeviceCommand(
                commandId,
                action.textValue(),
                input.isNull() ? MissingNode.getInstance() : input,
                json.path("expiresAt").asLong(),
                json.path("invokedBy").asText("")));
    }

    static @NotNull ObjectNode running(@Nullable Integer progress) {
        ObjectNode status = SafeJson.object().put("status", CommandStatus.RUNNING.wireName());
        if (progress != null) {
            status.put("progress", progress);
        }
        return status;
    }

    static @NotNull ObjectNode succeeded(@NotNull JsonNode output) {
        ObjectNode status = SafeJson.object().put("status", CommandStatus.SUCCEEDED.wireName());
        if (!output.isMissingNode()) {
            status.set("output", output.deepCopy());
        }
        return status;
    }

    static @NotNull ObjectNode failed(@NotNull String reason) {
        String cut = reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 3) + "...";
        return SafeJson.object().put("status", CommandStatus.FAILED.wireName()).put("reason", cut);
    }

    /** The reason a failed handler gives: its CommandFailedException's, else the exception's message. */
    static @NotNull String reason(@NotNull Throwable error) {
        if (error instanceof CommandFailedException failed) {
            return failed.reason();
        }
        return ShadowSession.describe(error);
    }
}
