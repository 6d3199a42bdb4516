package io.shadowmq.store.grant;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.thing.Owner;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a household's audit trail: who read or changed what across things, and what the platform answered.
 *
 * @param id        the trail's cursor for this entry (made by the store; empty before it is recorded)
 * @param at        epoch milliseconds
 * @param actor     the requester, {@code thing:speaker-1}, {@code key:3f9a0c}, {@code admin}, {@code schedule:...}
 * @param target    the thing read or changed (a grant's id for grant changes)
 * @param operation {@code read} (get, documents subscription, summary), {@code write} (desired), {@code invoke},
 *                  {@code grant}, {@code revoke}
 * @param paths     the paths written or refused, the action invoked; empty for whole reads
 * @param code      200 when done, else the refusal's code (403 ...)
 */
public record AuditEntry(
        @NotNull String id,
        long at,
        @NotNull Owner owner,
        @NotNull String actor,
        @NotNull String target,
        @NotNull String operation,
        @NotNull List<String> paths,
        int code) {

    /** Operation: a get, a summary, a subscription to another thing's shadow topics. */
    public static final String READ = "read";
    /** Operation: desired values set or withdrawn. */
    public static final String WRITE = "write";
    /** Operation: an action invoked. */
    public static final String INVOKE = "invoke";

    public AuditEntry {
        paths = List.copyOf(paths);
    }

    /**
     * The dotted leaves a {@code desired} patch sets or withdraws, as a write is recorded: {@code cabin.heater.isOn}
     * for {@code {"cabin":{"heater":{"isOn":true}}}}, an empty object or {@code null} as the path it stands at,
     * {@code *} for {@code "desired": null}.
     */
    public static @NotNull List<String> writtenPaths(@NotNull JsonNode desired) {
        List<String> paths = new ArrayList<>();
        if (!desired.isObject()) {
            paths.add("*");
        } else {
            collectLeaves("", desired, paths);
        }
        return paths;
    }

    private static void collectLeaves(String prefix, JsonNode node, List<String> into) {
        node.properties().forEach(field -> {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue().isObject() && !field.getValue().isEmpty()) {
                collectLeaves(path, field.getValue(), into);
            } else {
                into.add(path);
            }
        });
    }
}
