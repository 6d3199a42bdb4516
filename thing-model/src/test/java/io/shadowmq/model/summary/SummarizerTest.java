package io.shadowmq.model.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModelParser;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummarizerTest {

    /** Wednesday 2 December 2026, 07:07 UTC. */
    private static final Instant NOW = Instant.parse("2026-12-02T07:07:00Z");

    private static final String CAR = """
            {"range":312,"fuel":{"level":61.93},
             "doors":{"frontLeft":{"isOpen":false,"isLocked":true},"frontRight":{"isOpen":false,"isLocked":true},
                      "rearLeft":{"isOpen":false,"isLocked":true},"rearRight":{"isOpen":false,"isLocked":true},
                      "trunk":{"isOpen":false,"isLocked":true}},
             "windows":{"frontLeft":{"isOpen":false},"frontRight":{"isOpen":false},"rearLeft":{"isOpen":true},
                        "rearRight":{"isOpen":false}},
             "cabin":{"temperature":4.5,"heater":{"isOn":false,"targetTemperature":21}},
             "location":{"latitude":52.52,"longitude":13.405}}
            """;

    private static final ThingModels MODELS = ThingModels.bundled();

    @Test
    void theCarInEnglish() {
        Summary summary = summarize("car", CAR, Duration.ofMinutes(5), Presence.DISCONNECTED, "en", "UTC");
        assertEquals(
                "Your car can drive 312 more kilometres. The tank is 61.9 percent full. All doors are closed and locked;"
                        + " the rear left window is open. It is 4.5 degrees Celsius in the car. The heater is off. The"
                        + " heater aims for 21 degrees Celsius. As of 07:02, 5 minutes ago; the car is offline now.",
                summary.text());
        Fact range = summary.facts().get(0);
        assertEquals(new Fact("range", SafeJson.object().numberNode(312), "km", 300L), range);
        assertEquals(
                "{\"path\":\"range\",\"value\":312,\"unit\":\"km\",\"age\":300}", SafeJson.writeString(range.toJson()));
        assertTrue(summary.facts().stream().noneMatch(fact -> fact.path().startsWith("location")));
        assertTrue(summary.facts().stream().anyMatch(fact -> fact.path().equals("windows.rearLeft.isOpen")));
    }

    @Test
    void theCarInGermanAndChinese() {
        assertEquals(
                "Dein Auto kann noch 312 Kilometer fahren. Der Tank ist zu 61,9 Prozent voll. Alle Türen sind zu und"
                        + " verriegelt; das Fenster hinten links ist offen. Im Auto hat es 4,5 Grad Celsius. Die Heizung"
                        + " ist aus. Die Heizung zielt auf 21 Grad Celsius. Stand 08:02, vor 5 Minuten; das Auto ist"
                        + " jetzt offline.",
                summarize("car", CAR, Duration.ofMinutes(5), Presence.DISCONNECTED, "de", "Europe/Berlin")
                        .text());
        assertEquals(
                "你的车还能行驶312公里。油箱还剩61.9%。所有车门都已关闭并上锁；左后车窗开着。车内温度为4.5摄氏度。暖风关着。" + "暖风目标温度为21摄氏度。数据截至15:02，5分钟前；汽车现在离线。",
                summarize("car", CAR, Duration.ofMinutes(5), Presence.DISCONNECTED, "zh", "Asia/Shanghai")
                        .text());
    }

    @Test
    void aStaleReadingSaysSoWithTheDayAndTheAge() {
        Summary summary = summarize("speaker", "{\"volume\":30}", Duration.ofDays(2), Presence.CONNECTED, "en", "UTC");
        assertEquals(
                "The volume is at 30 percent. As of Monday 07:07, 2 days ago; the speaker is online.", summary.text());
        assertEquals(172_800L, summary.facts().get(0).age());
        assertEquals(
                "Die Lautstärke steht auf 30 Prozent. Stand Montag 08:07, vor 2 Tagen; der Lautsprecher ist online.",
                summarize("speaker", "{\"volume\":30}", Duration.ofDays(2), Presence.CONNECTED, "de", "Europe/Berlin")
                        .text());
        assertEquals(
                "音量为30%。数据截至星期一 15:07，2天前；音箱在线。",
                summarize("speaker", "{\"volume\":30}", Duration.ofDays(2), Presence.CONNECTED, "zh", "Asia/Shanghai")
                        .text());
        assertTrue(summarize("speaker", "{\"volume\":30}", Duration.ofDays(9), Presence.UNKNOWN, "en", "UTC")
                .text()
                .endsWith("As of 23 November 07:07, 9 days ago."));
    }

    @ParameterizedTest
    @EnumSource(Lang.class)
    void everyShippedModelSpeaksEveryLanguage(Lang lang) {
        Map<String, String> states = Map.of(
                "car",
                CAR,
                "speaker",
                "{\"volume\":1,\"isMuted\":true}",
                "fridge",
                "{\"temperature\":4.2,\"targetTemperature\":4,\"door\":{\"isOpen\":true},"
                        + "\"superCool\":{\"isOn\":false}}",
                "washer",
                "{\"state\":\"running\",\"program\":\"wool\",\"remainingMinutes\":45}");
        Map<String, List<String>> expected = Map.of(
                "speaker",
                List.of(
                        "The volume is at 1 percent. The speaker is muted. As of 07:06, 1 minute ago; the speaker is"
                                + " online.",
                        "Die Lautstärke steht auf 1 Prozent. Der Lautsprecher ist stumm. Stand 07:06, vor 1 Minute;"
                                + " der Lautsprecher ist online.",
                        "音量为1%。音箱已静音。数据截至07:06，1分钟前；音箱在线。"),
                "fridge",
                List.of(
                        "It is 4.2 degrees Celsius in the fridge. The fridge is set to 4 degrees Celsius. The fridge"
                                + " door is open. Super-cool is off. As of 07:06, 1 minute ago; the fridge is online.",
                        "Im Kühlschrank hat es 4,2 Grad Celsius. Der Kühlschrank ist auf 4 Grad Celsius eingestellt."
                                + " Die Kühlschranktür ist offen. Super-Kühlen ist aus. Stand 07:06, vor 1 Minute;"
                                + " der Kühlschrank ist online.",
                        "冰箱内温度为4.2摄氏度。冰箱设定为4摄氏度。冰箱门开着。速冷已关闭。数据截至07:06，1分钟前；冰箱在线。"),
                "washer",
                List.of(
                        "The washer is running. The program is wool. 45 minutes to go. As of 07:06, 1 minute ago; the"
                                + " washer is online.",
                        "Die Waschmaschine ist in Betrieb. Das Programm ist Wolle. Noch 45 Minuten. Stand 07:06, vor 1"
                                + " Minute; die Waschmaschine ist online.",
                        "洗衣机正在运行。程序为羊毛。还剩45分钟。数据截至07:06，1分钟前；洗衣机在线。"));
        for (String type : List.of("car", "speaker", "fridge", "washer")) {
            Summary summary =
                    summarize(type, states.get(type), Duration.ofMinutes(1), Presence.CONNECTED, lang.tag(), "UTC");
            assertEquals(lang, summary.lang());
            assertFalse(summary.text().contains("{"), summary.text());
            assertFalse(summary.facts().isEmpty());
            summary.facts().forEach(fact -> assertEquals(60L, fact.age(), fact.path()));
            if (expected.containsKey(type)) {
                assertEquals(expected.get(type).get(lang.ordinal()), summary.text());
            }
        }
    }

    @Test
    void aModelWithoutTemplatesGetsAGenericSentenceFromTitlesUnitsAndValues() {
        ThingModel lamp = ThingModelParser.parse("lamp.json", """
                {"@context":"https://www.w3.org/2022/wot/td/v1.1","@type":"tm:ThingModel","title":"Lamp",
                 "properties":{
                   "brightness":{"title":"Brightness","titles":{"de":"Helligkeit"},"type":"integer","unit":"percent",
                                 "minimum":0,"maximum":100},
                   "isOn":{"title":"Switched on","type":"boolean"},
                   "mode":{"title":"Mode","type":"string","enum":["warm","cold"]},
                   "power":{"title":"Power","type":"number","unit":"watt","minimum":0,"maximum":100}}}
                """.getBytes(StandardCharsets.UTF_8));
        String state = "{\"brightness\":80,\"isOn\":true,\"mode\":\"warm\",\"power\":7.25}";
        assertEquals(
                "Brightness: 80 percent. Switched on: yes. Mode: warm. Power: 7.3 watt. As of 07:06, 1 minute ago;"
                        + " the device is offline now.",
                summarize(lamp, state, Duration.ofMinutes(1), Presence.DISCONNECTED, "en")
                        .text());
        assertEquals(
                "Helligkeit: 80 Prozent. Switched on: ja. Mode: warm. Power: 7,3 watt. Stand 07:06, vor 1 Minute;"
                        + " das Gerät ist jetzt offline.",
                summarize(lamp, state, Duration.ofMinutes(1), Presence.DISCONNECTED, "de")
                        .text());
        assertEquals(
                "Brightness：80%。Switched on：是。Mode：warm。Power：7.3watt。数据截至07:06，1分钟前；设备现在离线。",
                summarize(lamp, state, Duration.ofMinutes(1), Presence.DISCONNECTED, "zh")
                        .text());
    }

    @Test
    void aPathTheCallerMayNotReadGetsNoFactAndNoWord() {
        ReadFilter noRange = path -> !path.equals("range");
        Summary withoutRange = carFilteredBy(noRange, Presence.UNKNOWN);
        assertFalse(withoutRange.text().contains("312"), withoutRange.text());
        assertFalse(withoutRange.text().contains("kilometre"), withoutRange.text());
        assertTrue(withoutRange.facts().stream().noneMatch(fact -> fact.path().equals("range")));

        // Not allowed to read the rear left window: nothing about it, and no "all windows" either.
        ReadFilter noRearLeftWindow = path -> !path.startsWith("windows.rearLeft");
        Summary withoutWindow = carFilteredBy(noRearLeftWindow, Presence.UNKNOWN);
        assertFalse(withoutWindow.text().contains("window"), withoutWindow.text());
        assertTrue(withoutWindow.text().contains("All doors are closed and locked."), withoutWindow.text());
        assertTrue(withoutWindow.facts().stream().noneMatch(fact -> fact.path().startsWith("windows")));

        Summary nothing = carFilteredBy(path -> false, Presence.DISCONNECTED);
        assertEquals("The car is offline now.", nothing.text());
        assertTrue(nothing.facts().isEmpty());
    }

    @Test
    void aDoorThatIsOpenAndUnlockedIsNamedWithBothStates() {
        String state = CAR.replace(
                        "\"frontLeft\":{\"isOpen\":false,\"isLocked\":true}",
                        "\"frontLeft\":{\"isOpen\":true,\"isLocked\":false}")
                .replace("\"rearLeft\":{\"isOpen\":true}", "\"rearLeft\":{\"isOpen\":false}");
        String text = summarize("car", state, Duration.ZERO, Presence.CONNECTED, "en", "UTC")
                .text();
        assertTrue(text.contains("The front left door is open and unlocked; all windows are closed."), text);
        assertTrue(text.endsWith("As of 07:07, just now; the car is online."), text);
    }

    @Test
    void aReadingWithoutTimestampsSaysNoTime() {
        Summary summary = Summarizer.summarize(
                ThingId.of("speaker-1"),
                MODELS.get("speaker").orElseThrow(),
                state("{\"volume\":30}"),
                SafeJson.object(),
                Presence.UNKNOWN,
                request("en", "UTC"),
                ReadFilter.ALL,
                NOW);
        assertEquals("The volume is at 30 percent.", summary.text());
        assertEquals(null, summary.facts().get(0).age());
    }

    private static Summary carFilteredBy(ReadFilter filter, Presence presence) {
        return Summarizer.summarize(
                ThingId.of("car-1"),
                MODELS.get("car").orElseThrow(),
                state(CAR),
                metadata(state(CAR), NOW.minus(Duration.ofMinutes(5))),
                presence,
                request("en", "UTC"),
                filter,
                NOW);
    }

    private static Summary summarize(
            String type, String reported, Duration age, Presence presence, String lang, String zone) {
        return summarize(MODELS.get(type).orElseThrow(), reported, age, presence, lang, zone);
    }

    private static Summary summarize(ThingModel model, String reported, Duration age, Presence presence, String lang) {
        return summarize(model, reported, age, presence, lang, "UTC");
    }

    private static Summary summarize(
            ThingModel model, String reported, Duration age, Presence presence, String lang, String zone) {
        return Summarizer.summarize(
                ThingId.of(model.type() + "-1"),
                model,
                state(reported),
                metadata(state(reported), NOW.minus(age)),
                presence,
                request(lang, zone),
                ReadFilter.ALL,
                NOW);
    }

    static SummaryRequest request(String lang, String zone) {
        return SummaryRequest.of(lang, zone).orElseThrow();
    }

    static ObjectNode state(String json) {
        try {
            return (ObjectNode) SafeJson.read(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Metadata as the store keeps it: {"timestamp":ms} in place of every leaf. */
    static ObjectNode metadata(JsonNode state, Instant at) {
        ObjectNode metadata = SafeJson.object();
        Iterator<Map.Entry<String, JsonNode>> members = state.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            metadata.set(
                    member.getKey(),
                    member.getValue().isObject()
                            ? metadata(member.getValue(), at)
                            : SafeJson.object().put("timestamp", at.toEpochMilli()));
        }
        return metadata;
    }

    @Test
    void requestsNameTheFieldThatIsWrong() {
        assertEquals(
                "lang: 'fr' is not supported; use one of en, de, zh",
                ((io.shadowmq.model.shadow.Outcome.Rejected<SummaryRequest>) SummaryRequest.of("fr", null))
                        .rejection()
                        .message());
        assertEquals(
                400,
                ((io.shadowmq.model.shadow.Outcome.Rejected<SummaryRequest>) SummaryRequest.of("en", "Mars/Olympus"))
                        .rejection()
                        .code());
        assertTrue(((io.shadowmq.model.shadow.Outcome.Rejected<SummaryRequest>) SummaryRequest.of("en", "Mars/Olympus"))
                .rejection()
                .message()
                .startsWith("timezone: 'Mars/Olympus'"));
        SummaryRequest parsed = SummaryRequest.parse(
                        "{\"lang\":\"de\",\"timezone\":\"Europe/Berlin\",\"clientToken\":\"req-1\"}"
                                .getBytes(StandardCharsets.UTF_8))
                .orElseThrow();
        assertEquals(new SummaryRequest(Lang.DE, ZoneId.of("Europe/Berlin"), "req-1"), parsed);
        assertEquals(Lang.EN, SummaryRequest.parse(new byte[0]).orElseThrow().lang());
        assertFalse(SummaryRequest.parse("{\"lang\":7}".getBytes(StandardCharsets.UTF_8))
                .isOk());
        assertFalse(SummaryRequest.parse("{\"state\":{}}".getBytes(StandardCharsets.UTF_8))
                .isOk());
        assertFalse(SummaryRequest.parse("{\"clientToken\":\"\"}".getBytes(StandardCharsets.UTF_8))
                .isOk());
    }
}
