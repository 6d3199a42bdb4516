package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Copying and comparing state trees the way the shadow algebra needs it. Jackson's own {@code equals} tells
 * {@code 20} from {@code 20.0} and an {@code IntNode} from a {@code LongNode} of the same value; a shadow must not.
 */
final class StateTrees {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StateTrees() {}

    /**
     * A deep copy in normal form: object members that are {@code null} and objects that are empty are dropped
     * (under merge-patch semantics neither carries information), numbers are canonical (see
     * {@link #canonicalCopy}). Arrays are values: their elements are copied as they are.
     */
    static @NotNull ObjectNode normalizedCopy(@NotNull ObjectNode state) {
        ObjectNode copy = NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : state.properties()) {
            JsonNode value = member.getValue();
            if (value.isNull() || value.isMissingNode()) {
                continue;
            }
            if (value.isObject()) {
                ObjectNode child = normalizedCopy((ObjectNode) value);
                if (!child.isEmpty()) {
                    copy.set(member.getKey(), child);
                }
            } else {
                copy.set(member.getKey(), canonicalCopy(value));
            }
        }
        return copy;
    }

    /**
     * A deep copy in which every integer is an {@code IntNode} when it fits 32 bits and a {@code LongNode} when it
     * fits 64, and every other number a {@code DoubleNode} - the node types {@code SafeJson.read} produces - so that
     * a value equals itself after a trip through JSON text.
     */
    static @NotNull JsonNode canonicalCopy(@NotNull JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Map.Entry<String, JsonNode> member : value.properties()) {
                copy.set(member.getKey(), canonicalCopy(member.getValue()));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = NODES.arrayNode(value.size());
            for (JsonNode element : value) {
                copy.add(canonicalCopy(element));
            }
            return copy;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            long number = value.longValue();
            return number == (int) number ? IntNode.valueOf((int) number) : LongNode.valueOf(number);
        }
        if (value.isFloatingPointNumber() && !value.isDouble()) {
            return DoubleNode.valueOf(value.doubleValue());
        }
        // Strings, booleans, null, doubles and integers beyond 64 bits are immutable nodes: sharing them is safe.
        return value;
    }

    /**
     * Deep equality in which numbers compare by value ({@code 20 == 20.0}) and object member order does not
     * matter. This is how the delta decides that a desired leaf is already reported.
     */
    static boolean sameValue(@NotNull JsonNode a, @NotNull JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return sameNumber(a, b);
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> member : a.properties()) {
                JsonNode other = b.get(member.getKey());
                if (other == null || !sameValue(member.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean sameNumber(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.bigIntegerValue().equals(b.bigIntegerValue());
        }
        double da = a.doubleValue();
        double db = b.doubleValue();
        if (!Double.isFinite(da) || !Double.isFinite(db)) {
            return da == db;
        }
        // Exact: a double is never "equal" to a long it merely rounds to (2^53 + 1 != 2^53).
        return toDecimal(a).compareTo(toDecimal(b)) == 0;
    }

    private static BigDecimal toDecimal(JsonNode number) {
        return number.isDouble() || number.isFloat() ? new BigDecimal(number.doubleValue()) : number.decimalValue();
    }

    /** How many containers (objects and arrays) the deepest path through {@code value} passes, itself included. */
    static int depth(@NotNull JsonNode value) {
        if (!value.isContainerNode()) {
            return 0;
        }
        int deepestChild = 0;
        for (JsonNode child : value) {
            deepestChild = Math.max(deepestChild, depth(child));
        }
        return 1 + deepestChild;
    }

    /** The JSON type of a node as a user would name it, for messages: {@code expected an object, got string}. */
    static @NotNull String typeName(@NotNull JsonNode value) {
        switch (value.getNodeType()) {
            case OBJECT:
                return "object";
            case ARRAY:
                return "array";
            case STRING:
                return "string";
            case NUMBER:
                return "number";
            case BOOLEAN:
                return "boolean";
            case NULL:
                return "null";
            default:
                return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
