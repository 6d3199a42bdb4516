package io.shadowmq.extension.auth;

import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Who may publish and subscribe where: docs/protocol.md, "Who may do what". Pure rules over topic strings; the HiveMQ
 * authorizers ask it and turn its answer into PUBACK/SUBACK codes.
 * <table>
 *   <caption>What a connected thing A may do on thing T's topics</caption>
 *   <tr><th></th><th>publish</th><th>subscribe</th></tr>
 *   <tr><td>A = T</td><td>{@code things/T/shadow/{update,get,delete}}, {@code things/T/actions/{action}},
 *       {@code things/T/commands/{commandId}/status}</td>
 *       <td>{@code things/T/shadow/#}, {@code things/T/commands/#}, {@code things/T/actions/#} and every filter
 *       inside them</td></tr>
 *   <tr><td>owner(A) = owner(T)</td><td>{@code things/T/shadow/{update,get}}, {@code things/T/actions/{action}}</td>
 *       <td>{@code things/T/shadow/+/accepted}, {@code .../+/rejected}, {@code .../update/documents},
 *       {@code things/T/commands/+/state}, {@code things/T/actions/+/accepted|rejected} and the concrete topics
 *       they cover, e.g. {@code things/T/shadow/get/accepted}; never {@code things/T/commands/+} or
 *       {@code things/T/commands/#}, which would receive T's commands</td></tr>
 *   <tr><td>anyone else</td><td>nothing</td><td>nothing</td></tr>
 * </table>
 * No one publishes to a topic the platform publishes on ({@code accepted}, {@code rejected}, {@code delta},
 * {@code documents}, {@code things/T/commands/{commandId}}, {@code .../state}): those are refused like every other
 * shape.
 * Everything else is refused: other topic shapes, {@code $}-topics ({@code $SYS}, shared subscriptions), empty
 * levels, and any wildcard in the first two levels ({@code #}, {@code things/#}, {@code things/+/shadow/#}), since
 * those reach beyond one thing. That a household member writes only {@code desired} is checked later, on the
 * payload.
 * <p>
 * A thing's own topics are decided synchronously: the returned future is already complete, so a caller can check
 * {@link CompletableFuture#isDone()} and answer HiveMQ without going async. Another thing's topics need its owner
 * from the {@link OwnerLookup}; the future completes when the lookup does, on the lookup's thread. A failed lookup
 * refuses.
 * <pre>{@code
 * TopicPolicy policy = new TopicPolicy(ownerLookup);
 * ConnectedThing speaker = new ConnectedThing(ThingId.of("speaker-1"), Owner.of("alice"));
 * policy.maySubscribe(speaker, "things/car-1/shadow/get/accepted")   // granted if car-1 is alice's
 *       .thenAccept(access -> ...);
 * }</pre>
 */
public final class TopicPolicy {

    static final String ROOT = ShadowTopic.ROOT;
    static final String SHADOW = ShadowTopic.SHADOW;

    private static final Set<String> OWN_REQUESTS = java.util.Arrays.stream(ShadowTopic.Operation.values())
            .map(ShadowTopic.Operation::level)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> HOUSEHOLD_REQUESTS = Set.of("update", "get");
    private static final Set<String> HOUSEHOLD_RESULT_REQUESTS = Set.of("+", "update", "get", "delete");
    private static final Set<String> HOUSEHOLD_RESULTS = Set.of(CommandTopic.ACCEPTED, CommandTopic.REJECTED);
    private static final Set<String> OWN_SUBTREES = Set.of(SHADOW, CommandTopic.COMMANDS, CommandTopic.ACTIONS);

    private final @NotNull OwnerLookup owners;

    public TopicPolicy(@NotNull OwnerLookup owners) {
        this.owners = Objects.requireNonNull(owners, "owners");
    }

    /**
     * May {@code actor} publish to {@code topic}?
     *
     * @return complete at once unless {@code topic} is another thing's request topic
     */
    public @NotNull CompletableFuture<TopicAccess> mayPublish(@NotNull ConnectedThing actor, @NotNull String topic) {
        Optional<CommandTopic> command = CommandTopic.parse(topic);
        if (command.isPresent()) {
            return mayPublishCommandRequest(actor, command.get());
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != 4
                || !levels[0].equals(ROOT)
                || !levels[2].equals(SHADOW)
                || !ThingId.isValid(levels[1])
                || !OWN_REQUESTS.contains(levels[3])) {
            return refuse("things publish only to things/{thingId}/shadow/{update|get|delete}, "
                    + "things/{thingId}/actions/{action} and things/{thingId}/commands/{commandId}/status");
        }
        ThingId target = ThingId.of(levels[1]);
        if (target.equals(actor.thing())) {
            return grant();
        }
        if (!HOUSEHOLD_REQUESTS.contains(levels[3])) {
            return refuse("only thing " + target + " itself may delete its shadow");
        }
        return sameHousehold(actor, target);
    }

    /** An invocation: the thing itself or its household. A status report: the thing itself only. */
    private @NotNull CompletableFuture<TopicAccess> mayPublishCommandRequest(
            @NotNull ConnectedThing actor, @NotNull CommandTopic request) {
        ThingId target = request.thing();
        if (target.equals(actor.thing())) {
            return grant();
        }
        if (request instanceof CommandTopic.Status) {
            return refuse("only thing " + target + " itself reports the status of its commands");
        }
        return sameHousehold(actor, target);
    }

    /**
     * May {@code actor} subscribe to {@code topicFilter}?
     *
     * @return complete at once unless {@code topicFilter} names another thing's response topics
     */
    public @NotNull CompletableFuture<TopicAccess> maySubscribe(
            @NotNull ConnectedThing actor, @NotNull String topicFilter) {
        if (topicFilter.startsWith("$")) {
            return refuse("$-topics ($SYS, shared subscriptions) are not available to things");
        }
        String[] levels = topicFilter.split("/", -1);
        Optional<String> malformed = filterSyntaxError(levels);
        if (malformed.isPresent()) {
            return refuse("malformed topic filter: " + malformed.get());
        }
        if (levels.length < 2 || isWildcard(levels[0]) || isWildcard(levels[1])) {
            return refuse("a filter with a wildcard before the thing id reaches beyond one thing");
        }
        if (!levels[0].equals(ROOT)
                || levels.length < 3
                || !OWN_SUBTREES.contains(levels[2])
                || !ThingId.isValid(levels[1])) {
            return refuse("things subscribe only to things/{thingId}/shadow/..., things/{thingId}/commands/... and "
                    + "things/{thingId}/actions/...");
        }
        ThingId target = ThingId.of(levels[1]);
        if (target.equals(actor.thing())) {
            // Anything from things/T/shadow, things/T/commands or things/T/actions down: the filter is inside one of
            // the thing's own subtrees.
            return grant();
        }
        if (!householdMayRead(levels)) {
            return refuse("of another thing's topics only shadow/+/accepted, shadow/+/rejected, "
                    + "shadow/update/documents, commands/+/state and actions/+/accepted|rejected may be subscribed");
        }
        return sameHousehold(actor, target);
    }

    /**
     * What a household member may read of another thing T: the answers on T's shadow, every command's state, and the
     * answers to its own invocations (sent to it alone). Never T's commands themselves ({@code commands/+},
     * {@code commands/#}), T's status refusals, or T's delta.
     */
    private static boolean householdMayRead(@NotNull String[] levels) {
        if (levels.length != 5) {
            return false;
        }
        String operation = levels[3];
        String result = levels[4];
        return switch (levels[2]) {
            case SHADOW ->
                HOUSEHOLD_RESULT_REQUESTS.contains(operation) && HOUSEHOLD_RESULTS.contains(result)
                        || operation.equals("update") && result.equals("documents");
            case CommandTopic.COMMANDS ->
                (operation.equals("+") || CommandTopic.isCommandId(operation)) && result.equals(CommandTopic.STATE);
            case CommandTopic.ACTIONS ->
                (operation.equals("+") || CommandTopic.isActionName(operation)) && HOUSEHOLD_RESULTS.contains(result);
            default -> false;
        };
    }

    /**
     * The MQTT rules for a filter (a {@code #} only as the whole last level, a {@code +} only as a whole level),
     * plus ours: no empty level, since no ShadowMQ topic has one.
     */
    private static @NotNull Optional<String> filterSyntaxError(@NotNull String[] levels) {
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.isEmpty()) {
                return Optional.of("empty topic level");
            }
            if (level.equals("#") && i != levels.length - 1) {
                return Optional.of("'#' must be the last level");
            }
            if (level.length() > 1 && (level.contains("#") || level.contains("+"))) {
                return Optional.of("a wildcard must be a whole level");
            }
        }
        return Optional.empty();
    }

    private static boolean isWildcard(@NotNull String level) {
        return level.equals("+") || level.equals("#");
    }

    private @NotNull CompletableFuture<TopicAccess> sameHousehold(
            @NotNull ConnectedThing actor, @NotNull ThingId target) {
        // The same answer for "no such thing" and "someone else's thing": the reason may reach the client, and
        // must not reveal which things exist in other households.
        String notYours = "thing " + target + " is not in the household of " + actor.thing();
        CompletableFuture<Optional<Owner>> lookup;
        try {
            lookup = owners.ownerOf(target);
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        if (lookup == null) {
            lookup = CompletableFuture.failedFuture(new NullPointerException("OwnerLookup returned null"));
        }
        return lookup.handle((owner, failure) -> {
            if (failure != null) {
                return TopicAccess.refuse("the owner of thing " + target + " could not be looked up");
            }
            return owner.isPresent() && owner.get().equals(actor.owner())
                    ? TopicAccess.grant()
                    : TopicAccess.refuse(notYours);
        });
    }

    private static @NotNull CompletableFuture<TopicAccess> grant() {
        return CompletableFuture.completedFuture(TopicAccess.grant());
    }

    private static @NotNull CompletableFuture<TopicAccess> refuse(@NotNull String reason) {
        return CompletableFuture.completedFuture(TopicAccess.refuse(reason));
    }
}
