package io.shadowmq.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.ShadowStore;
import org.jetbrains.annotations.NotNull;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The cars {@code search} searches: {@code count} of them, provisioned and given one reported update each that sets
 * every searchable reported value of the car model, through a {@link ShadowStore} in the bench JVM with many calls in
 * flight — the real provisioning and update scripts, so the index is the one the platform keeps. The fuel level is
 * uniform over 0..100 (two decimals), so how many cars a filter on it matches is known without asking the platform.
 */
final class SearchFleet {

    static final String TYPE = "car";
    static final String FUEL_LEVEL = "fuel.level";
    /** Cars per household, as the other scenarios' things. */
    private static final int THINGS_PER_OWNER = 4;

    private static final int RETRIES = 5;
    private static final long RETRY_PAUSE_MILLIS = 200;
    private static final int CONFLICT = 409;
    private static final String REPORTED = "state.reported.";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double FUEL_MAX = 100;

    private final List<ThingId> cars;
    private final double[] fuel;
    private final ThingModel model;
    private final Map<String, DataSchema> reported;

    private SearchFleet(List<ThingId> cars, ThingModels models) {
        this.cars = cars;
        this.fuel = new double[cars.size()];
        this.model = models.get(TYPE).orElseThrow(() -> new IllegalStateException("no thing model for " + TYPE));
        this.reported = new java.util.LinkedHashMap<>();
        SearchSchema.of(models).pathsOf(TYPE).keySet().stream()
                .filter(path -> path.startsWith(REPORTED))
                .map(path -> path.substring(REPORTED.length()))
                .forEach(path -> reported.put(path, model.schemaAt(path).orElseThrow()));
    }

