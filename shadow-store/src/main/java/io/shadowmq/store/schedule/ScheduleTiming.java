package io.shadowmq.store.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule fires, in its time zone: at a wall-clock time on some days of the week in some months, or by a cron
 * expression (5 fields {@code min hour day-of-month month day-of-week}, or 6 with seconds first, as
 * {@code "0 30 6 * 11-3 MON-FRI"}).
 *
 * <p>Daylight saving follows {@link ZonedDateTime#of}: a time that does not exist on the spring-forward day (02:30
 * in Europe/Berlin) fires at the instant the gap shifts it to (03:30); a time that exists twice on the fall-back day
 * fires once, at the first (summer-time) instant.
 *
 * <pre>{@code
 * ScheduleTiming.weekly(ZoneId.of("Europe/Berlin"), LocalTime.of(6, 30), EnumSet.range(MONDAY, FRIDAY), EnumSet.allOf(Month.class))
 *         .next(Instant.now());
 * }</pre>
 */
public final class ScheduleTiming {

    private static final Pattern AT = Pattern.compile("^(\\d{2}):(\\d{2})$");
    private static final Pattern MONTH_RANGE = Pattern.compile("^(\\d{1,2})-(\\d{1,2})$");
    /** Enough days to find the next matching day whatever the filters (every filter is non-empty). */
    private static final int MAX_DAYS_AHEAD = 2 * 366;

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final ZoneId zone;
    private final @Nullable LocalTime at;
    private final Set<DayOfWeek> days;
    private final Set<Month> months;
    private final @Nullable String cron;
    private final @Nullable ExecutionTime execution;

    private ScheduleTiming(
            ZoneId zone,
            @Nullable LocalTime at,
            Set<DayOfWeek> days,
            Set<Month> months,
            @Nullable String cron,
            @Nullable ExecutionTime execution) {
        this.zone = zone;
        this.at = at;
        this.days = days;
        this.months = months;
        this.cron = cron;
        this.execution = execution;
    }

    /** At {@code at} on each of {@code days} in each of {@code months} (both non-empty). */
    public static @NotNull ScheduleTiming weekly(
            @NotNull ZoneId zone, @NotNull LocalTime at, @NotNull Set<DayOfWeek> days, @NotNull Set<Month> months) {
        if (days.isEmpty() || months.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one day and one month");
        }
        return new ScheduleTiming(zone, at.withSecond(0).withNano(0), Set.copyOf(days), Set.copyOf(months), null, null);
    }

