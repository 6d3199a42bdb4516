package io.shadowmq.store.platform;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Checks this node's shared settings against the platform record at the first successful contact with Redis, which
 * may come long after the process started (the store connects in the background): it asks at once, then again after
 * {@link #FIRST_RETRY}, doubling up to {@link #LONGEST_RETRY}, until Redis answers; a caller that needs Redis
 * meanwhile asks at once ({@link #passed()}). Until the verdict nothing that writes to Redis may run: a node with
 * another pepper or partition count would refuse devices or write where no one reads.
 * <pre>{@code
 * SettingsAgreement settings = SettingsAgreement.start(store.platform()::check);
 * settings.verdict().thenAccept(verdict -> ...);        // once: Agreed or Disagreed
 * settings.passed().thenCompose(ok -> ...)              // before serving a request: ok, or 503
 * }</pre>
 * Verdicts are delivered on this object's own thread, never on a Redis I/O thread, so a listener may close the store.
 */
public final class SettingsAgreement implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SettingsAgreement.class);

    public static final Duration FIRST_RETRY = Duration.ofMillis(500);
    public static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final Supplier<CompletionStage<Outcome<SettingsVerdict>>> check;
    private final ScheduledThreadPoolExecutor thread;
    private final CompletableFuture<SettingsVerdict> verdict = new CompletableFuture<>();
    private CompletableFuture<Outcome<SettingsVerdict>> inFlight; // guarded by this
    private Duration nextRetry = FIRST_RETRY; // guarded by this
    private boolean waitingLogged; // guarded by this
    private ScheduledFuture<?> retry; // guarded by this

    private SettingsAgreement(Supplier<CompletionStage<Outcome<SettingsVerdict>>> check) {
        this.check = check;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread named = new Thread(runnable, "shadowmq-settings-check");
            named.setDaemon(true);
            return named;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts checking now; {@code check} is one attempt ({@link PlatformRecord#check()}). */
    public static @NotNull SettingsAgreement start(@NotNull Supplier<CompletionStage<Outcome<SettingsVerdict>>> check) {
        SettingsAgreement agreement = new SettingsAgreement(Objects.requireNonNull(check, "check"));
        agreement.thread.execute(agreement::attemptOnSchedule);
        return agreement;
    }

    /** Completes once, with the verdict of the first check Redis answered, on this object's thread. */
    public @NotNull CompletableFuture<SettingsVerdict> verdict() {
        return verdict.copy();
    }

    /**
     * Ok once the settings agreed. While no verdict is in, asks Redis now (or joins the attempt under way) and
     * answers with it: ok, or 503 when Redis does not answer or the settings disagree. Never completes exceptionally.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> passed() {
        if (verdict.isDone()) {
            return CompletableFuture.completedFuture(passed(verdict.join()));
        }
        return attempt()
                .thenApply(outcome -> outcome instanceof Outcome.Ok<SettingsVerdict> ok
                        ? passed(ok.value())
                        : Outcome.<Boolean>rejected(((Outcome.Rejected<SettingsVerdict>) outcome).rejection()));
    }

    private static Outcome<Boolean> passed(SettingsVerdict verdict) {
        return verdict instanceof SettingsVerdict.Agreed
                ? Outcome.ok(true)
                : Outcome.rejected(
                        Rejection.storeUnavailable("this node's settings disagree with the running " + "platform's"));
    }

    private synchronized CompletableFuture<Outcome<SettingsVerdict>> attempt() {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<Outcome<SettingsVerdict>> started = check.get().toCompletableFuture();
        inFlight = started;
        // May run at once (a store call that fails fast), clearing inFlight before this returns: return started.
        Futures.whenComplete(started, log, "shared settings check", (outcome, error) -> {
            synchronized (this) {
                inFlight = null;
            }
            if (outcome instanceof Outcome.Ok<SettingsVerdict> ok && !verdict.isDone() && !thread.isShutdown()) {
                try {
                    thread.execute(() -> {
                        if (ok.value() instanceof SettingsVerdict.Agreed agreed && !verdict.isDone()) {
                            agreed.warnings().forEach(warning -> log.warn("shared settings: {}", warning));
                        }
                        verdict.complete(ok.value());
                    });
                } catch (RejectedExecutionException closed) {
                    // closed meanwhile: nobody waits for the verdict any more
                }
            }
        });
        return started;
    }

    private void attemptOnSchedule() {
        if (verdict.isDone() || thread.isShutdown()) {
            return;
        }
        Futures.whenComplete(attempt(), log, "shared settings check", (outcome, error) -> {
            if (outcome instanceof Outcome.Rejected<SettingsVerdict> rejected) {
                scheduleRetry(rejected.rejection());
            } else if (error != null) {
                scheduleRetry(Rejection.internal(String.valueOf(error)));
            }
        });
    }

    private synchronized void scheduleRetry(Rejection why) {
        if (!waitingLogged) {
            waitingLogged = true;
            log.warn(
                    "shared settings not yet checked against the platform record, waiting for Redis ({}); nothing "
                            + "is served until they are",
                    why.message());
        }
        Duration delay = nextRetry;
        nextRetry = nextRetry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : nextRetry.multipliedBy(2);
        try {
            retry = thread.schedule(this::attemptOnSchedule, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closed meanwhile: no more attempts
        }
    }

    private synchronized void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
        }
    }

    /** Stops asking; neither waits nor interrupts, so a verdict listener (on this object's thread) may call it. */
    @Override
    public void close() {
        cancelRetry();
        thread.shutdown();
    }
}
