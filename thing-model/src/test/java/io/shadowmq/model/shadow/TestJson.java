package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Concrete documents for tests, written with single quotes so they read like the protocol docs. */
final class TestJson {

    private TestJson() {}

    static ObjectNode obj(String singleQuoted) {
        return (ObjectNode) node(singleQuoted);
    }

    static JsonNode node(String singleQuoted) {
        try {
            return SafeJson.read(singleQuoted.replace('\'', '"'));
        } catch (MalformedJsonException e) {
            throw new AssertionError("test JSON is broken: " + e.getMessage());
        }
    }

    static byte[] bytes(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    /** A valid update request from its payload; fails the test if the payload is invalid. */
    static UpdateRequest update(String singleQuotedPayload) {
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(bytes(singleQuotedPayload), ShadowLimits.DEFAULT);
        assertThat(parsed).isInstanceOf(Outcome.Ok.class);
        return ((Outcome.Ok<UpdateRequest>) parsed).value();
    }

    static UpdateOutcome.Accepted accepted(UpdateOutcome outcome) {
        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
        return (UpdateOutcome.Accepted) outcome;
    }

    static Rejection rejected(UpdateOutcome outcome) {
        assertThat(outcome).isInstanceOf(UpdateOutcome.Rejected.class);
        return ((UpdateOutcome.Rejected) outcome).rejection();
    }

    static Rejection invalid(Outcome<?> parsed) {
        assertThat(parsed).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<?>) parsed).rejection();
    }
}
