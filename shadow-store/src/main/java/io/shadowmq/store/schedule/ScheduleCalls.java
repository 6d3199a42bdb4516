package io.shadowmq.store.schedule;

import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/** The typed calls of the schedule scripts. */
final class ScheduleCalls {

    private ScheduleCalls() {}

    /** One call of {@code schedule-claim.lua}: answers {@code claimed}, {@code done} or {@code gone}. */
    record Claim(@NotNull String schedule, long occurrence) implements ScriptCall<String> {

        static final String SCRIPT = "schedule-claim";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments().key("schedule", schedule).arg("occurrence", occurrence);
        }

        @Override
        public @NotNull String reply(@NotNull List<Object> answer) {
            return answer.get(0).toString();
        }
    }

    /** One call of {@code schedule-run.lua}: true when recorded, false when the schedule is gone. */
    record Record(
            @NotNull String schedule,
            @NotNull String runs,
            @NotNull String run,
            int keep) implements ScriptCall<Boolean> {

        static final String SCRIPT = "schedule-run";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("schedule", schedule)
                    .key("runs", runs)
                    .arg("run", run)
                    .arg("keep", keep);
        }

        @Override
        public @NotNull Boolean reply(@NotNull List<Object> answer) {
            return answer.get(0).toString().equals("recorded");
        }
    }
}
