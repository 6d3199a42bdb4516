package io.shadowmq.model.thing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written id check says exactly what the published pattern says, for ids near and far from valid. */
class ThingIdPropertiesTest {

    @Property(tries = 5000)
    void theCheckAgreesWithThePattern(@ForAll("nearlyIds") String candidate) {
        assertThat(ThingId.isValid(candidate))
                .as("'%s'", candidate)
                .isEqualTo(ThingId.PATTERN.matcher(candidate).matches());
    }

    @Provide
    Arbitrary<String> nearlyIds() {
        Arbitrary<String> idLike = Arbitraries.strings()
                .withChars("aZ09_.-")
                .withChars('\n', ' ', '/', '+', '#', 'é', '\u0000')
                .ofMinLength(0)
                .ofMaxLength(70);
        return Arbitraries.oneOf(
                idLike,
                Arbitraries.strings().alpha().numeric().ofMinLength(60).ofMaxLength(68),
                Arbitraries.strings().ofMaxLength(10),
                idLike.map(s -> s + "\n"));
    }
}
