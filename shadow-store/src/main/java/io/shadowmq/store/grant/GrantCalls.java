package io.shadowmq.store.grant;

import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/** The typed calls of the grant and audit scripts. */
final class GrantCalls {

    private GrantCalls() {}

    /** One call of {@code grant-create.lua}: answers {@code created}, {@code full} or {@code taken}. */
    record Create(
            @NotNull String grants,
            @NotNull String id,
            @NotNull String grant,
            int max,
            long now) implements ScriptCall<String> {

        static final String SCRIPT = "grant-create";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("grants", grants)
                    .arg("id", id)
                    .arg("grant", grant)
                    .arg("max", max)
                    .arg("now", now);
        }

        @Override
        public @NotNull String reply(@NotNull List<Object> answer) {
            return answer.get(0).toString();
        }
    }

    /** One call of {@code audit-append.lua}: answers the new entry's stream id. */
    record Append(
            @NotNull String audit,
            int keep,
            long retentionMillis,
            @NotNull List<String> fields) implements ScriptCall<String> {

        static final String SCRIPT = "audit-append";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("audit", audit)
                    .arg("keep", keep)
                    .arg("retentionMillis", retentionMillis)
                    .argTail("fields", fields);
        }

        @Override
        public @NotNull String reply(@NotNull List<Object> answer) {
            return answer.get(0).toString();
        }
    }
}
