package io.shadowmq.model.schema;

import io.shadowmq.model.shadow.DesiredPolicy;
import io.shadowmq.model.shadow.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.shadowmq.model.schema.ThingModelParserTest.modelWith;
import static io.shadowmq.model.schema.ThingModelParserTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model terms desiredTtlSeconds and autoClear, and rejectDesired paths against a model. */
class DesiredTermsTest {

    private static final String HEATER = modelWith("""
            'cabin':{'type':'object','properties':{
                'heater':{'type':'object','desiredTtlSeconds':3600,'properties':{
                    'isOn':{'type':'boolean'},
                    'targetTemperature':{'type':'number','desiredTtlSeconds':600}}},
                'light':{'type':'boolean','autoClear':false}}},
            'mode':{'type':'string'}
            """);

    @Test
    void theDeepestTtlOnThePathApplies() {
        DesiredPolicy policy = parse("car.json", HEATER).desiredPolicy();

        assertThat(policy.defaultTtl("cabin.heater.isOn")).isEqualTo(Duration.ofHours(1));
        assertThat(policy.defaultTtl("cabin.heater.targetTemperature")).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.defaultTtl("mode")).isNull();
        assertThat(policy.defaultTtl("cabin.unknown")).isNull();
    }

    @Test
    void autoClearIsOnUnlessThePropertyOrAnObjectAboveOptsOut() {
        DesiredPolicy policy = parse("car.json", HEATER).desiredPolicy();

        assertThat(policy.autoClear("cabin.heater.isOn")).isTrue();
        assertThat(policy.autoClear("cabin.light")).isFalse();
        assertThat(policy.autoClear("mode")).isTrue();
        assertThat(parse(
                                "lamp.json",
                                modelWith("'settings':{'type':'object','autoClear':false,'properties':{"
                                        + "'level':{'type':'integer'}}}"))
                        .desiredPolicy()
                        .autoClear("settings.level"))
                .isFalse();
    }

    @Test
    void theShippedCarGivesHeaterWishesAnHourAndClearsThemWhenApplied() {
        ThingModel car = ThingModels.bundled().get("car").orElseThrow();

        assertThat(car.desiredPolicy().defaultTtl("cabin.heater.isOn")).isEqualTo(Duration.ofHours(1));
        assertThat(car.desiredPolicy().defaultTtl("cabin.heater.targetTemperature"))
                .isEqualTo(Duration.ofHours(1));
        assertThat(car.desiredPolicy().autoClear("cabin.heater.isOn")).isTrue();
        assertThat(car.desiredPolicy().defaultTtl("doors.trunk.isLocked")).isNull();
    }

    @Test
    void badTermsDoNotLoad() {
        assertThatThrownBy(() -> parse("car.json", modelWith("'mode':{'type':'string','desiredTtlSeconds':0}")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("properties.mode.desiredTtlSeconds")
                .hasMessageContaining("must be between 1 and 604800 seconds");
        assertThatThrownBy(() -> parse("car.json", modelWith("'mode':{'type':'string','desiredTtlSeconds':'1h'}")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("must be a whole number of seconds");
        assertThatThrownBy(() -> parse("car.json", modelWith("'mode':{'type':'string','autoClear':'no'}")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("properties.mode.autoClear");
        assertThatThrownBy(() -> parse(
                        "car.json", modelWith("'range':{'type':'integer','readOnly':true,'desiredTtlSeconds':60}")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("do not apply to a readOnly property");
    }

    @Test
    void rejectDesiredPathsMustBeInTheModel() {
        ThingModel car = parse("car.json", HEATER);

        assertThat(car.checkRejectDesired(List.of("cabin.heater.isOn", "cabin.heater")))
                .isEmpty();
        assertThat(car.checkRejectDesired(List.of("cabin.heater.isOn", "cabin.seat.heat")))
                .isEqualTo(Optional.of(new Rejection(422, "rejectDesired.cabin.seat.heat: unknown property")));
    }
}
