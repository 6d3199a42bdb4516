package io.shadowmq.model.summary;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The languages a summary is spoken in: the tag a caller asks for ({@code lang}) and the locale behind it. */
public enum Lang {
    EN("en", Locale.ENGLISH),
    DE("de", Locale.GERMAN),
    ZH("zh", Locale.CHINESE);

    /** The tags, for messages: {@code "en, de, zh"}. */
    public static final String SUPPORTED =
            Arrays.stream(values()).map(Lang::tag).collect(Collectors.joining(", "));

    private final String tag;
    private final Locale locale;

    Lang(String tag, Locale locale) {
        this.tag = tag;
        this.locale = locale;
    }

    /** The tag as callers write it and model files key their words by, e.g. {@code "de"}. */
    public @NotNull String tag() {
        return tag;
    }

    @NotNull
    Locale locale() {
        return locale;
    }

    /** The language with this tag (exactly, lower case), if it is supported. */
    public static @NotNull Optional<Lang> of(@NotNull String tag) {
        return Arrays.stream(values()).filter(lang -> lang.tag.equals(tag)).findFirst();
    }
}
