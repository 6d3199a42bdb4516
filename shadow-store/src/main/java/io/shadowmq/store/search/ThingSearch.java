package io.shadowmq.store.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.search.SearchQuery;
import io.shadowmq.model.search.SearchSort;
import io.shadowmq.model.search.ThingView;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.PresenceStore;
import io.shadowmq.store.shadow.ShadowRepository;
import io.shadowmq.store.shadow.ThingShadow;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds things by their state: the index ({@link SearchIndex}, {@code search.lua}) names the candidates of the
 * filter's plan in sort order, and each candidate is then read from Redis and checked with the filter itself, so what
 * a search answers is exactly what the filter says of the shadows as they are now (the plan is only ever wider).
 *
 * <p>An owner-limited search adds its owners to the plan: other households' things are never candidates, never read
 * and never counted. A filter that no index narrows (only {@code like}, {@code not}, {@code ne}, {@code connected} or
 * metadata timestamps) is refused over more than {@code maxScanThings} things, rather than read every shadow.
 *
 * <p>Paging: the cursor is the position of the last thing looked at, with the sort it belongs to. A page looks at no
 * more than {@link #MAX_STEPS} steps of the index; it then ends early, with a cursor, when the filter's unindexed part
 * rejected most candidates.
 */
public final class ThingSearch {

    /** Index steps one page may take before it answers with what it has and a cursor. */
    static final int MAX_STEPS = 8;
    /** Things one walking step looks at at most. */
    static final int WALK_BUDGET = 4_000;
    /** The largest candidate set built whole and sorted; larger ones are walked in sort order. */
    static final int MATERIALIZE_MAX = 20_000;

    private final SearchIndex index;
    private final ShadowRepository shadows;
    private final PresenceStore presence;
    private final int maxScanThings;
    private final int materializeMax;
    private final int walkBudget;

    public ThingSearch(
            @NotNull SearchIndex index,
            @NotNull ShadowRepository shadows,
            @NotNull PresenceStore presence,
            int maxScanThings) {
        this(index, shadows, presence, maxScanThings, MATERIALIZE_MAX, WALK_BUDGET);
    }

    /**
     * With the index strategy's bounds set: {@code materializeMax} (candidate sets up to this size are built whole and
     * sorted, larger ones walked in sort order) and {@code walkBudget} (things one walking step looks at). Tests make
     * both small to run every strategy on a few things.
     */
    public ThingSearch(
            @NotNull SearchIndex index,
            @NotNull ShadowRepository shadows,
            @NotNull PresenceStore presence,
            int maxScanThings,
            int materializeMax,
            int walkBudget) {
        this.index = index;
        this.shadows = shadows;
        this.presence = presence;
        this.maxScanThings = maxScanThings;
        this.materializeMax = materializeMax;
        this.walkBudget = walkBudget;
    }

    /**
     * One page of the things matching {@code query}, of {@code owners} only when given (an owner-limited caller), after
     * {@code cursor} (null: the first page). A cursor of another sort, or not one this service issued, is 400.
     */
    public @NotNull CompletionStage<Outcome<SearchPage>> search(
            @NotNull SearchQuery query, @Nullable List<Owner> owners, @Nullable String cursor) {
        SearchSort sort = query.sort();
        String after;
        try {
            after = cursor == null ? "" : decode(cursor, sort);
        } catch (IllegalArgumentException e) {
            return done(Outcome.rejected(Rejection.malformed("cursor: " + e.getMessage())));
        }
        if (owners != null && owners.isEmpty()) {
            return done(Outcome.ok(new SearchPage(List.of(), null)));
        }
        List<String> plan = query.filter().plan();
        Search search = new Search(
                query,
                owners == null ? plan : SearchIndex.scoped(plan, owners),
                // A household's search never walks: a walk looks at other households' things, and its cursor would
                // name one of them.
                owners == null ? materializeMax : Integer.MAX_VALUE);
        if (owners != null || !"all".equals(plan.get(0))) {
            return search.step(after, new ArrayList<>(), 0);
        }
        return index.size().thenCompose(size -> {
            if (size instanceof Outcome.Rejected<Integer> failed) {
                return done(Outcome.<SearchPage>rejected(failed.rejection()));
            }
            int things = ((Outcome.Ok<Integer>) size).value();
            if (things > maxScanThings) {
                return done(Outcome.<SearchPage>rejected(Rejection.malformed("filter: nothing in it narrows the search"
                        + " through the index (like, not, ne, connected and metadata timestamps are checked on each"
                        + " thing), and checking all " + things + " things is over the limit of " + maxScanThings
                        + " (search.maxScanThings); add a condition on type, owner, thingId equality or a searchable"
                        + " property, e.g. and(eq(type,\"car\"),...)")));
            }
            return search.step(after, new ArrayList<>(), 0);
        });
    }

    /** One search's fixed parts. */
    private final class Search {
        private final SearchQuery query;
        private final List<String> plan;
        private final int materializeMax;

        Search(SearchQuery query, List<String> plan, int materializeMax) {
            this.query = query;
            this.plan = plan;
            this.materializeMax = materializeMax;
        }

        CompletionStage<Outcome<SearchPage>> step(String after, List<ObjectNode> items, int steps) {
            SearchSort sort = query.sort();
            SearchCall call = new SearchCall(
                    sort.byThingId() ? "" : sort.path(),
                    sort.ascending(),
                    after,
                    query.limit() - items.size(),
                    walkBudget,
                    materializeMax,
                    plan);
            return index.step(call).thenCompose(answer -> {
                if (answer instanceof Outcome.Rejected<SearchCall.Step> failed) {
                    return done(Outcome.<SearchPage>rejected(failed.rejection()));
                }
                SearchCall.Step step = ((Outcome.Ok<SearchCall.Step>) answer).value();
                List<CompletableFuture<Outcome<Optional<ThingView>>>> views = step.candidates().stream()
                        .map(candidate -> view(ThingId.of(candidate.thingId())).toCompletableFuture())
                        .toList();
                return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
                        .thenCompose(all -> checked(step, views, after, items, steps));
            });
        }

        private CompletionStage<Outcome<SearchPage>> checked(
                SearchCall.Step step,
                List<CompletableFuture<Outcome<Optional<ThingView>>>> views,
                String after,
                List<ObjectNode> items,
                int steps) {
            List<SearchCall.Candidate> candidates = step.candidates();
            for (int i = 0; i < candidates.size(); i++) {
                Outcome<Optional<ThingView>> read = views.get(i).join(); // complete: allOf has finished
                if (read instanceof Outcome.Rejected<Optional<ThingView>> failed) {
                    return done(Outcome.<SearchPage>rejected(failed.rejection()));
                }
                Optional<ThingView> view = ((Outcome.Ok<Optional<ThingView>>) read).value();
                if (view.isEmpty() || !query.filter().matches(view.get())) {
                    continue; // deprovisioned since, or its unindexed conditions do not hold
                }
                items.add(query.fields().apply(view.get()));
                if (items.size() == query.limit()) {
                    boolean last = i == candidates.size() - 1 && !step.more();
                    return done(Outcome.ok(new SearchPage(
                            items, last ? null : encode(candidates.get(i).position(), query.sort()))));
                }
            }
            if (!step.more()) {
                return done(Outcome.ok(new SearchPage(items, null)));
            }
            if (step.last().isEmpty() || step.last().equals(after)) {
                throw new IllegalStateException("search step made no progress after '" + after + "'");
            }
            if (steps + 1 >= MAX_STEPS) {
                return done(Outcome.ok(new SearchPage(items, encode(step.last(), query.sort()))));
            }
            return step(step.last(), items, steps + 1);
        }

        private CompletionStage<Outcome<Optional<ThingView>>> view(ThingId thing) {
            return shadows.readThing(thing).thenCompose(read -> {
                if (!(read instanceof Outcome.Ok<Optional<ThingShadow>> ok)
                        || ok.value().isEmpty()) {
                    return done(read.map(found -> Optional.<ThingView>empty()));
                }
                ThingShadow shadow = ok.value().get();
                if (!query.filter().needsPresence()) {
                    return done(Outcome.ok(Optional.of(viewOf(thing, shadow, false))));
                }
                return presence.status(thing)
                        .thenApply(
                                status -> status.map(known -> Optional.of(viewOf(thing, shadow, known.connected()))));
            });
        }
    }

    private static ThingView viewOf(ThingId thing, ThingShadow shadow, boolean connected) {
        return new ThingView(thing.value(), shadow.type(), shadow.owner().value(), connected, shadow.document());
    }

    /** The cursor of a position: the sort it belongs to and the position, opaque to clients. */
    static @NotNull String encode(@NotNull String position, @NotNull SearchSort sort) {
        String text = sortName(sort) + "\n" + position;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The position of a cursor issued for {@code sort}; IllegalArgumentException when it is not one. */
    static @NotNull String decode(@NotNull String cursor, @NotNull SearchSort sort) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor this service issued");
        }
        int newline = text.indexOf('\n');
        if (newline < 0) {
            throw new IllegalArgumentException("not a cursor this service issued");
        }
        if (!text.substring(0, newline).equals(sortName(sort))) {
            throw new IllegalArgumentException("issued for sort " + text.substring(0, newline) + ", not "
                    + sortName(sort) + "; keep the sort while paging");
        }
        String position = text.substring(newline + 1);
        if (!validPosition(position)) {
            throw new IllegalArgumentException("not a cursor this service issued");
        }
        return position;
    }

    private static String sortName(SearchSort sort) {
        return (sort.ascending() ? "+" : "-") + sort.path();
    }

    private static boolean validPosition(String position) {
        if (position.length() < 3 || position.charAt(1) != ' ') {
            return false;
        }
        String rest = position.substring(2);
        switch (position.charAt(0)) {
            case 'i', 'm' -> {
                return ThingId.isValid(rest);
            }
            case 'v' -> {
                int space = rest.indexOf(' ');
                if (space < 0 || !ThingId.isValid(rest.substring(space + 1))) {
                    return false;
                }
                try {
                    return !Double.isNaN(Double.parseDouble(rest.substring(0, space)));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
