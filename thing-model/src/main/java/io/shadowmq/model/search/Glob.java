package io.shadowmq.model.search;

import org.jetbrains.annotations.NotNull;

/**
 * The globs of {@code like}: {@code *} is any run of characters (also none), {@code ?} exactly one character (a
 * code point), everything else itself; the glob must match the whole text. Linear backtracking over the last
 * {@code *}, so no pattern is slow (no regular expression is built from client text).
 */
final class Glob {

    private Glob() {}

    static boolean matches(@NotNull String glob, @NotNull String text) {
        int[] g = glob.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        int gi = 0;
        int ti = 0;
        int starAt = -1; // position in g just after the last '*' seen
        int starText = 0; // position in t that '*' is currently stretched to
        while (ti < t.length) {
            if (gi < g.length && g[gi] == '*') {
                starAt = ++gi;
                starText = ti;
            } else if (gi < g.length && (g[gi] == '?' || g[gi] == t[ti])) {
                gi++;
                ti++;
            } else if (starAt >= 0) {
                gi = starAt;
                ti = ++starText;
            } else {
                return false;
            }
        }
        while (gi < g.length && g[gi] == '*') {
            gi++;
        }
        return gi == g.length;
    }
}
