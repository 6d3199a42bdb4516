package io.shadowmq.model.schema;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's household defaults, resolved per leaf: the nearest {@code shadowmq:household} term on the leaf's path
 * applies ({@code "write"} inherited by a readOnly leaf means read); without one, a writable leaf is {@code write}
 * and a readOnly one {@code read}. Actions: invocable unless {@code "none"} or critical.
 *
 * <pre>{@code
 * HouseholdRights car = ThingModels.bundled().get("car").orElseThrow().householdRights();
 * car.leaves().get(0);         // LeafRight[path=range, writable=false, right=READ]
 * car.invocable();             // [lock, honkAndFlash]
 * }</pre>
 *
 * @param leaves    every leaf of the model, in model order
 * @param invocable the actions a household member may invoke without a grant, in model order
 */
public record HouseholdRights(
        @NotNull List<LeafRight> leaves, @NotNull Set<String> invocable) {

    /**
     * One leaf and its default.
     *
     * @param path     dotted, e.g. {@code cabin.heater.isOn}
     * @param writable whether the model lets anybody put it into {@code desired} (no readOnly on its path)
     * @param right    what a household member may do with it without a grant
     */
    public record LeafRight(
            @NotNull String path, boolean writable, @NotNull HouseholdRight right) {}

    public HouseholdRights {
        leaves = List.copyOf(leaves);
        invocable = Collections.unmodifiableSet(new LinkedHashSet<>(invocable));
    }

    /** The defaults of a model's properties and actions. */
    public static @NotNull HouseholdRights of(
            @NotNull Map<String, DataSchema> properties, @NotNull Map<String, ActionModel> actions) {
        List<LeafRight> leaves = new ArrayList<>();
        collect("", properties, false, null, leaves);
        Set<String> invocable = new LinkedHashSet<>();
        actions.values().stream().filter(ActionModel::householdInvoke).forEach(action -> invocable.add(action.name()));
        return new HouseholdRights(leaves, invocable);
    }

    /**
     * The dotted path of the first property whose explicit {@code "write"} grants nothing, because it and everything
     * below it is readOnly (itself or by an object above); empty when there is none. Such a model does not load.
     */
    static @NotNull Optional<String> misplacedWrite(@NotNull Map<String, DataSchema> properties) {
        return misplacedWrite("", properties, false);
    }

    private static Optional<String> misplacedWrite(String prefix, Map<String, DataSchema> properties, boolean ro) {
        for (Map.Entry<String, DataSchema> entry : properties.entrySet()) {
            String path = prefix + entry.getKey();
            DataSchema schema = entry.getValue();
            boolean readOnly = ro || schema.readOnly();
            if (schema.household() == HouseholdRight.WRITE && !hasWritableLeaf(schema, readOnly)) {
                return Optional.of(path);
            }
            Optional<String> below = misplacedWrite(path + ".", schema.properties(), readOnly);
            if (below.isPresent()) {
                return below;
            }
        }
        return Optional.empty();
    }

    private static boolean hasWritableLeaf(DataSchema schema, boolean readOnly) {
        if (readOnly) {
            return false;
        }
        if (schema.isLeaf()) {
            return true;
        }
        return schema.properties().values().stream().anyMatch(child -> hasWritableLeaf(child, child.readOnly()));
    }

    private static void collect(
            String prefix,
            Map<String, DataSchema> properties,
            boolean readOnlyAbove,
            @Nullable HouseholdRight inherited,
            List<LeafRight> leaves) {
        properties.forEach((name, schema) -> {
            String path = prefix + name;
            boolean readOnly = readOnlyAbove || schema.readOnly();
            HouseholdRight term = schema.household() != null ? schema.household() : inherited;
            if (schema.isLeaf()) {
                HouseholdRight right;
                if (term == null) {
                    right = readOnly ? HouseholdRight.READ : HouseholdRight.WRITE;
                } else {
                    right = term == HouseholdRight.WRITE && readOnly ? HouseholdRight.READ : term;
                }
                leaves.add(new LeafRight(path, !readOnly, right));
            } else {
                collect(path + ".", schema.properties(), readOnly, term, leaves);
            }
        });
    }
}
