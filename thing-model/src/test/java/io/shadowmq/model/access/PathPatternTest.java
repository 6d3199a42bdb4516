package io.shadowmq.model.access;

import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Path patterns: dotted names, {@code *} one level, a last {@code **} everything below; a plain path covers below. */
class PathPatternTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "range, range, true",
        "range, rangeX, false",
        "range, rang, false",
        "cabin.heater, cabin.heater.isOn, true",
        "cabin.heater, cabin.heater, true",
        "cabin.heater, cabin, false",
        "cabin.heater.**, cabin.heater.targetTemperature, true",
        "cabin.heater.**, cabin.heater, true",
        "cabin.heater.**, cabin.temperature, false",
        "doors.*.isOpen, doors.rearLeft.isOpen, true",
        "doors.*.isOpen, doors.rearLeft.isLocked, false",
        "doors.*.isOpen, doors.rearLeft, false",
        "doors.*, doors.trunk.isLocked, true",
        "*, location.latitude, true",
        "**, location.latitude, true",
        "*.isOpen, doors.frontLeft.isOpen, false",
    })
    void matchesByLevels(String pattern, String path, boolean expected) {
        assertThat(PathPattern.parse(pattern).orElseThrow().matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "range.",
                ".range",
                "cabin..heater",
                "**.isOpen",
                "doors.**.isOpen",
                "do ors",
                "a-b",
                "doors.***",
                "1range",
                "cabin.heater.**.**"
            })
    void malformedPatternsAre422NamingThePattern(String text) {
        Outcome<PathPattern> parsed = PathPattern.parse(text);

        assertThat(parsed).isInstanceOf(Outcome.Rejected.class);
        Rejection rejection = ((Outcome.Rejected<PathPattern>) parsed).rejection();
        assertThat(rejection.code()).isEqualTo(Rejection.MODEL_VIOLATION);
        assertThat(rejection.message())
                .isEqualTo("'" + text + "' is not a path pattern (dotted property names, * for exactly one level,"
                        + " a last ** for everything below)");
        assertThatThrownBy(() -> new PathPattern(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tooLongIsRefused() {
        String text = "a".repeat(60) + ".a".repeat(300);

        assertThat(PathPattern.parse(text).isOk()).isFalse();
    }

    @Test
    void relationTellsWhetherAPatternReachesBelowAPath() {
        PathPattern isOpen = new PathPattern("doors.*.isOpen");

        assertThat(isOpen.relationTo("doors")).isEqualTo(PathPattern.Relation.BELOW);
        assertThat(isOpen.relationTo("doors.trunk")).isEqualTo(PathPattern.Relation.BELOW);
        assertThat(isOpen.relationTo("doors.trunk.isOpen")).isEqualTo(PathPattern.Relation.COVERS);
        assertThat(isOpen.relationTo("windows")).isEqualTo(PathPattern.Relation.NONE);
        assertThat(isOpen.relationTo("")).isEqualTo(PathPattern.Relation.BELOW);
    }

    @Test
    void firstUnknownNamesTheFieldAndThePatternThatMatchesNothingInTheModel() {
        List<PathPattern> paths = List.of(new PathPattern("range"), new PathPattern("locaton"));

        assertThat(PathPattern.firstUnknown("read", paths, CAR))
                .contains(Rejection.modelViolation("read[1]: no property 'locaton' in model car"));
        assertThat(PathPattern.firstUnknown("paths", List.of(new PathPattern("doors.*.isOpen")), CAR))
                .isEmpty();
        assertThat(PathPattern.firstUnknown("paths", List.of(new PathPattern("range.value")), CAR))
                .contains(Rejection.modelViolation("paths[0]: no property 'range.value' in model car"));
    }
}
