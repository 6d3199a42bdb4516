package io.shadowmq.bench.report;

import io.shadowmq.bench.cost.CostPerRequest;
import io.shadowmq.bench.load.LoadPhase;
import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.load.RateLadder;
import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.load.Timeline;
import io.shadowmq.bench.mqtt.ConnectStorm;
import io.shadowmq.bench.scenario.CostBench;
import io.shadowmq.bench.scenario.RecoveryBench;
import io.shadowmq.bench.scenario.RoundTripRun;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The goals of updates, cost and recovery, judged from measurements made up here: met, MISSED, or undecided. */
class UpdatesCostRecoveryRowsTest {

    @Test
    void updatesMeetTheirGoalAtHalfTheFloorRedisRateWithLowLatencyAndALightLoadP50CloseToTheFloors() {
        RoundTripRun floorRedis = ladder(8_000, 0.8, 4.0);

        ScenarioRow row = Rows.updates(ladder(4_000, 1.2, 8.0), ladder(12_000, 0.4, 3.0), floorRedis);

        assertThat(row.goalMet()).isTrue();
        assertThat(row.vsLimit()).isEqualTo("0.50x floor-redis, 0.33x echo, p50 at 10 % 1.50x floor-redis's");
        assertThat(row.goal()).startsWith(">= 0.5x floor-redis (moonshot 0.8x), p99 <= 10 ms at 50 %");
    }

    @Test
    void updatesMissWhenAnyPartOfTheGoalIsMissed() {
        RoundTripRun floorRedis = ladder(8_000, 0.8, 4.0);

        // too slow against the floor,
        assertThat(Rows.updates(ladder(3_000, 1.2, 8.0), null, floorRedis).goalMet())
                .isFalse();
        // p99 at half the held rate above 10 ms,
        assertThat(Rows.updates(ladder(4_000, 1.2, 12.0), null, floorRedis).goalMet())
                .isFalse();
        // p50 at a tenth of the held rate more than twice the floor's.
        assertThat(Rows.updates(ladder(4_000, 1.7, 8.0), null, floorRedis).goalMet())
                .isFalse();
    }

    @Test
    void updatesAtTheMoonshotSayItAndWithoutFloorRedisAreNotJudged() {
        assertThat(Rows.updates(ladder(6_400, 1.0, 5.0), null, ladder(8_000, 0.8, 4.0))
                        .vsLimit())
                .startsWith("0.80x floor-redis (moonshot reached)");
        ScenarioRow unjudged = Rows.updates(ladder(4_000, 1.0, 5.0), ladder(12_000, 0.4, 3.0), null);
        assertThat(unjudged.goalMet()).isNull();
        assertThat(unjudged.vsLimit()).isEqualTo("floor-redis not run, 0.33x echo");
    }

    @Test
    void costIsUpdatesMinusFloorRedisJudgedAtTheGoalRate() {
        CostBench.Result updates = cost(2_000, 0, new CostPerRequest(740, 130.0, 25.0));
        CostBench.Result floor = cost(2_000, 0, new CostPerRequest(560, 45.0, 18.0));

        List<ScenarioRow> rows = Rows.cost(updates, floor);

        assertThat(rows).extracting(ScenarioRow::scenario).containsExactly("cost", "cost-floor");
        assertThat(rows.get(0).throughput()).isEqualTo("2,000 upd/s: 740 µs JVM + 130 µs Redis, 25.0 KB each");
        assertThat(rows.get(0).vsLimit()).isEqualTo("own 265 µs (JVM 180 + Redis 85), 7.0 KB");
        assertThat(rows.get(0).goalMet()).isFalse(); // 265 µs > 100 µs, though 7 KB <= 10 KB
        assertThat(rows.get(1).throughput()).isEqualTo("2,000 req/s: 560 µs JVM + 45 µs Redis, 18.0 KB each");

        CostBench.Result lean = cost(2_000, 0, new CostPerRequest(620, 60.0, 26.0));
        assertThat(Rows.cost(lean, floor).get(0).goalMet()).isTrue(); // 75 µs, 8 KB
    }

    @Test
    void aCostRateThatWasNotHeldShowsWhatWasAchievedInsteadOfACost() {
        CostBench.Result updates = cost(2_000, 150, new CostPerRequest(900, 200.0, 30.0));

        ScenarioRow row = Rows.cost(updates, cost(2_000, 0, new CostPerRequest(560, 45.0, 18.0)))
                .get(0);

        assertThat(row.throughput())
                .startsWith("did not hold 2,000 upd/s: achieved")
                .contains("150 errors");
        assertThat(row.vsLimit()).isEqualTo("no cost: the rate was not held");
        assertThat(row.goalMet()).isFalse();
    }

    @Test
    void aCostAtAnotherRateIsShownButNotJudged() {
        ScenarioRow row = Rows.cost(
                        cost(200, 0, new CostPerRequest(620, 60.0, 26.0)),
                        cost(200, 0, new CostPerRequest(560, 45.0, 18.0)))
                .get(0);

        assertThat(row.goalMet()).isNull();
        assertThat(row.goal()).endsWith("(measured at 200/s)");
    }

