package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.Scale;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For all values: validation accepts what the schema allows and nothing else. Patches are built as JSON text and
 * read by a plain Jackson mapper, as a device's payload would be, so ints, doubles and exponent notation all occur.
 */
class ValidationPropertiesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();
    private static final ThingModel SPEAKER =
            ThingModels.bundled().get("speaker").orElseThrow();
    private static final ThingModel WASHER = ThingModels.bundled().get("washer").orElseThrow();

    private static final BigDecimal HEATER_MIN = new BigDecimal("16");
    private static final BigDecimal HEATER_MAX = new BigDecimal("28");
    private static final List<String> PROGRAMS = List.of("cotton", "synthetics", "wool", "quick", "eco");

    @Property
    void heaterTargetInsideItsRangeIsAlwaysAccepted(
            @ForAll @BigRange(min = "16", max = "28") @Scale(4) BigDecimal target, @ForAll boolean exponent) {
        assertThat(CAR.validate(Section.DESIRED, heaterTarget(target, exponent)))
                .isEmpty();
    }

    @Property
    void heaterTargetOutsideItsRangeIsNeverAccepted(
            @ForAll("outsideHeaterRange") BigDecimal target, @ForAll boolean exponent) {
        List<Violation> violations = CAR.validate(Section.DESIRED, heaterTarget(target, exponent));

        String expectedRule = target.compareTo(HEATER_MAX) > 0
                ? JsonValues.plain(target) + " > maximum 28"
                : JsonValues.plain(target) + " < minimum 16";
        assertThat(violations).containsExactly(new Violation("cabin.heater.targetTemperature", expectedRule));
    }

    @Property
    void volumeIsAcceptedExactlyWhenItIsAWholeNumberFrom0To100(
            @ForAll("aroundVolume") BigDecimal volume, @ForAll boolean exponent) {
        boolean allowed = JsonValues.isIntegral(volume)
                && volume.compareTo(BigDecimal.ZERO) >= 0
                && volume.compareTo(new BigDecimal("100")) <= 0;

        List<Violation> violations =
                SPEAKER.validate(Section.DESIRED, patch("{\"volume\":" + json(volume, exponent) + "}"));

        assertThat(violations.isEmpty()).as("%s accepted", volume).isEqualTo(allowed);
    }

    @Property
    void programIsAcceptedExactlyWhenItIsOneOfTheEnum(@ForAll("programCandidates") String program) {
        ObjectNode desired = MAPPER.createObjectNode().put("program", program);

        List<Violation> violations = WASHER.validate(Section.DESIRED, desired);

        assertThat(violations.isEmpty()).as("'%s' accepted", program).isEqualTo(PROGRAMS.contains(program));
    }

    @Provide
    Arbitrary<BigDecimal> outsideHeaterRange() {
        // Mostly just outside the bounds, where off-by-one mistakes live; sometimes far away.
        Arbitrary<BigDecimal> justBelow = Arbitraries.bigDecimals()
                .between(new BigDecimal("15"), HEATER_MIN)
                .ofScale(4)
                .filter(v -> v.compareTo(HEATER_MIN) < 0);
        Arbitrary<BigDecimal> justAbove = Arbitraries.bigDecimals()
                .between(HEATER_MAX, new BigDecimal("29"))
                .ofScale(4)
                .filter(v -> v.compareTo(HEATER_MAX) > 0);
        Arbitrary<BigDecimal> far = Arbitraries.bigDecimals()
                .between(new BigDecimal("-1E6"), new BigDecimal("1E6"))
                .ofScale(2)
                .filter(v -> v.compareTo(HEATER_MIN) < 0 || v.compareTo(HEATER_MAX) > 0);
        return Arbitraries.frequencyOf(Tuple.of(4, justBelow), Tuple.of(4, justAbove), Tuple.of(2, far));
    }

    @Provide
    Arbitrary<BigDecimal> aroundVolume() {
        Arbitrary<BigDecimal> wholeNumbers =
                Arbitraries.integers().between(-20, 120).map(BigDecimal::valueOf);
        Arbitrary<BigDecimal> fractions = Arbitraries.bigDecimals()
                .between(new BigDecimal("-2"), new BigDecimal("102"))
                .ofScale(2);
        return Arbitraries.oneOf(wholeNumbers, fractions);
    }

    @Provide
    Arbitrary<String> programCandidates() {
        // The exact values, near misses (case, whitespace), and anything at all.
        Arbitrary<String> exact = Arbitraries.of(PROGRAMS);
        return Arbitraries.oneOf(
                exact,
                exact.map(String::toUpperCase),
                exact.map(p -> p + " "),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(10));
    }

    private static ObjectNode heaterTarget(BigDecimal target, boolean exponent) {
        return patch("{\"cabin\":{\"heater\":{\"targetTemperature\":" + json(target, exponent) + "}}}");
    }

    /** The number as JSON text, plain ({@code 16.0400}) or in exponent notation ({@code 160400E-4}). */
    private static String json(BigDecimal value, boolean exponent) {
        return exponent ? value.unscaledValue() + "E" + (-value.scale()) : value.toPlainString();
    }

    private static ObjectNode patch(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
