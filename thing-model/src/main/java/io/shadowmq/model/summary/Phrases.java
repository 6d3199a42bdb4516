package io.shadowmq.model.summary;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The words a summary needs that no model holds: unit names for the units of docs/thing-models.md, yes and no,
 * times and ages, presence, and the punctuation of each {@link Lang}. A unit that is not in the table is spoken as
 * its id.
 */
final class Phrases {

    /** Unit id to {singular, plural} per language. */
    private static final Map<Lang, Map<String, List<String>>> UNITS = Map.of(
            Lang.EN,
            Map.of(
                    "km", List.of("kilometre", "kilometres"),
                    "percent", List.of("percent", "percent"),
                    "celsius", List.of("degree Celsius", "degrees Celsius"),
                    "minute", List.of("minute", "minutes"),
                    "degree", List.of("degree", "degrees")),
            Lang.DE,
            Map.of(
                    "km", List.of("Kilometer", "Kilometer"),
                    "percent", List.of("Prozent", "Prozent"),
                    "celsius", List.of("Grad Celsius", "Grad Celsius"),
                    "minute", List.of("Minute", "Minuten"),
                    "degree", List.of("Grad", "Grad")),
            Lang.ZH,
            Map.of(
                    "km", List.of("公里", "公里"),
                    "percent", List.of("%", "%"),
                    "celsius", List.of("摄氏度", "摄氏度"),
                    "minute", List.of("分钟", "分钟"),
                    "degree", List.of("度", "度")));

    private Phrases() {}

    /** The unit's name for {@code value} (singular for exactly 1), or the unit id when the table has none. */
    static @NotNull String unit(@NotNull Lang lang, @NotNull String unit, @NotNull BigDecimal value) {
        List<String> names = UNITS.get(lang).get(unit);
        if (names == null) {
            return unit;
        }
        return value.abs().compareTo(BigDecimal.ONE) == 0 ? names.get(0) : names.get(1);
    }

    /** A number as spoken: at most one decimal, no trailing zeros, a decimal comma in German. */
    static @NotNull String number(@NotNull Lang lang, @NotNull BigDecimal value) {
        BigDecimal rounded = value.scale() > 1 ? value.setScale(1, RoundingMode.HALF_UP) : value;
        String text = rounded.stripTrailingZeros().toPlainString();
        return lang == Lang.DE ? text.replace('.', ',') : text;
    }

    /** A number with its unit: {@code 30 percent}, {@code 30%}. */
    static @NotNull String quantity(@NotNull Lang lang, @NotNull String number, @Nullable String unitName) {
        if (unitName == null) {
            return number;
        }
        return lang == Lang.ZH ? number + unitName : number + " " + unitName;
    }

    static @NotNull String yesNo(@NotNull Lang lang, boolean value) {
        return switch (lang) {
            case EN -> value ? "yes" : "no";
            case DE -> value ? "ja" : "nein";
            case ZH -> value ? "是" : "否";
        };
    }

    /** How a thing whose model names none is called: {@code the device}. */
    static @NotNull String device(@NotNull Lang lang) {
        return switch (lang) {
            case EN -> "the device";
            case DE -> "das Gerät";
            case ZH -> "设备";
        };
    }

    /** A generic sentence: {@code Volume: 30 percent.} */
    static @NotNull String titled(@NotNull Lang lang, @NotNull String title, @NotNull String value) {
        return lang == Lang.ZH ? title + "：" + value + "。" : title + ": " + value + ".";
    }

    /** Joins states of one part: {@code open and unlocked}. */
    static @NotNull String and(@NotNull Lang lang, @NotNull List<String> words) {
        return String.join(
                switch (lang) {
                    case EN -> " and ";
                    case DE -> " und ";
                    case ZH -> "、";
                },
                words);
    }

    /** Joins clauses into one sentence: {@code All doors are closed and locked; the rear left window is open.} */
    static @NotNull String clauses(@NotNull Lang lang, @NotNull List<String> clauses) {
        return lang == Lang.ZH ? String.join("；", clauses) + "。" : capitalized(lang, String.join("; ", clauses)) + ".";
    }

