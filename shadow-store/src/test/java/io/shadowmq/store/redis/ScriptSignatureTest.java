package io.shadowmq.store.redis;

import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signature check itself: a call whose arguments are swapped against the script's header fails it. */
class ScriptSignatureTest {

    @Test
    void twoSwappedArgumentsFailTheCheck() {
        ScriptCall<Object> swapped = new ScriptCall<>() {
            @Override
            public @NotNull String script() {
                return "presence-run-ended";
            }

            @Override
            public @NotNull ScriptArguments arguments() {
                return new ScriptArguments()
                        .key("presence", "p")
                        .key("thing", "t")
                        .arg("now", 1_000)
                        .arg("runPrefix", "node-a/1/");
            }

            @Override
            public @NotNull Object reply(@NotNull List<Object> answer) {
                return answer;
            }
        };

        assertThatThrownBy(() -> ScriptSignature.of("presence-run-ended").assertProducedBy(swapped, false))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aValueUnderAnotherNameFailsTheCheck() {
        record Renewal(String inbox, long ttlMillis) implements ScriptCall<Object> {
            @Override
            public @NotNull String script() {
                return "node-inbox";
            }

            @Override
            public @NotNull ScriptArguments arguments() {
                return new ScriptArguments().key("inbox", inbox).arg("ttlMillis", ttlMillis + 1);
            }

            @Override
            public @NotNull Object reply(@NotNull List<Object> answer) {
                return answer;
            }
        }

        assertThatThrownBy(() -> ScriptSignature.of("node-inbox").assertProducedBy(new Renewal("i", 5), true))
                .isInstanceOf(AssertionError.class);
    }
}