    /** By the cron expression {@code cron}; 422 naming {@code cron} when it does not parse. */
    public static @NotNull Outcome<ScheduleTiming> cron(@NotNull ZoneId zone, @NotNull String cron) {
        String trimmed = cron.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            return invalid("cron: expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), "
                    + "got " + fields);
        }
        try {
            Cron parsed = (fields == 5 ? UNIX : WITH_SECONDS)
                    .parse(withMonthRangesUnwrapped(trimmed))
                    .validate();
            return Outcome.ok(
                    new ScheduleTiming(zone, null, Set.of(), Set.of(), trimmed, ExecutionTime.forCron(parsed)));
        } catch (IllegalArgumentException e) {
            return invalid("cron: " + e.getMessage());
        }
    }

    /**
     * {@code cron} with each numeric month range over the turn of the year ({@code 11-3}) written as a list
     * ({@code 11,12,1,2,3}): cron-utils reads such a range but skips the months after December.
     */
    static @NotNull String withMonthRangesUnwrapped(@NotNull String cron) {
        String[] fields = cron.split("\\s+");
        int month = fields.length - 2;
        StringBuilder unwrapped = new StringBuilder();
        for (String part : fields[month].split(",", -1)) {
            Matcher range = MONTH_RANGE.matcher(part);
            if (unwrapped.length() > 0) {
                unwrapped.append(',');
            }
            if (range.matches() && Integer.parseInt(range.group(1)) > Integer.parseInt(range.group(2))) {
                int from = Integer.parseInt(range.group(1));
                int to = Integer.parseInt(range.group(2));
                for (int m = from; m != to % 12 + 1; m = m % 12 + 1) {
                    unwrapped.append(m).append(m == to ? "" : ",");
                }
            } else {
                unwrapped.append(part);
            }
        }
        fields[month] = unwrapped.toString();
        return String.join(" ", fields);
    }

    /**
     * The timing a schedule's JSON describes ({@code timezone} with {@code at}/{@code days}/{@code months}, or with
     * {@code cron}); 422 naming the field for anything impossible.
     */
    public static @NotNull Outcome<ScheduleTiming> parse(@NotNull ObjectNode json) {
        JsonNode zoneNode = json.path("timezone");
        if (!zoneNode.isTextual()) {
            return invalid("timezone: required, a time zone name such as Europe/Berlin");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneNode.asText());
        } catch (DateTimeException e) {
            return invalid("timezone: unknown time zone '" + zoneNode.asText() + "'");
        }
        boolean hasCron = json.has("cron");
        if (hasCron && (json.has("at") || json.has("days") || json.has("months"))) {
            return invalid("cron: give either cron or at/days/months, not both");
        }
        if (hasCron) {
            JsonNode cron = json.get("cron");
            return cron.isTextual() ? cron(zone, cron.asText()) : invalid("cron: must be a string");
        }
        Outcome<LocalTime> at = parseAt(json.path("at"));
        if (at instanceof Outcome.Rejected<LocalTime> no) {
            return Outcome.rejected(no.rejection());
        }
        Outcome<Set<DayOfWeek>> days =
                optional(json, "days", EnumSet.allOf(DayOfWeek.class), ScheduleTiming::parseDays);
        if (days instanceof Outcome.Rejected<Set<DayOfWeek>> no) {
            return Outcome.rejected(no.rejection());
        }
        Outcome<Set<Month>> months = optional(json, "months", EnumSet.allOf(Month.class), ScheduleTiming::parseMonths);
        if (months instanceof Outcome.Rejected<Set<Month>> no) {
            return Outcome.rejected(no.rejection());
        }
        return Outcome.ok(weekly(zone, at.orElseThrow(), days.orElseThrow(), months.orElseThrow()));
    }

    /** The member {@code field} parsed, or {@code absent} when the JSON does not hold it. */
    private static <T> Outcome<T> optional(
            ObjectNode json, String field, T absent, Function<JsonNode, Outcome<T>> parser) {
        return json.has(field) ? parser.apply(json.get(field)) : Outcome.ok(absent);
    }

    private static Outcome<LocalTime> parseAt(JsonNode node) {
        if (node.isMissingNode()) {
            return invalid("at: required (HH:MM), or give cron instead");
        }
        Matcher matcher = node.isTextual() ? AT.matcher(node.asText()) : null;
        if (matcher == null || !matcher.matches()) {
            return invalid("at: must be a time HH:MM, was " + node);
        }
        int hour = Integer.parseInt(matcher.group(1));
        int minute = Integer.parseInt(matcher.group(2));
        if (hour > 23 || minute > 59) {
            return invalid("at: no such time of day " + node.asText() + " (00:00 .. 23:59)");
        }
        return Outcome.ok(LocalTime.of(hour, minute));
    }

    private static Outcome<Set<DayOfWeek>> parseDays(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return invalid("days: must be a non-empty array of MON, TUE, WED, THU, FRI, SAT, SUN");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < node.size(); i++) {
            Optional<DayOfWeek> day = dayOf(node.get(i).asText(""));
            if (!node.get(i).isTextual() || day.isEmpty()) {
                return invalid("days[" + i + "]: unknown day " + node.get(i) + ", expected MON .. SUN");
            }
            days.add(day.get());
        }
        return Outcome.ok(days);
    }

    private static Optional<DayOfWeek> dayOf(String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(text)) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }

    private static Outcome<Set<Month>> parseMonths(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return invalid("months: must be a non-empty array of month numbers 1 .. 12");
        }
        Set<Month> months = EnumSet.noneOf(Month.class);
        for (int i = 0; i < node.size(); i++) {
            JsonNode month = node.get(i);
            if (!month.isIntegralNumber() || month.asLong() < 1 || month.asLong() > 12) {
                return invalid("months[" + i + "]: unknown month " + month + ", expected 1 .. 12");
            }
            months.add(Month.of(month.asInt()));
        }
        return Outcome.ok(months);
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.modelViolation(message));
    }

    /** The first occurrence strictly after {@code after}; empty only for a cron expression that never fires again. */
    public @NotNull Optional<Instant> next(@NotNull Instant after) {
        ZonedDateTime from = after.atZone(zone);
        if (execution != null) {
            return execution.nextExecution(from).map(ZonedDateTime::toInstant);
        }
        LocalTime time = at;
        LocalDate date = from.toLocalDate();
        for (int i = 0; i <= MAX_DAYS_AHEAD; i++, date = date.plusDays(1)) {
            if (!days.contains(date.getDayOfWeek()) || !months.contains(date.getMonth())) {
                continue;
            }
            // ZonedDateTime.of: a time in a gap moves forward by the gap, one in an overlap takes the earlier offset.
            Instant candidate = ZonedDateTime.of(date, time, zone).toInstant();
            if (candidate.isAfter(after)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Writes this timing's members ({@code timezone}, and {@code at}/{@code days}/{@code months} or {@code cron}). */
    public void writeTo(@NotNull ObjectNode json) {
        json.put("timezone", zone.getId());
        if (cron != null) {
            json.put("cron", cron);
            return;
        }
        json.put("at", String.valueOf(at));
        var dayArray = json.putArray("days");
        for (DayOfWeek day : DayOfWeek.values()) {
            if (days.contains(day)) {
                dayArray.add(day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT));
            }
        }
        var monthArray = json.putArray("months");
        for (Month month : Month.values()) {
            if (months.contains(month)) {
                monthArray.add(month.getValue());
            }
        }
    }

    public @NotNull ZoneId zone() {
        return zone;
    }
}
