package io.shadowmq.store.due;

import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/** The typed calls of the due index's scripts. */
final class DueCalls {

    private DueCalls() {}

    /** One call of {@code due-claim.lua}: claims up to {@code max} members due by {@code now}, scoring them {@code until}. */
    record Claim(@NotNull String due, long now, int max, long until) implements ScriptCall<List<String>> {

        static final String SCRIPT = "due-claim";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("due", due)
                    .arg("now", now)
                    .arg("max", max)
                    .arg("until", until);
        }

        @Override
        public @NotNull List<String> reply(@NotNull List<Object> answer) {
            return answer.stream().map(Object::toString).toList();
        }
    }

    /**
     * One call of {@code due-settle.lua}: {@code member}, claimed with score {@code claimedScore}, is due again at
     * {@code next} ('' = leaves the index), unless scheduled anew since.
     */
    record Settle(
            @NotNull String due,
            @NotNull String member,
            long claimedScore,
            @NotNull String next) implements ScriptCall<Boolean> {

        static final String SCRIPT = "due-settle";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("due", due)
                    .arg("member", member)
                    .arg("claimedScore", claimedScore)
                    .arg("next", next);
        }

        /** True when settled; false when a newer schedule was kept. */
        @Override
        public @NotNull Boolean reply(@NotNull List<Object> answer) {
            return answer.get(0).toString().equals("settled");
        }
    }
}
