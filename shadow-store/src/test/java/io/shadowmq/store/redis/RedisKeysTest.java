package io.shadowmq.store.redis;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKeysTest {

    private static final ThingId WASHER = ThingId.of("washer-1");

    /** Redis Cluster hashes the first {...} of a key: the thing's, whatever the token holds. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        return key.substring(open + 1, key.indexOf('}', open + 1));
    }

    @Test
    void aClientTokenKeySharesTheShadowsClusterSlotWhateverTheTokenHolds() {
        String key = RedisKeys.clientToken(WASHER, Requester.apiKey("3f9a"), "{other-thing}:x");

        assertThat(hashTag(key)).isEqualTo(hashTag(RedisKeys.shadow(WASHER))).isEqualTo("washer-1");
    }

    @Test
    void twoRequestersNeverShareAClientTokenKey() {
        assertThat(RedisKeys.clientToken(WASHER, Requester.thing(ThingId.of("car-1")), "home-1"))
                .isNotEqualTo(RedisKeys.clientToken(WASHER, Requester.thing(ThingId.of("speaker-1")), "home-1"))
                .isNotEqualTo(RedisKeys.clientToken(WASHER, Requester.admin(), "home-1"));
        // The requester holds no second ':', so a token cannot be crafted to reach another requester's key.
        assertThat(RedisKeys.clientToken(WASHER, Requester.admin(), "x:y"))
                .isNotEqualTo(RedisKeys.clientToken(WASHER, Requester.apiKey("x"), "y"));
    }
}