    /** Joins the sentences into the text. */
    static @NotNull String text(@NotNull Lang lang, @NotNull List<String> sentences) {
        return String.join(lang == Lang.ZH ? "" : " ", sentences);
    }

    /**
     * When the oldest spoken reading was taken and whether the thing is connected: {@code As of 07:02, 5 minutes
     * ago; the car is offline now.} Either part may be absent (no timestamps, presence unknown); the caller
     * asks only when one is there.
     */
    static @NotNull String freshness(
            @NotNull Lang lang,
            @Nullable ZonedDateTime readAt,
            @NotNull ZonedDateTime now,
            @NotNull String thing,
            @NotNull Presence presence) {
        String asOf = readAt == null ? null : asOf(lang, readAt, now);
        String connected = switch (presence) {
            case CONNECTED ->
                switch (lang) {
                    case EN -> thing + " is online";
                    case DE -> thing + " ist online";
                    case ZH -> thing + "在线";
                };
            case DISCONNECTED ->
                switch (lang) {
                    case EN -> thing + " is offline now";
                    case DE -> thing + " ist jetzt offline";
                    case ZH -> thing + "现在离线";
                };
            case UNKNOWN -> null;
        };
        List<String> parts = new ArrayList<>(2);
        if (asOf != null) {
            parts.add(asOf);
        }
        if (connected != null) {
            parts.add(connected);
        }
        return clauses(lang, parts);
    }

    private static String asOf(Lang lang, ZonedDateTime readAt, ZonedDateTime now) {
        long days = ChronoUnit.DAYS.between(readAt.toLocalDate(), now.toLocalDate());
        String pattern = days <= 0
                ? "HH:mm"
                : days < 7
                        ? "EEEE HH:mm"
                        : switch (lang) {
                            case EN -> "d MMMM HH:mm";
                            case DE -> "d. MMMM HH:mm";
                            case ZH -> "M月d日 HH:mm";
                        };
        String when = DateTimeFormatter.ofPattern(pattern, lang.locale()).format(readAt);
        String ago = ago(lang, Math.max(0, ChronoUnit.SECONDS.between(readAt, now)));
        return switch (lang) {
            case EN -> "as of " + when + ", " + ago;
            case DE -> "Stand " + when + ", " + ago;
            case ZH -> "数据截至" + when + "，" + ago;
        };
    }

    /** {@code just now}, {@code 5 minutes ago}, {@code 3 hours ago}, {@code 2 days ago}. */
    static @NotNull String ago(@NotNull Lang lang, long seconds) {
        if (seconds < 60) {
            return switch (lang) {
                case EN -> "just now";
                case DE -> "gerade eben";
                case ZH -> "刚刚";
            };
        }
        long count;
        int unit; // 0 minutes, 1 hours, 2 days
        if (seconds < 3600) {
            count = seconds / 60;
            unit = 0;
        } else if (seconds < 86_400) {
            count = seconds / 3600;
            unit = 1;
        } else {
            count = seconds / 86_400;
            unit = 2;
        }
        boolean one = count == 1;
        return switch (lang) {
            case EN ->
                count + " "
                        + List.of(one ? "minute" : "minutes", one ? "hour" : "hours", one ? "day" : "days")
                                .get(unit) + " ago";
            case DE ->
                "vor " + count + " "
                        + List.of(one ? "Minute" : "Minuten", one ? "Stunde" : "Stunden", one ? "Tag" : "Tagen")
                                .get(unit);
            case ZH -> count + List.of("分钟", "小时", "天").get(unit) + "前";
        };
    }

    /** The first letter upper case (German nouns already are; Chinese has no case). */
    static @NotNull String capitalized(@NotNull Lang lang, @NotNull String text) {
        if (text.isEmpty() || lang == Lang.ZH) {
            return text;
        }
        int first = text.codePointAt(0);
        return new StringBuilder()
                .appendCodePoint(Character.toUpperCase(first))
                .append(text, Character.charCount(first), text.length())
                .toString();
    }
}
