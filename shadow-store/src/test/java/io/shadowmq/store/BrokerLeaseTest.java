package io.shadowmq.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BrokerLeaseContract} on one Redis server. */
class BrokerLeaseTest extends BrokerLeaseContract {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    @Override
    ShadowStore store() {
        return redis.store();
    }
}
