package io.shadowmq.model.search;

import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a filter into its index plan ({@link Filter#plan}), following the rules of docs/search.md: what the Redis
 * index can answer becomes a lookup, everything else {@code all} (no restriction), so the plan accepts every thing
 * the filter matches and maybe more. {@code and} drops {@code all} children, {@code or} with one becomes
 * {@code all}.
 */
final class Planner {

    static final String ALL = "all";
    static final String AND = "and";
    static final String OR = "or";
    static final String NUM = "num";
    static final String VAL = "val";
    static final String HAS = "has";
    static final String ID = "id";

    static final String MINUS_INFINITY = "-inf";
    static final String PLUS_INFINITY = "+inf";

    /** Larger whole numbers are written as Java writes doubles ({@code 1.0E15}), which Redis reads too. */
    private static final double PLAIN_INTEGER_LIMIT = 1e15;

    private Planner() {}

    static @NotNull List<String> plan(@NotNull Filter filter) {
        return List.copyOf(planOf(filter));
    }

    private static List<String> planOf(Filter filter) {
        if (filter instanceof Filter.Compare compare) {
            return compare(compare.op(), compare.path(), compare.value());
        }
        if (filter instanceof Filter.In in) {
            List<List<String>> children = new ArrayList<>();
            in.values().forEach(value -> children.add(compare(Filter.Comparison.EQ, in.path(), value)));
            return or(children);
        }
        if (filter instanceof Filter.Exists exists) {
            return exists(exists.path(), exists.kinds());
        }
        if (filter instanceof Filter.And and) {
            return and(and.filters().stream().map(Planner::planOf).toList());
        }
        if (filter instanceof Filter.Or or) {
            return or(or.filters().stream().map(Planner::planOf).toList());
        }
        // like and not: the index has nothing to narrow them by.
        return List.of(ALL);
    }

    private static List<String> compare(Filter.Comparison op, String path, Filter.Literal value) {
        if (path.equals(ThingView.THING_ID)) {
            return op == Filter.Comparison.EQ && value instanceof Filter.Text text
                    ? List.of(ID, text.value())
                    : List.of(ALL);
        }
        if (!isIndexed(path) || op == Filter.Comparison.NE) {
            return List.of(ALL);
        }
        if (value instanceof Filter.Num num) {
            String number = number(num.value());
            switch (op) {
                case EQ:
                    return List.of(NUM, path, number, number);
                case GT:
                    return List.of(NUM, path, "(" + number, PLUS_INFINITY);
                case GE:
                    return List.of(NUM, path, number, PLUS_INFINITY);
                case LT:
                    return List.of(NUM, path, MINUS_INFINITY, "(" + number);
                default:
                    return List.of(NUM, path, MINUS_INFINITY, number);
            }
        }
        if (op != Filter.Comparison.EQ) {
            return List.of(ALL);
        }
        return List.of(
                VAL,
                path,
                value instanceof Filter.Bool bool ? "b" + bool.value() : "s" + ((Filter.Text) value).value());
    }

    private static List<String> exists(String path, Set<SearchSchema.Kind> kinds) {
        if (!isStatePath(path)) {
            return List.of(ALL);
        }
        List<String> numbers = List.of(NUM, path, MINUS_INFINITY, PLUS_INFINITY);
        List<String> discrete = List.of(HAS, path);
        boolean anyNumber = kinds.isEmpty() || kinds.contains(SearchSchema.Kind.NUMBER);
        boolean anyDiscrete = kinds.isEmpty() || kinds.stream().anyMatch(kind -> kind != SearchSchema.Kind.NUMBER);
        if (anyNumber && anyDiscrete) {
            return or(List.of(numbers, discrete));
        }
        return anyNumber ? numbers : discrete;
    }

    private static List<String> and(List<List<String>> children) {
        List<List<String>> restricting =
                children.stream().filter(child -> !isAll(child)).toList();
        if (restricting.isEmpty()) {
            return List.of(ALL);
        }
        return combine(AND, restricting);
    }

    private static List<String> or(List<List<String>> children) {
        if (children.stream().anyMatch(Planner::isAll)) {
            return List.of(ALL);
        }
        return combine(OR, children);
    }

    private static List<String> combine(String op, List<List<String>> children) {
        if (children.size() == 1) {
            return children.get(0);
        }
        List<String> plan = new ArrayList<>();
        plan.add(op);
        plan.add(Integer.toString(children.size()));
        children.forEach(plan::addAll);
        return plan;
    }

    private static boolean isAll(List<String> plan) {
        return plan.size() == 1 && plan.get(0).equals(ALL);
    }

    /** Paths the index keeps values of: type, owner and the state paths. */
    private static boolean isIndexed(String path) {
        return path.equals(SearchSchema.TYPE) || path.equals(SearchSchema.OWNER) || isStatePath(path);
    }

    private static boolean isStatePath(String path) {
        return path.startsWith(ThingView.STATE_REPORTED) || path.startsWith(ThingView.STATE_DESIRED);
    }

    /**
     * A number as a plan bound and in RQL text: whole numbers without a fraction ({@code 20}, {@code -0.0} as
     * {@code 0}), others as {@link Double#toString} ({@code 20.5}, {@code 1.0E-7}); both JSON and Redis read them.
     */
    static @NotNull String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < PLAIN_INTEGER_LIMIT) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
