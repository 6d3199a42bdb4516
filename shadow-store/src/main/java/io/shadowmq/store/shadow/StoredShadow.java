package io.shadowmq.store.shadow;

import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.store.redis.StoredJson;

import java.util.List;

/**
 * What Redis holds for one thing, as far as updating its shadow is concerned, and when (on the store's monotonic
 * clock, as the read or commit that learned it was sent).
 */
record StoredShadow(String type, Owner owner, ShadowDocument document, boolean exists, long observedAt) {

    /** Orders a thing's states: versions only grow, and deleting keeps the version, so a deletion ranks just after it. */
    static long rank(long version, boolean exists) {
        return version * 2 + (exists ? 0 : 1);
    }

    long rank() {
        return rank(document.version(), exists);
    }

    /** Reads {@code type, owner, version, doc or ''} as the scripts answer them. */
    static StoredShadow parse(List<Object> fields, long observedAt) {
        String type = fields.get(0).toString();
        Owner owner = Owner.of(fields.get(1).toString());
        long version = Long.parseLong(fields.get(2).toString());
        String doc = fields.get(3).toString();
        return doc.isEmpty()
                ? new StoredShadow(type, owner, ShadowDocument.empty(version), false, observedAt)
                : new StoredShadow(type, owner, ShadowDocument.fromStoredJson(StoredJson.read(doc)), true, observedAt);
    }
}
