package io.shadowmq.store.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** When schedules fire: wall-clock times in a zone, day and month filters, cron, daylight saving, bad input. */
class ScheduleTimingTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }

    private static ScheduleTiming daily(String at) {
        return ScheduleTiming.weekly(
                BERLIN, LocalTime.parse(at), EnumSet.allOf(DayOfWeek.class), EnumSet.allOf(Month.class));
    }

    private static ScheduleTiming parsed(String json) {
        return ScheduleTiming.parse(object(json)).orElseThrow();
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) SafeJson.read(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String refusal(String json) {
        Outcome<ScheduleTiming> outcome = ScheduleTiming.parse(object(json));
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        Rejection rejection = ((Outcome.Rejected<ScheduleTiming>) outcome).rejection();
        assertThat(rejection.code()).isEqualTo(422);
        return rejection.message();
    }

    @Test
    void theNextOccurrenceIsTheWallClockTimeInTheZoneStrictlyAfter() {
        ScheduleTiming timing = daily("06:30");

        assertThat(timing.next(berlin("2026-12-02T06:00"))).contains(berlin("2026-12-02T06:30"));
        // exactly at an occurrence: the next one is tomorrow's
        assertThat(timing.next(berlin("2026-12-02T06:30"))).contains(berlin("2026-12-03T06:30"));
        // 06:30 in Berlin in winter is 05:30 UTC
        assertThat(timing.next(berlin("2026-12-02T07:00"))).contains(Instant.parse("2026-12-03T05:30:00Z"));
    }

    @Test
    void aTimeThatDoesNotExistOnTheSpringForwardDayFiresAtTheShiftedInstant() {
        // 29 March 2026: clocks go from 02:00 to 03:00 in Berlin; 02:30 does not exist
        ScheduleTiming timing = daily("02:30");

        Instant onTheDay = timing.next(berlin("2026-03-29T00:00")).orElseThrow();

        assertThat(onTheDay).isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
        assertThat(onTheDay.atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(3, 30));
        assertThat(timing.next(onTheDay)).contains(berlin("2026-03-30T02:30"));
        assertThat(timing.next(berlin("2026-03-28T03:00"))).contains(onTheDay);
    }

    @Test
    void aTimeThatExistsTwiceOnTheFallBackDayFiresOnceAtTheFirst() {
        // 25 October 2026: clocks go from 03:00 back to 02:00 in Berlin; 02:30 happens twice
        ScheduleTiming timing = daily("02:30");

        Instant first = timing.next(berlin("2026-10-25T00:00")).orElseThrow();

        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST
        // the second 02:30 (CET, 01:30 UTC) is not an occurrence: the next is the day after
        assertThat(timing.next(first)).contains(Instant.parse("2026-10-26T01:30:00Z"));
        assertThat(timing.next(Instant.parse("2026-10-25T01:00:00Z"))).contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void anOrdinaryTimeKeepsItsWallClockAcrossTheTransitions() {
        ScheduleTiming timing = daily("06:30");

        assertThat(timing.next(berlin("2026-03-28T07:00"))).contains(Instant.parse("2026-03-29T04:30:00Z"));
        assertThat(timing.next(berlin("2026-10-24T07:00"))).contains(Instant.parse("2026-10-25T05:30:00Z"));
    }

    @Test
    void daysAndMonthsFilterTheOccurrences() {
        ScheduleTiming winterWorkdays = parsed(
                "{'timezone':'Europe/Berlin','at':'06:30','days':['MON','TUE','WED','THU','FRI'],'months':[11,12,1,2,3]}");

        // Friday 4 Dec 2026 07:00 -> Monday 7 Dec 06:30
        assertThat(winterWorkdays.next(berlin("2026-12-04T07:00"))).contains(berlin("2026-12-07T06:30"));
        // Tuesday 31 March 2026 07:00 -> the next workday in November: Monday 2 Nov 2026
        assertThat(winterWorkdays.next(berlin("2026-03-31T07:00"))).contains(berlin("2026-11-02T06:30"));
        // lower case days are understood
        assertThat(parsed("{'timezone':'UTC','at':'12:00','days':['sun']}").next(Instant.parse("2026-12-02T00:00:00Z")))
                .contains(Instant.parse("2026-12-06T12:00:00Z"));
    }

    @Test
    void theStructuredFormReadsBackAsWritten() {
        ObjectNode json = SafeJson.object();
        parsed("{'timezone':'Europe/Berlin','at':'06:30','days':['FRI','MON'],'months':[12,1]}")
                .writeTo(json);

        assertThat(json.toString())
                .isEqualTo("{\"timezone\":\"Europe/Berlin\",\"at\":\"06:30\",\"days\":[\"MON\",\"FRI\"],"
                        + "\"months\":[1,12]}");
        assertThat(parsed(json.toString()).next(berlin("2026-12-02T00:00"))).contains(berlin("2026-12-04T06:30"));
    }

    @Test
    void cronExpressionsWithAndWithoutSecondsFireInTheZone() {
        ScheduleTiming sixFields = parsed("{'timezone':'Europe/Berlin','cron':'0 30 6 * 11-12 MON-FRI'}");
        ScheduleTiming fiveFields = parsed("{'timezone':'Europe/Berlin','cron':'30 6 * * MON-FRI'}");

        assertThat(sixFields.next(berlin("2026-12-04T07:00"))).contains(berlin("2026-12-07T06:30"));
        assertThat(fiveFields.next(berlin("2026-12-04T07:00"))).contains(berlin("2026-12-07T06:30"));
        assertThat(fiveFields.next(berlin("2026-03-27T07:00"))).contains(Instant.parse("2026-03-30T04:30:00Z"));
        // a month range over the turn of the year
        assertThat(ScheduleTiming.withMonthRangesUnwrapped("0 30 6 * 11-3,6 MON-FRI"))
                .isEqualTo("0 30 6 * 11,12,1,2,3,6 MON-FRI");
        ScheduleTiming winter = parsed("{'timezone':'Europe/Berlin','cron':'0 30 6 * 11-3 MON-FRI'}");
        assertThat(winter.next(berlin("2026-03-31T07:00"))).contains(berlin("2026-11-02T06:30"));
        assertThat(winter.next(berlin("2026-12-31T07:00"))).contains(berlin("2027-01-01T06:30"));
    }

    @Test
    void impossibleTimingsAre422NamingTheField() {
        assertThat(refusal("{'timezone':'Europe/Berlin','at':'25:00'}")).startsWith("at: no such time of day 25:00");
        assertThat(refusal("{'timezone':'Europe/Berlin','at':'06:60'}")).startsWith("at:");
        assertThat(refusal("{'timezone':'Europe/Berlin','at':'6.30'}")).startsWith("at: must be a time HH:MM");
        assertThat(refusal("{'timezone':'Europe/Berlin'}")).startsWith("at: required");
        assertThat(refusal("{'timezone':'Mars/Olympus','at':'06:30'}"))
                .isEqualTo("timezone: unknown time zone 'Mars/Olympus'");
        assertThat(refusal("{'at':'06:30'}")).startsWith("timezone: required");
        assertThat(refusal("{'timezone':'UTC','at':'06:30','days':['MON','FUN']}"))
                .startsWith("days[1]: unknown day \"FUN\"");
        assertThat(refusal("{'timezone':'UTC','at':'06:30','days':[]}")).startsWith("days:");
        assertThat(refusal("{'timezone':'UTC','at':'06:30','months':[1,13]}"))
                .startsWith("months[1]: unknown month 13");
        assertThat(refusal("{'timezone':'UTC','at':'06:30','cron':'0 30 6 * * *'}"))
                .startsWith("cron: give either");
        assertThat(refusal("{'timezone':'UTC','cron':'0 30 6'}")).startsWith("cron: expected 5 fields");
        assertThat(refusal("{'timezone':'UTC','cron':'0 70 6 * * *'}")).startsWith("cron:");
    }

    @Test
    void theScriptsGetTheirArgumentsInTheirOrder() {
        ScriptSignature claim = ScriptSignature.of(ScheduleCalls.Claim.SCRIPT);
        claim.assertProducedBy(new ScheduleCalls.Claim("smq:sched:{s1}", 1_000), false);
        claim.assertReadByCode();
        ScriptSignature record = ScriptSignature.of(ScheduleCalls.Record.SCRIPT);
        record.assertProducedBy(new ScheduleCalls.Record("smq:sched:{s1}", "smq:sched:{s1}:runs", "{}", 100), false);
        record.assertReadByCode();
    }

    @Test
    void theZoneIsTheSchedules() {
        assertThat(daily("06:30").zone()).isEqualTo(BERLIN);
        assertThat(ZonedDateTime.ofInstant(daily("06:30").next(Instant.EPOCH).orElseThrow(), BERLIN)
                        .toLocalTime())
                .isEqualTo(LocalTime.of(6, 30));
    }
}
