package io.shadowmq.platform.demo;

import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a {@link ScratchDir} with a secret in it until the JVM is stopped; prints its path first. */
public final class ScratchDirHolder {

    private ScratchDirHolder() {}

    public static void main(String[] args) throws Exception {
        ScratchDir scratch = ScratchDir.create("shadowmq-demo-");
        Files.writeString(scratch.path().resolve("admin-token"), "smq_admin_secret\n");
        System.out.println(scratch.path());
        System.out.flush();
        // Until the test stops this JVM (SIGTERM); it gives up on its own after two minutes.
        new CountDownLatch(1).await(2, TimeUnit.MINUTES);
    }
}
