package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.HouseholdRight;
import io.shadowmq.model.schema.HouseholdRights;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.summary.ReadFilter;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What one caller may do on one thing: everything ({@link #FULL}: the thing itself, and the household's owner-level
 * REST callers), or what a household member may ({@link #member}): the target model's household defaults (the
 * {@code shadowmq:household} term of each property and action) widened by the household's grants that name the
 * member and the target.
 *
 * <pre>{@code
 * Access speaker = Access.member(carModel, List.of());
 * speaker.mayRead("range");                 // true: household read by default
 * speaker.mayRead("location.latitude");     // false: the car's location is its owner's only
 * speaker.mayWrite("cabin.heater.isOn");    // false until a grant says write ["cabin.heater.**"]
 * speaker.mayInvoke("unlock");              // false: critical, never a household member's
 * }</pre>
 *
 * <p>Every decision is made once, in {@link #member}: a tree of the model's properties holds per leaf whether it may
 * be read and written, and per object whether any, or every, leaf below may be read. Asking and pruning then only
 * walk that tree ({@link #readable} is called for each delivery of a shadow message to a member).
 */
public final class Access {

    /** Everything: the thing itself, and owner-level callers. */
    public static final Access FULL = new Access(null, Set.of(), List.of());

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> SECTIONS = Set.of("reported", "desired", "delta");
    private static final String STATE = "state";
    private static final String METADATA = "metadata";
    private static final String DESIRED_OUTCOMES = "desiredOutcomes";
    private static final Set<String> DOCUMENTS = Set.of("previous", "current");

    /** The model's properties with the decisions; null for {@link #FULL} and a selection of it. */
    private final @Nullable Node root;

    private final Set<String> invocable;

    /** For a selection without a model (the owner's): the paths asked for; empty otherwise. */
    private final List<PathPattern> selection;

    private Access(@Nullable Node root, Set<String> invocable, List<PathPattern> selection) {
        this.root = root;
        this.invocable = invocable;
        this.selection = selection;
    }

    /**
     * A household member's access to a thing of {@code target}'s model, given the grants that name the member (by id
     * or type) and the target (by id or type) and are active now; the caller selects them.
     */
    public static @NotNull Access member(@NotNull ThingModel target, @NotNull Collection<Grant> grants) {
        List<PathPattern> reads = new ArrayList<>();
        List<PathPattern> writes = new ArrayList<>();
        HouseholdRights defaults = target.householdRights();
        Set<String> invocable = new LinkedHashSet<>(defaults.invocable());
        for (Grant grant : grants) {
            patterns(grant.read(), reads);
            patterns(grant.write(), writes);
            for (String action : grant.invoke()) {
                // A stored grant was checked when it was made; the model may have changed since. Critical stays out.
                if (target.action(action).filter(model -> !model.critical()).isPresent()) {
                    invocable.add(action);
                }
            }
        }
        Map<String, Leaf> leaves = new LinkedHashMap<>();
        for (HouseholdRights.LeafRight leaf : defaults.leaves()) {
            boolean written =
                    leaf.writable() && (leaf.right() == HouseholdRight.WRITE || anyMatches(writes, leaf.path()));
            boolean read = written || leaf.right().reads() || anyMatches(reads, leaf.path());
            leaves.put(leaf.path(), new Leaf(leaf.writable(), read, written));
        }
        return new Access(Node.top(leaves), Collections.unmodifiableSet(invocable), List.of());
    }

    /** Whether this is {@link #FULL}: nothing to check or filter. */
    public boolean isFull() {
        return this == FULL;
    }

    /**
     * Whether {@link #readable} would keep every leaf of every shadow payload: {@link #FULL}, or a member who may
     * read every property of the model. The outbound path may skip copying then.
     */
    public boolean readsEverything() {
        return root == null ? selection.isEmpty() : root.allRead;
    }

    /** Whether the leaf at {@code dottedPath} may be read (an object path: whether any leaf below it may). */
    public boolean mayRead(@NotNull String dottedPath) {
        if (isFull()) {
            return true;
        }
        Scope scope = scopeAt(dottedPath);
        return scope != null && scope.any();
    }

    /** Whether the leaf at {@code dottedPath} may be written in {@code desired} (set or withdrawn). */
    public boolean mayWrite(@NotNull String dottedPath) {
        if (root == null) {
            return true;
        }
        Node node = root.at(dottedPath);
        return node != null && node.write;
    }

    /** Whether the action may be invoked; never a critical action for a member. */
    public boolean mayInvoke(@NotNull String action) {
        return root == null || invocable.contains(action);
    }

    /**
     * The first of the requested paths (as the caller wrote it) that may not be read, wholly or in part; empty when
     * all may. A pattern matching nothing in the model is the caller's mistake (422), checked before this.
     */
    public @NotNull Optional<String> firstUnreadable(@NotNull List<PathPattern> requested) {
        if (root == null) {
            return Optional.empty();
        }
        for (PathPattern pattern : requested) {
            if (root.anyLeaf(leaf -> !leaf.read && pattern.matches(leaf.path))) {
                return Optional.of(pattern.text());
            }
        }
        return Optional.empty();
    }

    /**
     * What a {@code get} of {@code requested} (empty: the whole document) may answer, the one decision of MQTT and
     * REST: this access narrowed to the paths, or 403 naming the first one {@code member} may not read of
     * {@code target} ({@link #refuseRead}). Whether each path names a property of the model is checked before.
     */
    public @NotNull Outcome<Access> toRead(
            @NotNull List<PathPattern> requested, @NotNull String member, @NotNull String target) {
        Optional<String> unreadable = requested.isEmpty() ? Optional.empty() : firstUnreadable(requested);
        return unreadable.isPresent()
                ? Outcome.rejected(refuseRead(member, unreadable.get(), target))
                : Outcome.ok(selecting(requested));
    }

    /** This access narrowed to the requested paths: what {@link #readable} keeps of a selecting {@code get}. */
    public @NotNull Access selecting(@NotNull List<PathPattern> requested) {
        if (requested.isEmpty()) {
            return this;
        }
        List<PathPattern> paths = List.copyOf(requested);
        if (root == null) {
            // Owner-level: everything may be read, the selection alone decides (a second one replaces the first).
            return new Access(null, invocable, paths);
        }
        return new Access(root.narrowed(path -> anyMatches(paths, path)), invocable, List.of());
    }

    /** For summaries: only what may be read is spoken. */
    public @NotNull ReadFilter readFilter() {
        return this::mayRead;
    }

    /**
     * The first leaf of a {@code desired} patch (a {@code null} leaf withdraws and counts as a write; a {@code null}
     * object counts as writing every leaf below it in the model) that may not be written, dotted; empty when all may.
     * A key the model does not know may not be written by a member (not even withdrawn).
     */
    public @NotNull Optional<String> firstUnwritable(@NotNull JsonNode desiredPatch) {
        if (root == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(root.firstUnwritable(desiredPatch));
    }

    /**
     * A shadow payload with only what may be read: {@code get/accepted}, {@code update/accepted},
     * {@code update/delta}, {@code update/documents} (both documents) and the REST shadow document alike — the
     * state sections, their metadata and {@code desiredOutcomes} keys are pruned to readable leaves (an object left
     * empty is dropped, a section stays as {@code {}}); everything else (version, timestamp, clientToken) is kept.
     * The same instance when {@link #isFull()}, else a new tree; the argument is never changed.
     *
     * <p>{@code state} holding only {@code reported}, {@code desired} and {@code delta} members is read as sections,
     * anything else as one state tree (the {@code update/delta} payload); {@link #readableDelta} says which outright.
     */
    public @NotNull ObjectNode readable(@NotNull ObjectNode payload) {
        if (isFull()) {
            return payload;
        }
        return document(payload, top(), null);
    }

    /**
     * {@link #readable} for an {@code update/delta} payload, whose {@code state} and {@code metadata} are trees of
     * properties, not sections, whatever the properties are named.
     */
    public @NotNull ObjectNode readableDelta(@NotNull ObjectNode payload) {
        if (isFull()) {
            return payload;
        }
        return document(payload, top(), Boolean.FALSE);
    }

    // ---- pruning

    /** What may be read at one place of a state tree. */
    private interface Scope {
        /** The scope of a member, or null when nothing at or below it may be read. */
        @Nullable
        Scope child(@NotNull String key);

        /** Everything at and below may be read. */
        boolean all();

        /** Something at or below may be read. */
        boolean any();
    }

    private Scope top() {
        return root != null ? root : new Selected("", selection);
    }

    private @Nullable Scope scopeAt(String dottedPath) {
        Scope scope = top();
        int from = 0;
        while (scope != null && from <= dottedPath.length()) {
            int dot = dottedPath.indexOf('.', from);
            int end = dot < 0 ? dottedPath.length() : dot;
            scope = scope.child(dottedPath.substring(from, end));
            from = end + 1;
        }
        return scope;
    }

    /**
     * @param sections true: {@code state}/{@code metadata} hold sections; false: they are trees; null: decide by the
     *                 keys of {@code state}
     */
    private ObjectNode document(ObjectNode payload, Scope top, @Nullable Boolean sections) {
        boolean asSections = sections != null ? sections : areSections(payload.get(STATE));
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : payload.properties()) {
            String key = member.getKey();
            JsonNode value = member.getValue();
            if ((key.equals(STATE) || key.equals(METADATA)) && value.isObject()) {
                out.set(key, asSections ? sections((ObjectNode) value, top) : tree(value, top));
            } else if (key.equals(DESIRED_OUTCOMES) && value.isObject()) {
                out.set(key, outcomes((ObjectNode) value));
            } else if (DOCUMENTS.contains(key) && value.isObject()) {
                out.set(key, document((ObjectNode) value, top, Boolean.TRUE));
            } else {
                out.set(key, value.deepCopy());
            }
        }
        return out;
    }

    private static boolean areSections(@Nullable JsonNode state) {
        if (state == null || !state.isObject() || state.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, JsonNode> member : state.properties()) {
            if (!SECTIONS.contains(member.getKey())) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode sections(ObjectNode sections, Scope top) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> section : sections.properties()) {
            JsonNode value = section.getValue();
            out.set(section.getKey(), value.isObject() ? tree(value, top) : value.deepCopy());
        }
        return out;
    }

    /** A section's tree pruned; {@code {}} when nothing is left. */
    private static ObjectNode tree(JsonNode tree, Scope top) {
        JsonNode pruned = prune(tree, top);
        return pruned instanceof ObjectNode object ? object : NODES.objectNode();
    }

    /** What of {@code value} may be read, or null when nothing. */
    private static @Nullable JsonNode prune(JsonNode value, Scope scope) {
        if (scope.all()) {
            return value.deepCopy();
        }
        if (value.isNull()) {
            // A withdrawn object: as visible as anything below it.
            return scope.any() ? value : null;
        }
        if (!value.isObject()) {
            return null;
        }
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : value.properties()) {
            Scope child = scope.child(member.getKey());
            if (child != null) {
                JsonNode kept = prune(member.getValue(), child);
                if (kept != null) {
                    out.set(member.getKey(), kept);
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** {@code desiredOutcomes}: keyed by dotted path; kept when everything at the path may be read. */
    private ObjectNode outcomes(ObjectNode outcomes) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> outcome : outcomes.properties()) {
            Scope scope = scopeAt(outcome.getKey());
            if (scope != null && scope.all()) {
                out.set(outcome.getKey(), outcome.getValue().deepCopy());
            }
        }
        return out;
    }

    // ---- the decision tree

    private record Leaf(boolean writable, boolean read, boolean write) {}

    /** One property of the model with the decisions for it (a leaf's own, an object's summed up). */
    private static final class Node implements Scope {
        final String path;
        final Map<String, Node> children;
        final boolean leaf;
        /** A leaf: whether the model lets anybody write it. An object: whether any leaf below is so. */
        final boolean writable;
        /** A leaf: may read. An object: some leaf below may be read. */
        final boolean read;
        /** Every leaf at and below may be read. */
        final boolean allRead;
        /** A leaf: may write. An object: every writable leaf below may be written, and there is one. */
        final boolean write;

        private Node(String path, Map<String, Node> children, boolean writable, boolean read, boolean write) {
            this.path = path;
            this.children = children;
            this.leaf = children.isEmpty();
            this.writable = writable;
            this.read = read;
            this.write = write;
            this.allRead = leaf ? read : children.values().stream().allMatch(child -> child.allRead);
        }

        static Node top(Map<String, Leaf> leaves) {
            Node top = build("", leaves, path -> true);
            return top == null ? new Node("", Map.of(), false, false, false) : top;
        }

        /** The tree below {@code prefix} from the leaves' decisions, keeping reads only where {@code selected}. */
        private static @Nullable Node build(String prefix, Map<String, Leaf> leaves, Predicate<String> selected) {
            Leaf own = leaves.get(prefix);
            if (own != null) {
                return new Node(prefix, Map.of(), own.writable, own.read && selected.test(prefix), own.write);
            }
            Map<String, Map<String, Leaf>> byChild = new LinkedHashMap<>();
            String start = prefix.isEmpty() ? "" : prefix + ".";
            leaves.forEach((path, leaf) -> {
                if (path.startsWith(start) && !path.equals(prefix)) {
                    int dot = path.indexOf('.', start.length());
                    String name = path.substring(start.length(), dot < 0 ? path.length() : dot);
                    byChild.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(path, leaf);
                }
            });
            if (byChild.isEmpty()) {
                return null;
            }
            Map<String, Node> children = new LinkedHashMap<>();
            byChild.forEach((name, below) -> {
                Node child = build(start + name, below, selected);
                if (child != null) {
                    children.put(name, child);
                }
            });
            boolean writable = children.values().stream().anyMatch(child -> child.writable);
            boolean read = children.values().stream().anyMatch(child -> child.read);
            boolean write = writable
                    && children.values().stream()
                            .filter(child -> child.writable)
                            .allMatch(child -> child.write);
            return new Node(prefix, Collections.unmodifiableMap(children), writable, read, write);
        }

        /** The same tree, reads kept only for leaves whose path {@code selected} accepts. */
        Node narrowed(Predicate<String> selected) {
            Map<String, Leaf> leaves = new LinkedHashMap<>();
            forEachLeaf(node -> leaves.put(node.path, new Leaf(node.writable, node.read, node.write)));
            Node top = build(path, leaves, selected);
            return top == null ? this : top;
        }

        private void forEachLeaf(Consumer<Node> action) {
            if (leaf) {
                action.accept(this);
            } else {
                children.values().forEach(child -> child.forEachLeaf(action));
            }
        }

        boolean anyLeaf(Predicate<Node> test) {
            return leaf ? test.test(this) : children.values().stream().anyMatch(child -> child.anyLeaf(test));
        }

        @Nullable
        Node at(String dottedPath) {
            Node node = this;
            int from = 0;
            while (node != null && from <= dottedPath.length()) {
                int dot = dottedPath.indexOf('.', from);
                int end = dot < 0 ? dottedPath.length() : dot;
                node = node.children.get(dottedPath.substring(from, end));
                from = end + 1;
            }
            return node;
        }

        @Override
        public @Nullable Scope child(@NotNull String key) {
            Node child = children.get(key);
            return child != null && child.read ? child : null;
        }

        @Override
        public boolean all() {
            return allRead;
        }

        @Override
        public boolean any() {
            return read;
        }

        /** The first refused leaf of a desired patch at this object, dotted; null when every one may be written. */
        @Nullable
        String firstUnwritable(JsonNode patch) {
            if (!patch.isObject()) {
                // null (withdraw all below) or a value where the model has an object: every writable leaf below.
                return firstRefusedLeaf();
            }
            for (Map.Entry<String, JsonNode> member : patch.properties()) {
                Node child = children.get(member.getKey());
                if (child == null) {
                    return (path.isEmpty() ? "" : path + ".") + member.getKey();
                }
                String refused =
                        child.leaf ? (child.write ? null : child.path) : child.firstUnwritable(member.getValue());
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        }

        private @Nullable String firstRefusedLeaf() {
            if (leaf) {
                return writable && !write ? path : null;
            }
            for (Node child : children.values()) {
                String refused = child.firstRefusedLeaf();
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        }
    }

    /** What a selection of an owner-level caller keeps: the paths asked for, no model needed. */
    private record Selected(String path, List<PathPattern> patterns) implements Scope {

        @Override
        public @Nullable Scope child(@NotNull String key) {
            Selected child = new Selected(path.isEmpty() ? key : path + "." + key, patterns);
            return child.any() ? child : null;
        }

        @Override
        public boolean all() {
            return patterns.stream().anyMatch(pattern -> pattern.relationTo(path) == PathPattern.Relation.COVERS);
        }

        @Override
        public boolean any() {
            return patterns.stream().anyMatch(pattern -> pattern.relationTo(path) != PathPattern.Relation.NONE);
        }
    }

    private static boolean anyMatches(List<PathPattern> patterns, String path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static void patterns(List<String> texts, List<PathPattern> into) {
        for (String text : texts) {
            // A stored grant was checked when made; one that no longer parses grants nothing.
            if (PathPattern.parse(text) instanceof Outcome.Ok<PathPattern> ok) {
                into.add(ok.value());
            }
        }
    }

    /** 403 {@code location: speaker-1 may not read location of car-1}, naming the path as the member asked it. */
    public static @NotNull Rejection refuseRead(@NotNull String member, @NotNull String path, @NotNull String target) {
        return Rejection.notAllowed(path + ": " + member + " may not read " + path + " of " + target);
    }

    /**
     * 403 {@code desired.cabin.heater.isOn: speaker-1 may not write it on car-1 (household read; a grant can allow
     * it)}, or {@code (its owner's only; ...)} for a leaf this access may not even read.
     */
    public @NotNull Rejection refuseWrite(@NotNull String member, @NotNull String leaf, @NotNull String target) {
        return Rejection.notAllowed("desired." + leaf + ": " + member + " may not write it on " + target
                + (mayRead(leaf)
                        ? " (household read; a grant can allow it)"
                        : " (its owner's only; a grant can allow it)"));
    }

    /** 403 {@code unlock: speaker-1 may not invoke it on car-1}. */
    public static @NotNull Rejection refuseInvoke(
            @NotNull String member, @NotNull String action, @NotNull String target) {
        return Rejection.notAllowed(action + ": " + member + " may not invoke it on " + target);
    }
}
