package io.shadowmq.service.shadow;

import io.shadowmq.model.shadow.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IfMatchTest {

    @Test
    void absentOrBlankIsNoPrecondition() {
        assertThat(IfMatch.parse(null).orElseThrow()).isInstanceOf(IfMatch.Absent.class);
        assertThat(IfMatch.parse("  ").orElseThrow()).isInstanceOf(IfMatch.Absent.class);
    }

    @Test
    void aStrongNumericTagIsAVersion() {
        assertThat(IfMatch.parse("\"7\"").orElseThrow()).isEqualTo(new IfMatch.Version(7));
        assertThat(IfMatch.parse(" \"0\" ").orElseThrow()).isEqualTo(new IfMatch.Version(0));
    }

    @Test
    void starIsAny() {
        assertThat(IfMatch.parse("*").orElseThrow()).isInstanceOf(IfMatch.Any.class);
    }

    @Test
    void weakOrForeignTagsCanNeverMatch() {
        assertThat(IfMatch.parse("W/\"7\"").orElseThrow()).isInstanceOf(IfMatch.Never.class);
        assertThat(IfMatch.parse("\"abc\"").orElseThrow()).isInstanceOf(IfMatch.Never.class);
        assertThat(IfMatch.parse("\"07\"").orElseThrow()).isInstanceOf(IfMatch.Never.class);
        assertThat(IfMatch.parse("\"abc\", W/\"3\"").orElseThrow()).isInstanceOf(IfMatch.Never.class);
    }

    @Test
    void aListWithOneVersionUsesIt() {
        assertThat(IfMatch.parse("\"abc\", \"5\"").orElseThrow()).isEqualTo(new IfMatch.Version(5));
    }

    @Test
    void malformedHeadersAndSeveralVersionsAre400() {
        assertThat(rejectionOf("7").message()).startsWith("If-Match:");
        assertThat(rejectionOf("\"7").code()).isEqualTo(400);
        assertThat(rejectionOf("\"1\", \"2\"").message()).contains("one version");
    }

    @Test
    void theTagOfAVersionIsQuoted() {
        assertThat(IfMatch.tagOf(12)).isEqualTo("\"12\"");
    }

    private static io.shadowmq.model.shadow.Rejection rejectionOf(String header) {
        Outcome<IfMatch> parsed = IfMatch.parse(header);
        assertThat(parsed).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<IfMatch>) parsed).rejection();
    }
}
