package io.shadowmq.store.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.RequestFingerprint;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.store.redis.StoredJson;

/**
 * A requester's clientToken on one update: the Redis key holding the first result of its request (in the thing's
 * slot) and the request's fingerprint, computed once per update and compared with the stored one.
 */
record TokenClaim(String token, String key, String fingerprint) {

    /** The answer to a request whose token already holds {@code stored}: a replay, or 409 for a different request. */
    UpdateOutcome verdict(String stored, UpdateRequest request) {
        if (stored.startsWith(fingerprint)) {
            return replayed(stored.substring(RequestFingerprint.LENGTH), request);
        }
        return new UpdateOutcome.Rejected(Rejection.clientTokenReused(token));
    }

    /** What the token keeps of an accepted update, to replay it to a repeat of its request. */
    static String replayRecord(UpdateOutcome.Accepted accepted) {
        ObjectNode record = SafeJson.object();
        record.set("previous", accepted.previous().toStoredJson());
        record.set("current", accepted.current().toStoredJson());
        record.set("state", accepted.request().state());
        return SafeJson.writeString(record);
    }

    private static UpdateOutcome replayed(String record, UpdateRequest retry) {
        JsonNode stored = StoredJson.read(record);
        ObjectNode state = (ObjectNode) stored.get("state");
        // The fingerprints matched: the retry's time-to-live and refusals are the first request's.
        UpdateRequest first = new UpdateRequest(
                state.path("reported"),
                state.path("desired"),
                retry.version(),
                retry.clientToken(),
                state,
                retry.ttlSeconds(),
                retry.rejectDesired());
        return new UpdateOutcome.Accepted(
                ShadowDocument.fromStoredJson(stored.get("previous")),
                ShadowDocument.fromStoredJson(stored.get("current")),
                first);
    }
}
