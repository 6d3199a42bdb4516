package io.shadowmq.model.search;

import io.shadowmq.model.search.Filter.And;
import io.shadowmq.model.search.Filter.Bool;
import io.shadowmq.model.search.Filter.Compare;
import io.shadowmq.model.search.Filter.Comparison;
import io.shadowmq.model.search.Filter.Exists;
import io.shadowmq.model.search.Filter.In;
import io.shadowmq.model.search.Filter.Like;
import io.shadowmq.model.search.Filter.Not;
import io.shadowmq.model.search.Filter.Num;
import io.shadowmq.model.search.Filter.Or;
import io.shadowmq.model.search.Filter.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Reading RQL filters: what each operator becomes, and the message and position of every kind of mistake. */
class RqlTest {

    @Test
    void readsTheDocumentedExample() {
        assertThat(Rql.parse("and(eq(type,\"car\"),lt(state.reported.fuel.level,20))"))
                .isEqualTo(new And(List.of(
                        new Compare(Comparison.EQ, "type", new Text("car")),
                        new Compare(Comparison.LT, "state.reported.fuel.level", new Num(20)))));
    }

    @Test
    void readsEveryOperator() {
        assertThat(Rql.parse("ne(connected,true)")).isEqualTo(new Compare(Comparison.NE, "connected", new Bool(true)));
        assertThat(Rql.parse("gt(a,1)")).isEqualTo(new Compare(Comparison.GT, "a", new Num(1)));
        assertThat(Rql.parse("ge(a,-1.5e2)")).isEqualTo(new Compare(Comparison.GE, "a", new Num(-150)));
        assertThat(Rql.parse("lt(a,\"m\")")).isEqualTo(new Compare(Comparison.LT, "a", new Text("m")));
        assertThat(Rql.parse("le(a,false)")).isEqualTo(new Compare(Comparison.LE, "a", new Bool(false)));
        assertThat(Rql.parse("in(state.reported.program,\"eco\",\"wool\",3)"))
                .isEqualTo(new In("state.reported.program", List.of(new Text("eco"), new Text("wool"), new Num(3))));
        assertThat(Rql.parse("like(thingId,\"car-*\")")).isEqualTo(new Like("thingId", "car-*"));
        assertThat(Rql.parse("exists(state.desired.cabin.heater.isOn)"))
                .isEqualTo(new Exists("state.desired.cabin.heater.isOn"));
        assertThat(Rql.parse("or(not(exists(a)))")).isEqualTo(new Or(List.of(new Not(new Exists("a")))));
    }

    @Test
    void allowsBlanksBetweenTokens() {
        assertThat(Rql.parse(" and ( eq ( type , \"car\" ) ,\n\tgt( state.reported.range ,\r 10 ) ) "))
                .isEqualTo(Rql.parse("and(eq(type,\"car\"),gt(state.reported.range,10))"));
    }

    @Test
    void readsStringEscapesAndKeepsEverythingElse() {
        assertThat(Rql.parse("eq(owner,\"a\\\"b\\\\c ,)(ü😀\")"))
                .isEqualTo(new Compare(Comparison.EQ, "owner", new Text("a\"b\\c ,)(ü😀")));
    }

    @Test
    void readsNumbersAsJsonWritesThem() {
        assertThat(Rql.parse("eq(a,0)")).isEqualTo(Rql.parse("eq(a,-0.0)"));
        assertThat(Rql.parse("eq(a,1764000000000)"))
                .isEqualTo(new Compare(Comparison.EQ, "a", new Num(1_764_000_000_000d)));
        assertThat(Rql.parse("eq(a,2.5E-3)")).isEqualTo(new Compare(Comparison.EQ, "a", new Num(0.0025)));
    }

    @Test
    void writesFiltersBackAsRqlItReads() {
        String text = "and(or(eq(type,\"car\"),in(state.reported.program,\"eco\",1.5,true)),"
                + "not(like(owner,\"a\\\"*\")),exists(x.y),le(state.reported.range,1.0E20))";

        Filter filter = Rql.parse(text);

        assertThat(filter.toRql()).isEqualTo(text);
        assertThat(Rql.parse(filter.toRql())).isEqualTo(filter);
    }

    @Test
    void acceptsThirtyTwoLevelsAndNoMore() {
        assertThat(Rql.parse("not(".repeat(31) + "exists(a)" + ")".repeat(31))).isInstanceOf(Not.class);

        RqlSyntaxException e = catchThrowableOfType(
                () -> Rql.parse("not(".repeat(32) + "exists(a)" + ")".repeat(32)), RqlSyntaxException.class);
        assertThat(e).hasMessage("filter: nested deeper than 32 levels at position 128");
        assertThat(e.position()).isEqualTo(128);
    }

