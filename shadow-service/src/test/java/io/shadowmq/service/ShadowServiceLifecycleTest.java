package io.shadowmq.service;

import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.service.auth.AdminToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShadowServiceLifecycleTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void closingEndsEventStreamsAndStopsWellWithinTheGracePeriod() throws Exception {
        ShadowService service = ShadowService.start(
                config().shutdownGrace(Duration.ofSeconds(5)).build());
        Api api = new Api(service.port(), ServiceExtension.ADMIN_TOKEN);
        String car = api.provision("car", "car", "alice");
        HttpResponse<InputStream> stream = api.client()
                .send(
                        HttpRequest.newBuilder(api.uri("/api/v1/things/" + car + "/events"))
                                .header("Authorization", "Bearer " + ServiceExtension.ADMIN_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<byte[]> streamed = CompletableFuture.supplyAsync(() -> {
            try (InputStream body = stream.body()) {
                return body.readAllBytes(); // returns when the server ends the stream
            } catch (Exception e) {
                return new byte[0];
            }
        });

        long started = System.nanoTime();
        service.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(streamed.get(5, TimeUnit.SECONDS)).asString().startsWith(":connected");
        assertThat(tookMillis)
                .as("open streams do not hold the stop for the whole grace period")
                .isLessThan(4000);
        assertThat(canConnect(service.port())).as("no longer listening").isFalse();
    }

    @Test
    void aTakenPortFailsTheStartNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> ShadowService.start(
                            config().httpPort(taken.getLocalPort()).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(":" + taken.getLocalPort());
        }
    }

    @Test
    void aGeneratedAdminTokenIsLongAndOnlyItsDigestMatches() {
        String token = AdminToken.generate();
        AdminToken admin = AdminToken.of(token);

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(admin.matches(token)).isTrue();
        assertThat(admin.matches(token + "x")).isFalse();
        assertThat(admin.toString()).doesNotContain(token);
    }

    private static ServiceConfig.Builder config() {
        return ServiceConfig.builder()
                .httpHost("127.0.0.1")
                .httpPort(0)
                .redisAddress(redis.uri())
                .pepper(ServiceExtension.PEPPER)
                .adminToken(ServiceExtension.ADMIN_TOKEN);
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}
