package io.shadowmq.service.things;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.registry.ProvisionedThing;
import io.shadowmq.store.registry.ThingPage;
import io.shadowmq.store.registry.ThingRecord;
import org.jetbrains.annotations.NotNull;

/**
 * The JSON of things on the REST API (docs/rest.md). Timestamps are epoch milliseconds; a presence time that never
 * happened is {@code null}.
 *
 * <pre>{@code
 * ThingJson.withPresence(record, status)
 * // {"thingId":"car-1","type":"car","owner":"alice","createdAt":1700000000000,"connected":true,
 * //  "lastConnectedAt":1700000100000,"lastDisconnectedAt":null}
 * }</pre>
 */
public final class ThingJson {

    private ThingJson() {}

    public static @NotNull ObjectNode summary(@NotNull ThingRecord thing) {
        ObjectNode json = SafeJson.object();
        json.put("thingId", thing.thingId().value());
        json.put("type", thing.type());
        json.put("owner", thing.owner().value());
        json.put("createdAt", thing.createdAt());
        return json;
    }

    public static @NotNull ObjectNode withPresence(@NotNull ThingRecord thing, @NotNull PresenceStatus presence) {
        ObjectNode json = summary(thing);
        json.put("connected", presence.connected());
        json.put("lastConnectedAt", presence.lastConnectedAt());
        json.put("lastDisconnectedAt", presence.lastDisconnectedAt());
        return json;
    }

    /** Provisioning and rotation: the only answers that carry the secret, which is never stored in clear. */
    public static @NotNull ObjectNode withSecret(@NotNull ProvisionedThing provisioned) {
        ObjectNode json = SafeJson.object();
        json.put("thingId", provisioned.thing().thingId().value());
        json.put("type", provisioned.thing().type());
        json.put("owner", provisioned.thing().owner().value());
        json.put("secret", provisioned.secret());
        return json;
    }

    public static @NotNull ObjectNode page(@NotNull ThingPage page) {
        ObjectNode json = SafeJson.object();
        ArrayNode items = json.putArray("items");
        page.items().forEach(thing -> items.add(summary(thing)));
        json.put("nextCursor", page.nextCursor());
        return json;
    }
}
