package io.shadowmq.extension.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvSubstitutionTest {

    private final EnvSubstitution env = EnvSubstitution.of(Map.of(
            "SHADOWMQ_PEPPER", "0123456789abcdef",
            "EMPTY", "",
            "_under_score9", "ok"));

    @Test
    void textWithoutPlaceholdersIsUnchanged() throws Exception {
        assertThat(env.substitute("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(env.substitute("")).isEmpty();
    }

    @Test
    void placeholderIsReplacedByTheVariable() throws Exception {
        assertThat(env.substitute("${SHADOWMQ_PEPPER}")).isEqualTo("0123456789abcdef");
        assertThat(env.substitute("a-${_under_score9}-b")).isEqualTo("a-ok-b");
    }

    @Test
    void severalPlaceholdersInOneValueAreAllReplaced() throws Exception {
        assertThat(env.substitute("${_under_score9}/${SHADOWMQ_PEPPER}/${_under_score9}"))
                .isEqualTo("ok/0123456789abcdef/ok");
    }

    @Test
    void unsetVariableStopsWithItsName() {
        assertThatThrownBy(() -> env.substitute("${SHADOWMQ_REDIS_PASSWORD}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("environment variable SHADOWMQ_REDIS_PASSWORD is not set");
    }

    @Test
    void setButEmptyVariableWithoutDefaultIsEmpty() throws Exception {
        assertThat(env.substitute("[${EMPTY}]")).isEqualTo("[]");
    }

    @Test
    void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() throws Exception {
        assertThat(env.substitute("${REDIS_URL:-redis://127.0.0.1:6379}")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(env.substitute("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(env.substitute("${NOT_SET:-}")).isEmpty();
    }

    @Test
    void defaultIsIgnoredWhenTheVariableIsSet() throws Exception {
        assertThat(env.substitute("${SHADOWMQ_PEPPER:-other}")).isEqualTo("0123456789abcdef");
    }

    @Test
    void defaultIsTakenLiterallyAndNotSubstitutedAgain() throws Exception {
        assertThat(env.substitute("${NOT_SET:-$ and :- and ${}")).isEqualTo("$ and :- and ${");
    }

    @Test
    void doubledDollarWritesALiteralPlaceholder() throws Exception {
        assertThat(env.substitute("$${SHADOWMQ_PEPPER}")).isEqualTo("${SHADOWMQ_PEPPER}");
    }

    @Test
    void loneDollarSignsAreKept() throws Exception {
        assertThat(env.substitute("pa$$word$")).isEqualTo("pa$$word$");
        assertThat(env.substitute("$HOME")).isEqualTo("$HOME");
    }

    @Test
    void unterminatedPlaceholderIsAnError() {
        assertThatThrownBy(() -> env.substitute("x ${SHADOWMQ_PEPPER"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("unterminated placeholder '${SHADOWMQ_PEPPER'");
    }

    @Test
    void invalidVariableNamesAreErrors() {
        assertThatThrownBy(() -> env.substitute("${}")).hasMessageContaining("invalid placeholder '${}'");
        assertThatThrownBy(() -> env.substitute("${9LIVES}")).hasMessageContaining("invalid placeholder");
        assertThatThrownBy(() -> env.substitute("${A B}")).hasMessageContaining("invalid placeholder");
        assertThatThrownBy(() -> env.substitute("${A-1:-x}")).hasMessageContaining("invalid placeholder");
    }

    @Test
    void environmentIsReadAtSubstitutionTimeThroughTheGivenFunction() throws Exception {
        Map<String, String> mutable = new HashMap<>();
        EnvSubstitution live = new EnvSubstitution(mutable::get);
        mutable.put("LATE", "now set");

        assertThat(live.substitute("${LATE}")).isEqualTo("now set");
    }

    @Test
    void missingValueNeverEchoesOtherVariables() {
        assertThatThrownBy(() -> env.substitute("${SHADOWMQ_PEPPER} ${MISSING}"))
                .hasMessageNotContaining("0123456789abcdef");
    }

    @Test
    void variablesInNamesEachReferencedVariableOnceAndSkipsEscapesAndMalformedOnes() {
        assertThat(EnvSubstitution.variablesIn("redis://${HOST:-localhost}:${PORT}/${HOST} $${LITERAL} ${1BAD} ${OPEN"))
                .containsExactly("HOST", "PORT");
        assertThat(EnvSubstitution.variablesIn("20")).isEmpty();
    }
}
