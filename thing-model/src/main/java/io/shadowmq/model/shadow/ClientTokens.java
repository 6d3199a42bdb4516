package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;

/**
 * The rule for client tokens: 1 to {@value #MAX_CODE_POINTS} printable characters. The token is echoed into
 * responses and log lines, so nothing invisible or line-breaking may pass.
 */
public final class ClientTokens {

    public static final int MAX_CODE_POINTS = 64;

    private ClientTokens() {}

    /** Why {@code token} is not a valid client token, or empty when it is. */
    public static @NotNull Optional<String> problem(@NotNull String token) {
        if (token.isEmpty()) {
            return Optional.of("expected 1 to " + MAX_CODE_POINTS + " printable characters, got an empty string");
        }
        int length = token.codePointCount(0, token.length());
        if (length > MAX_CODE_POINTS) {
            return Optional.of("expected 1 to " + MAX_CODE_POINTS + " printable characters, got " + length);
        }
        boolean printable = token.codePoints().allMatch(ClientTokens::isPrintable);
        if (!printable) {
            return Optional.of("expected 1 to " + MAX_CODE_POINTS
                    + " printable characters, got a control, format or unassigned character");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with the {@code clientToken} member of a request object, or empty when it is valid or absent,
     * e.g. {@code clientToken: expected a string of 1 to 64 printable characters, got number}.
     */
    public static @NotNull Optional<String> problemIn(@NotNull JsonNode request) {
        JsonNode token = request.get("clientToken");
        if (token == null) {
            return Optional.empty();
        }
        if (!token.isTextual()) {
            return Optional.of("clientToken: expected a string of 1 to " + MAX_CODE_POINTS
                    + " printable characters, got " + StateTrees.typeName(token));
        }
        return problem(token.textValue()).map(problem -> "clientToken: " + problem);
    }

    public static boolean isValid(@NotNull String token) {
        return problem(token).isEmpty();
    }

    private static boolean isPrintable(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
            case Character.PRIVATE_USE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
