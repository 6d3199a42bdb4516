package io.shadowmq.store.grant;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.access.Grant;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link HouseholdGuard} behind two caches: each thing's registry record (type and household never change; forgotten
 * when the thing is deprovisioned, here or as the feed tells), and each household's grants (forgotten on a
 * {@link FeedEventKind#GRANTS} event, at most {@link #GRANTS_CACHED_FOR} old in any case). An {@code expiresAt}
 * passing is honoured when access is evaluated, not by the cache. The {@link Access} of a member on a target is
 * remembered per household for the target's type and the grants selected, so a warm answer neither reads Redis nor
 * builds an Access again; it completes at once.
 *
 * <p>Nothing that failed is cached: a Redis failure completes the answer exceptionally
 * ({@link HouseholdGuardException}) and the next call asks Redis again.
 */
public final class CachedHouseholdGuard implements HouseholdGuard {

    /** The safety net: a household's grants are read again at least this often, feed or not. */
    public static final Duration GRANTS_CACHED_FOR = Duration.ofSeconds(30);

    static final int THINGS_CACHED = 100_000;
    static final int HOUSEHOLDS_CACHED = 100_000;
    /** Accesses remembered per household (targets' types × grant selections); more and the memo starts over. */
    static final int ACCESSES_REMEMBERED = 256;

    private final ThingModels models;
    private final Clock clock;
    private final AsyncLoadingCache<ThingId, ThingRecord> records;
    private final AsyncLoadingCache<Owner, Household> households;

    public CachedHouseholdGuard(
            @NotNull ThingRegistry things,
            @NotNull ThingModels models,
            @NotNull RedisGrantStore grants,
            @NotNull Clock clock) {
        this.models = models;
        this.clock = clock;
        this.records = Caffeine.newBuilder()
                .maximumSize(THINGS_CACHED)
                .buildAsync((thing, executor) -> things.find(thing)
                        .thenApply(CachedHouseholdGuard::valueOf)
                        .toCompletableFuture());
        this.households = Caffeine.newBuilder()
                .maximumSize(HOUSEHOLDS_CACHED)
                .expireAfterWrite(GRANTS_CACHED_FOR)
                .buildAsync((owner, executor) -> grants.stored(owner)
                        .thenApply(stored -> new Household(valueOf(stored)))
                        .toCompletableFuture());
    }

    @Override
    public @NotNull CompletionStage<Access> access(@NotNull ThingId member, @NotNull ThingId target) {
        if (member.equals(target)) {
            return CompletableFuture.completedFuture(Access.FULL);
        }
        return records.get(target).thenCombine(records.get(member), Pair::new).thenCompose(pair -> {
            ThingRecord of = pair.target();
            ThingRecord by = pair.member();
            if (!of.owner().equals(by.owner())) {
                // The caller should have refused already; a member never sees another household's thing.
                throw new HouseholdGuardException(new Rejection(Rejection.NO_SHADOW, "no thing " + target.value()));
            }
            Optional<ThingModel> model = models.get(of.type());
            if (model.isEmpty()) {
                throw new HouseholdGuardException(
                        Rejection.internal("thing " + target.value() + " is of unknown type " + of.type()));
            }
            return households
                    .get(of.owner())
                    .thenApply(household -> household.access(by, of, model.get(), clock.millis()));
        });
    }

    @Override
    public void forget(@NotNull Owner owner) {
        households.synchronous().invalidate(owner);
    }

    /** Forgets what is cached of a thing (it was deprovisioned: its id may come back with another type). */
    public void forgetThing(@NotNull ThingId thing) {
        records.synchronous().invalidate(thing);
    }

    /** Takes note of a feed event: a grants change forgets the household's grants, a deleted thing its record. */
    public void observe(@NotNull FeedEvent event) {
        if (event.kind() == FeedEventKind.GRANTS) {
            forget(event.owner());
        } else if (event.kind() == FeedEventKind.THING_DELETED) {
            forgetThing(event.thing());
        }
    }

    private static <T> T valueOf(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Rejected<T> no) {
            throw new HouseholdGuardException(no.rejection());
        }
        return outcome.orElseThrow();
    }

    private record Pair(ThingRecord target, ThingRecord member) {}

    /** What the guard remembers of an access: the target's type and the grants that apply. */
    private record Memo(String targetType, List<Grant> selected) {}

    /** A household's grants as read, and the accesses built from them. */
    private static final class Household {
        private final List<Grant> grants;
        private final Map<Memo, Access> accesses = new ConcurrentHashMap<>();

        Household(List<Grant> grants) {
            this.grants = grants;
        }

        Access access(ThingRecord member, ThingRecord target, ThingModel model, long now) {
            List<Grant> selected = grants.stream()
                    .filter(grant -> grant.activeAt(now)
                            && grant.granteeIs(member.thingId(), member.type())
                            && grant.targetIs(target.thingId(), target.type()))
                    .toList();
            if (accesses.size() >= ACCESSES_REMEMBERED) {
                accesses.clear();
            }
            return accesses.computeIfAbsent(
                    new Memo(target.type(), selected), memo -> Access.member(model, memo.selected()));
        }
    }
}
