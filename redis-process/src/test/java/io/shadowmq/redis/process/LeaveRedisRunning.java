package io.shadowmq.redis.process;

import java.time.Duration;

/**
 * Run in a child JVM by {@link RedisServerProcessTest}: starts a server, prints its pid and exits without stopping
 * it, as a crashed test run would; only the shutdown hook stands between that server and an orphan.
 */
public final class LeaveRedisRunning {

    private LeaveRedisRunning() {}

    public static void main(String[] args) throws Exception {
        RedisServerProcess redis = RedisServerProcess.builder().build().start();
        System.out.println("PID " + RedisPing.serverPid(redis.host(), redis.port(), Duration.ofSeconds(2)));
        System.out.flush();
        System.exit(0);
    }
}
