package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What filtering one delivery costs the broker: {@link SubscriberFilter#prune} (read the payload, prune it to a
 * speaker's access to the car, write it again) on an {@code update/documents} payload of a reported car (about
 * 2 KiB, the location in it), against a delivery the filter leaves alone. Single-threaded, after a warm-up, in CPU
 * time of the measuring thread; prints the figures for
 * docs/protocol.md ("Who sees what") and docs/benchmarks.md. About 20 s.
 * <pre>{@code
 * ./mvnw -o -q -pl extension -am verify -Dexcluded.test.groups=none -Dtest=SubscriberFilterCostSlowTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
 * }</pre>
 */
@Tag("slow")
class SubscriberFilterCostSlowTest {

    private static final int WARM_UP = 50_000;
    private static final int DELIVERIES = 200_000;

    @Test
    void filteringADocumentsDeliveryCostsMicroseconds() throws Exception {
        ThingModel car = ThingModels.bundled().get("car").orElseThrow();
        Access speaker = Access.member(car, List.of());
        byte[] payload = documents();
        assertThat(payload.length).isBetween(1_800, 2_600);
        Optional<byte[]> once = SubscriberFilter.prune(speaker, false, ByteBuffer.wrap(payload));
        assertThat(once).isPresent();
        String pruned = new String(once.get(), StandardCharsets.UTF_8);
        assertThat(pruned).doesNotContain("location").contains("\"range\":312");

        double filtered = nanosPerDelivery(() -> SubscriberFilter.prune(speaker, false, ByteBuffer.wrap(payload)));
        // Left alone: what SubscriberFilter does for a delivery to the thing itself or a member reading everything.
        double untouched = nanosPerDelivery(() -> SubscriberFilter.stateTopicOf("things/car-1/shadow/update/documents")
                .filter(thing -> !Access.FULL.readsEverything()));

        System.out.printf(
                "FILTER-COST payload=%d B prunedTo=%d B deliveries=%d filtered=%.1f us CPU/delivery (%.0f/s on one core) "
                        + "untouched=%.3f us CPU/delivery cores=%d java=%s%n",
                payload.length,
                once.get().length,
                DELIVERIES,
                filtered / 1_000,
                1e9 / filtered,
                untouched / 1_000,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        assertThat(filtered).isGreaterThan(untouched);
    }

    /**
     * CPU time of this thread per delivery (not wall time: the machine is shared, and a thread waiting for a core
     * costs the broker nothing).
     */
    private static double nanosPerDelivery(java.util.function.Supplier<Optional<?>> delivery) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < WARM_UP; i++) {
            sink += delivery.get().isPresent() ? 1 : 0;
        }
        long started = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < DELIVERIES; i++) {
            sink += delivery.get().isPresent() ? 1 : 0;
        }
        long elapsed = threads.getCurrentThreadCpuTime() - started;
        assertThat(sink).isGreaterThanOrEqualTo(0);
        return (double) elapsed / DELIVERIES;
    }

    /**
     * An {@code update/documents} payload of a car that reports most of its state (all but the doors, to stay near
     * 2 KiB), as the change feed carries it.
     */
    private static byte[] documents() throws Exception {
        String reported = """
                {"range":312,"fuel":{"level":61.5},
                 "windows":{"frontLeft":{"isOpen":false},"frontRight":{"isOpen":false},
                            "rearLeft":{"isOpen":true},"rearRight":{"isOpen":false}},
                 "exteriorTemperature":3.5,
                 "location":{"latitude":48.1374,"longitude":11.5755},
                 "cabin":{"temperature":4.5,"heater":{"isOn":false,"targetTemperature":21}}}""";
        JsonNode state = SafeJson.read(reported.getBytes(StandardCharsets.UTF_8));
        ObjectNode documents = SafeJson.object();
        documents.set("previous", document(state, 6, 1_732_550_000_000L));
        documents.set("current", document(state, 7, 1_732_550_060_000L));
        documents.put("timestamp", 1_732_550_060_000L);
        return SafeJson.write(documents);
    }

    private static ObjectNode document(JsonNode reported, long version, long at) {
        ObjectNode document = SafeJson.object();
        ObjectNode state = document.putObject("state");
        state.set("reported", reported.deepCopy());
        state.putObject("desired");
        ObjectNode metadata = document.putObject("metadata");
        metadata.set("reported", timestamps(reported, at));
        metadata.putObject("desired");
        document.put("version", version);
        document.putObject("desiredOutcomes");
        return document;
    }

    private static JsonNode timestamps(JsonNode state, long at) {
        ObjectNode out = SafeJson.object();
        state.properties()
                .forEach(member -> out.set(
                        member.getKey(),
                        member.getValue().isObject()
                                ? timestamps(member.getValue(), at)
                                : SafeJson.object().put("timestamp", at)));
        return out;
    }
}
