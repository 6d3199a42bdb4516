package io.shadowmq.platform.nodes;

import io.shadowmq.service.ShadowServiceMain;

/**
 * A REST service node's JVM ({@link ServiceProcess} starts it): the shadow service's own main, configured from the
 * environment ({@code SHADOWMQ_HTTP_PORT}, {@code SHADOWMQ_REDIS_ADDRESS}, {@code SHADOWMQ_PEPPER},
 * {@code SHADOWMQ_ADMIN_TOKEN}, ...), that also ends with the JVM that started it.
 */
public final class ServiceNodeMain {

    private ServiceNodeMain() {}

    public static void main(String[] args) {
        ParentWatch.exitWhenParentGoes();
        ShadowServiceMain.main(args);
    }
}
