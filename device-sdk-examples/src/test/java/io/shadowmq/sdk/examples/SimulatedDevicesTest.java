package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** The devices as the platform sees them: what they report fits their model, and they act on deltas. */
class SimulatedDevicesTest {

    static List<SimulatedDevice> devices() {
        return List.of(
                new CarSimulator(),
                new SpeakerSimulator(),
                new FridgeSimulator(),
                new WasherSimulator(),
                new WasherSimulator(WasherCycle.command(WasherState.idle("eco"), "start")));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void everythingADeviceReportsFitsItsThingModelAlsoAfterTimePasses(SimulatedDevice device) {
        var model = ThingModels.bundled().get(device.type()).orElseThrow();

        assertThat(model.validate(Section.REPORTED, device.reported())).isEmpty();
        device.advance(Duration.ofHours(2));
        assertThat(model.validate(Section.REPORTED, device.reported())).isEmpty();
    }

    @Test
    void theCarsHeaterSwitchedOnFromHomeWarmsTheCabin() {
        // given
        CarSimulator car = new CarSimulator();

        // when
        car.onDesired(obj("{'cabin':{'heater':{'isOn':true,'targetTemperature':22}}}"));
        car.advance(Duration.ofMinutes(5));

        // then
        ObjectNode reported = car.reported();
        assertThat(reported.at("/cabin/heater/isOn").booleanValue()).isTrue();
        assertThat(reported.at("/cabin/heater/targetTemperature").doubleValue()).isEqualTo(22);
        assertThat(reported.at("/cabin/temperature").doubleValue()).isGreaterThan(10);
        assertThat(reported.at("/fuel/level").doubleValue()).isLessThan(62);
        // the outside stays as cold as it was: what a schedule's condition reads
        assertThat(reported.at("/exteriorTemperature").isNumber()).isTrue();
        assertThat(reported.at("/exteriorTemperature").doubleValue())
                .isLessThan(reported.at("/cabin/temperature").doubleValue());
    }

    @Test
    void theCarLocksAndUnlocksDoorsWhenAsked() {
        CarSimulator car = new CarSimulator();

        car.onDesired(obj("{'doors':{'trunk':{'isLocked':false}}}"));

        assertThat(car.reported().at("/doors/trunk/isLocked").booleanValue()).isFalse();
        assertThat(car.reported().at("/doors/frontLeft/isLocked").booleanValue())
                .isTrue();
    }

    @Test
    void theSpeakerTakesVolumeAndMute() {
        SpeakerSimulator speaker = new SpeakerSimulator();

        speaker.onDesired(obj("{'volume':15,'isMuted':true}"));

        assertThat(speaker.reported()).isEqualTo(obj("{'volume':15,'isMuted':true}"));
    }

    @Test
    void theFridgeFollowsANewTargetAndSuperCool() {
        FridgeSimulator fridge = new FridgeSimulator();

        fridge.onDesired(obj("{'targetTemperature':4,'superCool':{'isOn':true}}"));
        fridge.advance(Duration.ofHours(3));

        assertThat(fridge.reported().get("temperature").doubleValue()).isEqualTo(1.0);
        assertThat(fridge.reported().get("targetTemperature").doubleValue()).isEqualTo(4.0);
    }

    @Test
    void theWasherRunsTheChosenProgramAndReportsTheCommandItCarriedOut() {
        // given
        WasherSimulator washer = new WasherSimulator();

        // when
        washer.onDesired(obj("{'program':'quick','command':'start'}"));

        // then
        assertThat(washer.reported())
                .isEqualTo(obj("{'state':'running','program':'quick','remainingMinutes':30,'command':'start'}"));
        washer.advance(Duration.ofMinutes(30));
        assertThat(washer.reported().get("state").textValue()).isEqualTo("finished");
    }
}
