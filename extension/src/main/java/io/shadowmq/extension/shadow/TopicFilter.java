package io.shadowmq.extension.shadow;

import org.jetbrains.annotations.NotNull;

/** MQTT topic-filter matching ({@code +} one level, {@code #} the rest), for the few places we must check it. */
public final class TopicFilter {

    private TopicFilter() {}

    public static boolean matches(@NotNull String filter, @NotNull String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
