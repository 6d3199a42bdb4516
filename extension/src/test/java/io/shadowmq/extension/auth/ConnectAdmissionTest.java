package io.shadowmq.extension.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectAdmissionTest {

    @Test
    void atMostNChecksRunAtOnceAndTheOthersStartInArrivalOrder() {
        ConnectAdmission admission = new ConnectAdmission(2, 100, Duration.ofSeconds(10));
        List<CompletableFuture<String>> store = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            answers.add(admission.submit(() -> {
                started.add(n);
                CompletableFuture<String> call = new CompletableFuture<>();
                store.add(call);
                return call;
            }));
        }

        assertThat(started).containsExactly(0, 1);
        assertThat(admission.inFlight()).isEqualTo(2);
        assertThat(admission.waiting()).isEqualTo(3);

        store.get(1).complete("one");
        assertThat(started).containsExactly(0, 1, 2);
        store.get(0).complete("zero");
        assertThat(started).containsExactly(0, 1, 2, 3);
        store.get(2).completeExceptionally(new IllegalStateException("store unavailable"));
        assertThat(started).containsExactly(0, 1, 2, 3, 4);

        assertThat(answers.get(0).join()).isEqualTo("zero");
        assertThat(answers.get(1).join()).isEqualTo("one");
        assertThatThrownBy(() -> answers.get(2).join()).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(answers.get(4)).isNotDone();
    }

    @Test
    void whenTooManyWaitANewCheckIsRefusedAtOnce() {
        ConnectAdmission admission = new ConnectAdmission(1, 1, Duration.ofSeconds(10));
        assertThat(admission.submit(CompletableFuture::new)).isNotDone();
        CompletableFuture<Object> queued = admission.submit(CompletableFuture::new);

        CompletableFuture<Object> refused = admission.submit(CompletableFuture::new);

        assertThat(queued).isNotDone();
        assertThatThrownBy(refused::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ConnectAdmission.Refused.class);
    }

    @Test
    void aCheckThatWaitedLongerThanItsCONNECTNeverAsksTheStore() {
        AtomicLong nanos = new AtomicLong(1);
        ConnectAdmission admission = new ConnectAdmission(1, 10, Duration.ofMillis(20), nanos::get);
        CompletableFuture<String> first = new CompletableFuture<>();
        assertThat(admission.submit(() -> first)).isNotDone();
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<String> late = admission.submit(() -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture("late");
        });

        nanos.addAndGet(Duration.ofMillis(20).toNanos() + 1);
        first.complete("first");

        assertThatThrownBy(late::join).hasCauseInstanceOf(ConnectAdmission.Refused.class);
        assertThat(asked).hasValue(0);
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void aCheckThatWaitedNoLongerThanItsCONNECTStillAsksTheStore() {
        AtomicLong nanos = new AtomicLong(-5);
        ConnectAdmission admission = new ConnectAdmission(1, 10, Duration.ofMillis(20), nanos::get);
        CompletableFuture<String> first = new CompletableFuture<>();
        assertThat(admission.submit(() -> first)).isNotDone();
        CompletableFuture<String> inTime = admission.submit(() -> CompletableFuture.completedFuture("in time"));

        nanos.addAndGet(Duration.ofMillis(20).toNanos());
        first.complete("first");

        assertThat(inTime.join()).isEqualTo("in time");
    }

    @Test
    void checksAnsweredAtOnceDoNotNestNoMatterHowManyWait() {
        ConnectAdmission admission = new ConnectAdmission(1, 100_000, Duration.ofSeconds(10));
        CompletableFuture<String> blocker = new CompletableFuture<>();
        assertThat(admission.submit(() -> blocker)).isNotDone();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            answers.add(admission.submit(() -> CompletableFuture.completedFuture("cached")));
        }

        blocker.complete("done");

        assertThat(answers).allMatch(answer -> "cached".equals(answer.getNow(null)));
        assertThat(admission.inFlight()).isZero();
        assertThat(admission.waiting()).isZero();
    }
}
