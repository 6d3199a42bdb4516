package io.shadowmq.store.search;

import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of {@code search.lua}: the candidates of a plan in sort order after a position.
 *
 * @param sortPath       the numeric path to sort by, '' for thingId
 * @param ascending      the sort direction
 * @param after          the position to continue after ('' from the start)
 * @param want           how many candidates at most
 * @param walkBudget     how many things a walk looks at at most
 * @param materializeMax the largest candidate set the script builds whole and sorts, rather than walking the order
 * @param plan           the plan ({@code Filter.plan()}, scoped)
 */
record SearchCall(
        @NotNull String sortPath,
        boolean ascending,
        @NotNull String after,
        int want,
        int walkBudget,
        int materializeMax,
        @NotNull List<String> plan)
        implements ScriptCall<SearchCall.Step> {

    static final String SCRIPT = "search";

    /** A candidate and its position in the sort order. */
    record Candidate(@NotNull String thingId, @NotNull String position) {}

    /**
     * @param more     there may be candidates after {@code last}
     * @param last     the position of the last thing the script looked at ('' none)
     */
    record Step(boolean more, @NotNull String last, @NotNull List<Candidate> candidates) {}

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments()
                .key("ids", RedisKeys.searchIds())
                .arg("prefix", RedisKeys.SEARCH_INDEX_PREFIX)
                .arg("sortPath", sortPath)
                .flag("ascending", ascending)
                .arg("after", after)
                .arg("want", want)
                .arg("walkBudget", walkBudget)
                .arg("materializeMax", materializeMax)
                .argTail("plan", plan);
    }

    @Override
    public @NotNull Step reply(@NotNull List<Object> answer) {
        List<Candidate> candidates = new ArrayList<>((answer.size() - 2) / 2);
        for (int i = 2; i + 1 < answer.size(); i += 2) {
            candidates.add(
                    new Candidate(answer.get(i).toString(), answer.get(i + 1).toString()));
        }
        return new Step("1".equals(answer.get(0).toString()), answer.get(1).toString(), candidates);
    }
}