    /** Names {@code count} cars {@code search-000000 ...} (nothing is written yet). */
    static @NotNull SearchFleet of(int count, @NotNull ThingModels models) {
        List<ThingId> cars = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cars.add(ThingId.of("search-%06d".formatted(i)));
        }
        return new SearchFleet(cars, models);
    }

    List<ThingId> cars() {
        return cars;
    }

    /** The searchable reported values each car is given. */
    int reportedValues() {
        return reported.size();
    }

    /** How many cars have a fuel level {@code below} (strictly). */
    long fuelBelow(double below) {
        return java.util.Arrays.stream(fuel).filter(level -> level < below).count();
    }

    /** How many cars have a fuel level {@code above} (strictly). */
    long fuelAbove(double above) {
        return java.util.Arrays.stream(fuel).filter(level -> level > above).count();
    }

    /** Provisions every car through {@code store}, {@code concurrency} at a time. */
    void provision(@NotNull ShadowStore store, int concurrency) throws InterruptedException {
        runAll(
                concurrency,
                "provisioning",
                i -> store.things()
                        .provision(cars.get(i), TYPE, Owner.of("search-home-%06d".formatted(i / THINGS_PER_OWNER)))
                        .thenApply(outcome -> outcome instanceof Outcome.Rejected<?> no
                                        && no.rejection().code() == CONFLICT
                                ? null // a retry after a timeout found the first attempt's thing: provisioned
                                : rejection(outcome)));
    }

    /** Gives every car all its searchable reported values in one update each, {@code concurrency} at a time. */
    void report(@NotNull ShadowStore store, int concurrency) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(cars.size());
        List<UpdateRequest> requests = new ArrayList<>(cars.size());
        for (int i = 0; i < cars.size(); i++) {
            ObjectNode values = NODES.objectNode();
            for (Map.Entry<String, DataSchema> leaf : reported.entrySet()) {
                if (leaf.getKey().equals(FUEL_LEVEL)) {
                    fuel[i] = twoDecimals(random.nextDouble(FUEL_MAX));
                    put(values, leaf.getKey(), NODES.numberNode(fuel[i]));
                } else {
                    put(values, leaf.getKey(), value(leaf.getValue(), random));
                }
            }
            requests.add(reportedUpdate(values));
        }
        runAll(concurrency, "reporting", i -> update(store, cars.get(i), requests.get(i)));
    }

    /**
     * One reported update of {@code car} changing two searchable values, its fuel level and range (the rest of its
     * document as it was): what {@code index-cost} sends.
     */
    @NotNull
    UpdateRequest fuelAndRange(@NotNull SplittableRandom random) {
        ObjectNode values = NODES.objectNode();
        put(values, FUEL_LEVEL, NODES.numberNode(twoDecimals(random.nextDouble(FUEL_MAX))));
        values.set("range", value(reported.get("range"), random));
        return reportedUpdate(values);
    }

    /** Updates {@code car} as the car itself: the rejection, or null when accepted. */
    static @NotNull CompletionStage<Rejection> update(
            @NotNull ShadowStore store, @NotNull ThingId car, @NotNull UpdateRequest request) {
        return store.shadows()
                .update(car, Requester.thing(car), request)
                .thenApply(outcome -> outcome instanceof UpdateOutcome.Rejected no ? no.rejection() : null);
    }

    private static UpdateRequest reportedUpdate(ObjectNode values) {
        ObjectNode body = NODES.objectNode();
        body.putObject("state").set("reported", values);
        return ShadowRequests.parseUpdate(
                        SafeJson.writeString(body).getBytes(StandardCharsets.UTF_8), ShadowLimits.DEFAULT)
                .orElseThrow();
    }

    /**
     * Calls {@code call(i)} for every car, {@code concurrency} in flight; a call answering a rejection is retried
     * (after a pause) up to {@value #RETRIES} times, then the load fails naming the car and the rejection.
     */
    private void runAll(int concurrency, String what, IntFunction<CompletionStage<Rejection>> call)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failed = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(Math.min(concurrency, cars.size()));
        for (int chain = 0; chain < Math.min(concurrency, cars.size()); chain++) {
            chainNext(next, failed, done, call);
        }
        if (!done.await(cars.size() / 50 + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    what + " " + cars.size() + " cars did not finish; " + next.get() + " begun");
        }
        if (failed.get() != null) {
            throw new IllegalStateException(what + " failed: " + failed.get());
        }
    }

    private void chainNext(
            AtomicInteger next,
            AtomicReference<String> failed,
            CountDownLatch done,
            IntFunction<CompletionStage<Rejection>> call) {
        int i = next.getAndIncrement();
        if (i >= cars.size() || failed.get() != null) {
            done.countDown();
            return;
        }
        withRetries(i, call, 0).whenComplete((rejection, error) -> {
            if (error != null || rejection != null) {
                failed.compareAndSet(
                        null,
                        cars.get(i) + ": " + (error != null ? error : rejection.code() + " " + rejection.message()));
            }
            chainNext(next, failed, done, call);
        });
    }

    private static CompletionStage<Rejection> withRetries(
            int i, IntFunction<CompletionStage<Rejection>> call, int retry) {
        return call.apply(i).thenCompose(rejection -> {
            if (rejection == null || retry >= RETRIES) {
                return CompletableFuture.completedFuture(rejection);
            }
            return CompletableFuture.runAsync(
                            () -> {}, CompletableFuture.delayedExecutor(RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS))
                    .thenCompose(paused -> withRetries(i, call, retry + 1));
        });
    }

    private static Rejection rejection(Outcome<?> outcome) {
        return outcome instanceof Outcome.Rejected<?> no ? no.rejection() : null;
    }

    /** A value the model accepts: an enum's, a boolean, or a number within its bounds (two decimals). */
    private static JsonNode value(DataSchema schema, SplittableRandom random) {
        if (!schema.enumValues().isEmpty()) {
            return schema.enumValues().get(random.nextInt(schema.enumValues().size()));
        }
        double min = schema.minimum() == null ? 0 : schema.minimum().doubleValue();
        double max = schema.maximum() == null ? 1_000 : schema.maximum().doubleValue();
        return switch (schema.type()) {
            case BOOLEAN -> NODES.booleanNode(random.nextBoolean());
            case INTEGER -> NODES.numberNode((long) Math.floor(min + random.nextDouble() * (max - min)));
            case NUMBER -> NODES.numberNode(twoDecimals(min + random.nextDouble() * (max - min)));
            default -> NODES.textNode("v" + random.nextInt(100));
        };
    }

    private static double twoDecimals(double value) {
        return BigDecimal.valueOf(value)
                .setScale(2, java.math.RoundingMode.DOWN)
                .doubleValue();
    }

    private static void put(ObjectNode section, String dotted, JsonNode value) {
        String[] names = dotted.split("\\.", -1);
        ObjectNode node = section;
        for (int i = 0; i < names.length - 1; i++) {
            node = node.has(names[i]) ? (ObjectNode) node.get(names[i]) : node.putObject(names[i]);
        }
        node.set(names[names.length - 1], value);
    }
}