    @Test
    void recoveryIsTheSecondsUntilTheWindowsStayHealthyAfterAColdStartAndAfterTheOverload() {
        // Cold start: 4 windows, the first two slow; overload: 2 windows shedding with 503; after: 3 windows, the
        // first one losing requests.
        List<Timeline.Window> windows = new ArrayList<>();
        windows.add(window(0, 0, 100, 0, 0, 400));
        windows.add(window(1, 0, 100, 0, 0, 80));
        windows.add(window(2, 0, 100, 0, 0, 5));
        windows.add(window(3, 0, 100, 0, 0, 5));
        windows.add(window(4, 1, 400, 100, 0, 300));
        windows.add(window(5, 1, 400, 150, 0, 300));
        windows.add(window(6, 2, 100, 0, 10, 900));
        windows.add(window(7, 2, 100, 0, 0, 5));
        windows.add(window(8, 2, 100, 0, 0, 5));
        Timeline timeline = new Timeline(
                List.of(
                        new LoadPhase(100, Duration.ofSeconds(4)),
                        new LoadPhase(400, Duration.ofSeconds(2)),
                        new LoadPhase(100, Duration.ofSeconds(3))),
                1,
                windows);

        List<ScenarioRow> rows = Rows.recovery(new RecoveryBench.Result(200, "updates", timeline));

        assertThat(rows).extracting(ScenarioRow::scenario).containsExactly("recovery-cold", "recovery-overload");
        assertThat(rows.get(0).throughput()).isEqualTo("100 upd/s for 4 s on a fresh platform: healthy from 2 s on");
        assertThat(rows.get(0).goalMet()).isTrue();
        assertThat(rows.get(1).throughput())
                .isEqualTo("2x = 400/s for 2 s: 550 of 800 answered, 250 refused (503: 250), 0 lost; then 100/s: "
                        + "healthy from 1 s after the overload on");
        assertThat(rows.get(1).vsLimit()).isEqualTo("errors after 10");
        assertThat(rows.get(1).goalMet()).isTrue();
    }

    @Test
    void recoveryThatNeverSettlesOrTakesLongerThanTheGoalMisses() {
        List<Timeline.Window> windows = new ArrayList<>();
        for (int second = 0; second < 12; second++) {
            windows.add(window(second, 0, 100, 0, 0, second < 11 ? 200 : 5)); // healthy only from 11 s
        }
        windows.add(window(12, 1, 400, 0, 0, 300));
        windows.add(window(13, 2, 100, 0, 0, 5));
        windows.add(window(14, 2, 100, 0, 0, 60)); // the last window after the overload is slow
        Timeline timeline = new Timeline(
                List.of(
                        new LoadPhase(100, Duration.ofSeconds(12)),
                        new LoadPhase(400, Duration.ofSeconds(1)),
                        new LoadPhase(100, Duration.ofSeconds(2))),
                1,
                windows);

        List<ScenarioRow> rows = Rows.recovery(new RecoveryBench.Result(200, "--recovery-rate", timeline));

        assertThat(rows.get(0).throughput()).endsWith("healthy from 11 s on");
        assertThat(rows.get(0).goalMet()).isFalse();
        assertThat(rows.get(1).throughput()).endsWith("not healthy by the phase's end");
        assertThat(rows.get(1).goalMet()).isFalse();
    }

    @Test
    void theGoalLinesAboveTheTableComeFromTheSameConstantsAsTheRows() {
        String goals = String.join("\n", Rows.goals());

        assertThat(goals)
                .startsWith("goals: updates: "
                        + Rows.updates(ladder(1, 1, 1), null, null).goal());
        assertThat(goals)
                .contains("own CPU <= 100 µs, own alloc <= 10 KB per update at 2,000/s")
                .contains("p99 <= 50 ms within 10 s of a cold start and of a 2x overload's end")
                .contains("rest-read: >= 10,000/s, p99 <= 10 ms")
                .contains("connect-storm: >= 0.8x no-auth");
        assertThat(Rows.goals()).hasSize(3);
    }

    /** A ladder that held {@code held}/s, with the given p50 at 10 % and p99 at 50 % of it. */
    private static RoundTripRun ladder(double held, double p50AtTenth, double p99AtHalf) {
        List<StepResult> fractions = new ArrayList<>();
        for (double fraction : RateLadder.FRACTIONS) {
            double p50 = fraction == 0.10 ? p50AtTenth : 1;
            double p99 = fraction == 0.5 ? p99AtHalf : 1;
            fractions.add(step(fraction * held, 0, new Percentiles(p50, p50, p99, p99, p99, 100)));
        }
        RateLadder.Result result =
                new RateLadder.Result(50, List.of(step(held, 0, new Percentiles(1, 1, 1, 1, 1, 100))), held, fractions);
        return new RoundTripRun(
                "target", new ConnectStorm(20, 20, 0, 0.1, new Percentiles(1, 1, 1, 1, 1, 20)), result, 0);
    }

    private static StepResult step(double rate, long errors, Percentiles latency) {
        long sent = Math.round(rate * 10);
        return new StepResult(rate, errors == 0 ? rate : rate * 0.9, sent, sent - errors, errors, 0, latency);
    }

    private static CostBench.Result cost(double rate, long errors, CostPerRequest perRequest) {
        return new CostBench.Result(
                "target", 15, step(rate, errors, new Percentiles(1, 1, 2, 3, 4, 100)), perRequest, List.of());
    }

    /** A window whose answered requests all took {@code millis}. */
    private static Timeline.Window window(int second, int phase, long sent, long refused503, long lost, long millis) {
        Histogram micros = new Histogram(3);
        long succeeded = sent - refused503 - lost;
        micros.recordValueWithCount(millis * 1000, succeeded);
        return new Timeline.Window(
                second,
                second,
                phase,
                sent,
                succeeded,
                refused503 == 0 ? Map.of() : Map.of(503, refused503),
                lost,
                micros);
    }
}
