package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.sdk.CommandFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The devices as the platform sees them: what they report fits their model, and they act on deltas. */
class SimulatedDevicesTest {

    static List<SimulatedDevice> devices() {
        return List.of(
                new CarSimulator(),
                new SpeakerSimulator(),
                new FridgeSimulator(),
                new WasherSimulator(),
                new WasherSimulator(WasherCycle.start(WasherState.idle("cotton"), "eco")));
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
    void theCarLocksAndUnlocksAllDoorsByAction() {
        CarSimulator car = new CarSimulator();

        assertThat(car.begin("unlock", MissingNode.getInstance()).now().succeeded())
                .isTrue();
        boolean trunkLocked = car.reported().at("/doors/trunk/isLocked").booleanValue();
        car.begin("lock", MissingNode.getInstance());

        assertThat(trunkLocked).isFalse();
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
    void theWasherStartsAProgramAndItsCommandRunsWithProgressUntilDone() {
        // given
        WasherSimulator washer = new WasherSimulator();

        // when
        SimulatedCommand start = washer.begin("start", obj("{'program':'quick'}"));
        CommandRun justStarted = start.now();
        washer.advance(Duration.ofMinutes(12));
        CommandRun later = start.now();
        washer.advance(Duration.ofMinutes(18));

        // then
        assertThat(justStarted).isEqualTo(CommandRun.running(0));
        assertThat(later).isEqualTo(CommandRun.running(40));
        assertThat(start.now()).isEqualTo(CommandRun.succeeded(obj("{'minutes':30}")));
        assertThat(washer.reported()).isEqualTo(obj("{'state':'finished','program':'quick','remainingMinutes':0}"));
    }

    @Test
    void aStoppedProgramFailsItsStartAndAPausedOneHoldsItsProgress() {
        WasherSimulator washer = new WasherSimulator();
        SimulatedCommand start = washer.begin("start", obj("{'program':'wool'}"));
        washer.advance(Duration.ofMinutes(20));

        washer.begin("pause", MissingNode.getInstance());
        washer.advance(Duration.ofHours(1));
        CommandRun paused = start.now();
        washer.begin("stop", MissingNode.getInstance());

        assertThat(paused).isEqualTo(CommandRun.running(50));
        assertThat(start.now()).isEqualTo(CommandRun.failed("stopped"));
        assertThat(washer.reported().get("state").textValue()).isEqualTo("idle");
    }

    @Test
    void theCarRejectsTheHeaterBelowTenPercentFuelButTakesTheRest() {
        // given
        CarSimulator car = new CarSimulator(new CabinState(-2.0, -2.0, false, 21.0), 9.5);

        // when
        Map<String, String> refused = car.onDesired(obj("{'cabin':{'heater':{'isOn':true,'targetTemperature':23}}}"));

        // then
        assertThat(refused).containsExactly(Map.entry("cabin.heater.isOn", "fuel below 10 %"));
        assertThat(car.reported().at("/cabin/heater/isOn").booleanValue()).isFalse();
        assertThat(car.reported().at("/cabin/heater/targetTemperature").doubleValue())
                .isEqualTo(23);
        assertThatThrownBy(() -> car.begin("startClimatization", obj("{'targetTemperature':21,'minutes':10}")))
                .isInstanceOfSatisfying(
                        CommandFailedException.class,
                        failed -> assertThat(failed.reason()).isEqualTo("fuel below 10 %"));
    }

    @Test
    void theCarsClimatizationHeatsForItsMinutesThenSwitchesOff() {
        CarSimulator car = new CarSimulator();

        SimulatedCommand climatize = car.begin("startClimatization", obj("{'targetTemperature':20,'minutes':20}"));
        car.advance(Duration.ofMinutes(5));
        CommandRun quarter = climatize.now();
        boolean heating = car.reported().at("/cabin/heater/isOn").booleanValue();
        car.advance(Duration.ofMinutes(15));

        assertThat(quarter).isEqualTo(CommandRun.running(25));
        assertThat(heating).isTrue();
        assertThat(climatize.now().succeeded()).isTrue();
        assertThat(car.reported().at("/cabin/heater/isOn").booleanValue()).isFalse();
        assertThat(car.reported().at("/cabin/temperature").doubleValue()).isGreaterThan(15);
    }

    @Test
    void theFridgeSuperCoolsForTheHoursAskedAndTheSpeakerAnnounces() {
        FridgeSimulator fridge = new FridgeSimulator();
        SpeakerSimulator speaker = new SpeakerSimulator();

        assertThat(fridge.begin("superCool", obj("{'hours':2}")).now().succeeded())
                .isTrue();
        boolean coolingAtFirst = fridge.reported().at("/superCool/isOn").booleanValue();
        fridge.advance(Duration.ofHours(2));
        assertThat(speaker.begin("announce", obj("{'text':'Dinner!'}")).now().succeeded())
                .isTrue();

        assertThat(coolingAtFirst).isTrue();
        assertThat(fridge.reported().at("/superCool/isOn").booleanValue()).isFalse();
        assertThat(speaker.announcements()).containsExactly("Dinner!");
    }

    @Test
    void anActionADeviceDoesNotHaveFailsTheCommand() {
        assertThatThrownBy(() -> new SpeakerSimulator().begin("boil", MissingNode.getInstance()))
                .isInstanceOfSatisfying(
                        CommandFailedException.class,
                        failed -> assertThat(failed.reason()).isEqualTo("no handler for action boil"));
    }
}