    @Test
    void acceptsFourThousandNinetySixCharactersAndNoMore() {
        String padding = " ".repeat(4096 - "exists(a)".length());
        assertThat(Rql.parse("exists(a)" + padding)).isEqualTo(new Exists("a"));

        assertThatThrownBy(() -> Rql.parse("exists(a)" + padding + " "))
                .isInstanceOf(RqlSyntaxException.class)
                .hasMessage("filter: longer than 4096 characters at position 4096");
    }

    /** Each malformed filter, where reading it stops, and why. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                                    | 0  | expected an operator (eq, ne, gt, ge, lt, le, in, like, exists, and, or, not)
            `   `                                 | 3  | expected an operator (eq, ne, gt, ge, lt, le, in, like, exists, and, or, not)
            foo(a,1)                              | 0  | unknown operator 'foo'; operators are eq, ne, gt, ge, lt, le, in, like, exists, and, or, not
            EQ(a,1)                               | 0  | unknown operator 'EQ'; operators are eq, ne, gt, ge, lt, le, in, like, exists, and, or, not
            and(eq(a,1),bar(b))                   | 12 | unknown operator 'bar'; operators are eq, ne, gt, ge, lt, le, in, like, exists, and, or, not
            eq                                    | 2  | expected '(' after eq
            eq a,1)                               | 3  | expected '(' after eq
            eq(a,1                                | 6  | expected ')'
            and(eq(type,"car"),lt(state.reported.fuel.level,20) | 51 | expected ',' or ')'
            and(eq(a,1) eq(b,2))                  | 12 | expected ',' or ')'
            eq(a,1))                              | 7  | unexpected text after the filter
            eq(a,1) x                             | 8  | unexpected text after the filter
            eq(a)                                 | 4  | eq needs a path and a value
            eq(a,1,2)                             | 6  | eq takes a path and exactly one value
            like(a,"x","y")                       | 10 | like takes a path and exactly one value
            eq(a 1)                               | 5  | expected ','
            eq(,1)                                | 3  | expected a path (e.g. state.reported.fuel.level)
            eq("a",1)                             | 3  | expected a path (e.g. state.reported.fuel.level), not a value
            eq(5,1)                               | 3  | expected a path (e.g. state.reported.fuel.level), not a value
            eq(state.,1)                          | 9  | expected a name after '.' in the path
            eq(state..reported,1)                 | 9  | expected a name after '.' in the path
            eq(state.reported.1a,1)               | 18 | expected a name after '.' in the path
            eq(a,)                                | 5  | expected a value (a "string", a number, true or false)
            eq(a,tru)                             | 5  | expected a value (a "string", a number, true or false), found 'tru'
            eq(a,null)                            | 5  | expected a value (a "string", a number, true or false), found 'null'
            eq(a,b.c)                             | 5  | expected a value (a "string", a number, true or false), found 'b'
            eq(a,'x')                             | 5  | expected a value (a "string", a number, true or false)
            eq(a,01)                              | 5  | '01' is not a number
            eq(a,1.)                              | 5  | '1.' is not a number
            eq(a,.5)                              | 5  | expected a value (a "string", a number, true or false)
            eq(a,+5)                              | 5  | expected a value (a "string", a number, true or false)
            eq(a,1e)                              | 5  | '1e' is not a number
            eq(a,--1)                             | 5  | '--1' is not a number
            eq(a,1e999)                           | 5  | number 1e999 is out of range
            eq(a,"x)                              | 5  | string not closed with '"'
            eq(a,"x\\n")                          | 7  | a string may only escape \\" and \\\\
            eq(a,"x\\                             | 7  | a string may only escape \\" and \\\\
            like(a,5)                             | 7  | like needs a "glob" string
            in(a)                                 | 4  | in needs a path and at least one value
            in(a,)                                | 5  | expected a value (a "string", a number, true or false)
            in(a,1,)                              | 7  | expected a value (a "string", a number, true or false)
            in(a,1 2)                             | 7  | expected ',' or ')'
            exists()                              | 7  | expected a path (e.g. state.reported.fuel.level)
            exists(a,1)                           | 8  | exists takes only a path
            exists(a.)                            | 9  | expected a name after '.' in the path
            and()                                 | 4  | and needs at least one filter
            or( )                                 | 4  | or needs at least one filter
            and(eq(a,1),)                         | 12 | expected an operator (eq, ne, gt, ge, lt, le, in, like, exists, and, or, not)
            not()                                 | 4  | expected an operator (eq, ne, gt, ge, lt, le, in, like, exists, and, or, not)
            not(exists(a),exists(b))              | 13 | not takes exactly one filter
            and(eq(a,1)                           | 11 | expected ',' or ')'
            """)
    void reportsEveryMistakeWithItsPosition(String filter, int position, String problem) {
        String text = filter == null ? "" : filter;

        RqlSyntaxException e = catchThrowableOfType(() -> Rql.parse(text), RqlSyntaxException.class);

        assertThat(e).as(text).isNotNull();
        assertThat(e.getMessage()).isEqualTo("filter: " + problem + " at position " + position);
        assertThat(e.position()).isEqualTo(position);
    }
}
