package io.shadowmq.model.search;

import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a search filter written in RQL, the query language of Eclipse Ditto, over dotted paths:
 * {@code and(eq(type,"car"),lt(state.reported.fuel.level,20))}. Syntax only: whether the paths are searchable and
 * the values fit them is {@link SearchQuery#parse}'s job. The grammar, with blanks allowed between tokens:
 *
 * <pre>
 * filter  = op "(" args ")"
 * eq|ne|gt|ge|lt|le(path, value)   in(path, value, ...)   like(path, "glob")   exists(path)
 * and(filter, ...)   or(filter, ...)   not(filter)
 * path    = name ("." name)*        name = [A-Za-z_][A-Za-z0-9_]*
 * value   = "string" (escapes \" and \\) | number (JSON syntax) | true | false
 * </pre>
 *
 * <p>Every malformed input is an {@link RqlSyntaxException} naming what was expected and the 0-based position
 * where it was not found. Input is bounded ({@value #MAX_LENGTH} characters, {@value #MAX_DEPTH} levels), so
 * parsing a client's filter costs little and cannot exhaust the stack.
 */
public final class Rql {

    /** Longest filter accepted, in characters. */
    public static final int MAX_LENGTH = 4096;

    /** Deepest nesting of operators accepted ({@code not(not(...))} is two levels). */
    public static final int MAX_DEPTH = 32;

    private static final String OPERATORS = "eq, ne, gt, ge, lt, le, in, like, exists, and, or, not";
    private static final String VALUE = "a value (a \"string\", a number, true or false)";
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final String text;
    private int pos;

    private Rql(String text) {
        this.text = text;
    }

    /**
     * The filter {@code text} says.
     *
     * @throws RqlSyntaxException when it is not a well-formed filter, with the position of the first problem
     */
    public static @NotNull Filter parse(@NotNull String text) {
        if (text.length() > MAX_LENGTH) {
            throw new RqlSyntaxException("longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        Rql parser = new Rql(text);
        Filter filter = parser.filter(1);
        parser.skipBlanks();
        if (parser.pos < text.length()) {
            throw new RqlSyntaxException("unexpected text after the filter", parser.pos);
        }
        return filter;
    }

    private Filter filter(int depth) {
        skipBlanks();
        int start = pos;
        String name = word();
        if (name.isEmpty()) {
            throw fail("expected an operator (" + OPERATORS + ")", start);
        }
        if (depth > MAX_DEPTH) {
            throw fail("nested deeper than " + MAX_DEPTH + " levels", start);
        }
        switch (name) {
            case "eq":
            case "ne":
            case "gt":
            case "ge":
            case "lt":
            case "le":
            case "like":
                return comparison(name);
            case "in":
                return in();
            case "exists":
                return exists();
            case "and":
            case "or":
                return junction(name, depth);
            case "not":
                return not(depth);
            default:
                throw fail("unknown operator '" + name + "'; operators are " + OPERATORS, start);
        }
    }

    private Filter comparison(String op) {
        expectOpen(op);
        String path = path();
        skipBlanks();
        if (peek() == ')') {
            throw fail(op + " needs a path and a value", pos);
        }
        expect(',');
        skipBlanks();
        int valueAt = pos;
        Filter.Literal value = value();
        skipBlanks();
        if (peek() == ',') {
            throw fail(op + " takes a path and exactly one value", pos);
        }
        expect(')');
        if (op.equals("like")) {
            if (!(value instanceof Filter.Text pattern)) {
                throw fail("like needs a \"glob\" string", valueAt);
            }
            return new Filter.Like(path, pattern.value());
        }
        return new Filter.Compare(Filter.Comparison.valueOf(op.toUpperCase(Locale.ROOT)), path, value);
    }

    private Filter in() {
        expectOpen("in");
        String path = path();
        skipBlanks();
        if (peek() == ')') {
            throw fail("in needs a path and at least one value", pos);
        }
        expect(',');
        List<Filter.Literal> values = new ArrayList<>();
        do {
            values.add(value());
        } while (nextInList());
        return new Filter.In(path, values);
    }

    private Filter exists() {
        expectOpen("exists");
        String path = path();
        skipBlanks();
        if (peek() == ',') {
            throw fail("exists takes only a path", pos);
        }
        expect(')');
        return new Filter.Exists(path);
    }

    private Filter junction(String op, int depth) {
        expectOpen(op);
        skipBlanks();
        if (peek() == ')') {
            throw fail(op + " needs at least one filter", pos);
        }
        List<Filter> filters = new ArrayList<>();
        do {
            filters.add(filter(depth + 1));
        } while (nextInList());
        return op.equals("and") ? new Filter.And(filters) : new Filter.Or(filters);
    }

    private Filter not(int depth) {
        expectOpen("not");
        Filter filter = filter(depth + 1);
        skipBlanks();
        if (peek() == ',') {
            throw fail("not takes exactly one filter", pos);
        }
        expect(')');
        return new Filter.Not(filter);
    }

    /** After an element of a list: true after a ',', false after the closing ')'. */
    private boolean nextInList() {
        skipBlanks();
        char next = peek();
        if (next == ',' || next == ')') {
            pos++;
            return next == ',';
        }
        throw fail("expected ',' or ')'", pos);
    }

    private void expectOpen(String op) {
        skipBlanks();
        if (peek() != '(') {
            throw fail("expected '(' after " + op, pos);
        }
        pos++;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'", pos);
        }
        pos++;
    }

    private String path() {
        skipBlanks();
        int start = pos;
        if (!isNameStart(peek())) {
            char c = peek();
            throw fail(
                    c == '"' || c == '-' || isDigit(c)
                            ? "expected a path (e.g. state.reported.fuel.level), not a value"
                            : "expected a path (e.g. state.reported.fuel.level)",
                    pos);
        }
        while (true) {
            word();
            if (peek() != '.') {
                return text.substring(start, pos);
            }
            pos++;
            if (!isNameStart(peek())) {
                throw fail("expected a name after '.' in the path", pos);
            }
        }
    }

    private Filter.Literal value() {
        skipBlanks();
        int start = pos;
        char c = peek();
        if (c == '"') {
            return new Filter.Text(string());
        }
        if (c == '-' || isDigit(c)) {
            while (pos < text.length() && "0123456789+-.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String number = text.substring(start, pos);
            if (!JSON_NUMBER.matcher(number).matches()) {
                throw fail("'" + number + "' is not a number", start);
            }
            double value = Double.parseDouble(number);
            if (!Double.isFinite(value)) {
                throw fail("number " + number + " is out of range", start);
            }
            return new Filter.Num(value);
        }
        String word = word();
        if (word.equals("true") || word.equals("false")) {
            return new Filter.Bool(word.equals("true"));
        }
        if (!word.isEmpty()) {
            throw fail("expected " + VALUE + ", found '" + word + "'", start);
        }
        throw fail("expected " + VALUE, start);
    }

    /** A double-quoted string at {@code pos}, with {@code \"} and {@code \\} escapes. */
    private String string() {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return value.toString();
            }
            if (c == '\\') {
                char escaped = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
                if (escaped != '"' && escaped != '\\') {
                    throw fail("a string may only escape \\\" and \\\\", pos);
                }
                value.append(escaped);
                pos += 2;
            } else {
                value.append(c);
                pos++;
            }
        }
        throw fail("string not closed with '\"'", start);
    }

    /** A name ([A-Za-z_][A-Za-z0-9_]*) at {@code pos}, or "" when none starts there. */
    private String word() {
        int start = pos;
        if (isNameStart(peek())) {
            pos++;
            while (pos < text.length() && (isNameStart(text.charAt(pos)) || isDigit(text.charAt(pos)))) {
                pos++;
            }
        }
        return text.substring(start, pos);
    }

    private void skipBlanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** The character at {@code pos}; 0 at the end. */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static RqlSyntaxException fail(String problem, int position) {
        return new RqlSyntaxException(problem, position);
    }
}
