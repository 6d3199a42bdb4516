package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;

/** Concrete JSON for tests, written with single quotes so it reads like docs/protocol.md. */
public final class TestJson {

    private TestJson() {}

    public static ObjectNode obj(String singleQuoted) {
        return (ObjectNode) node(singleQuoted);
    }

    public static JsonNode node(String singleQuoted) {
        try {
            return SafeJson.read(singleQuoted.replace('\'', '"'));
        } catch (MalformedJsonException e) {
            throw new AssertionError("test JSON is broken: " + e.getMessage());
        }
    }

    public static JsonNode read(byte[] payload) {
        try {
            return SafeJson.read(payload);
        } catch (MalformedJsonException e) {
            throw new AssertionError("payload is not JSON: " + e.getMessage());
        }
    }
}
