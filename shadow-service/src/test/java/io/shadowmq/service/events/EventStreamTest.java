package io.shadowmq.service.events;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-client logic without a network: a fake non-blocking output that the test opens and closes at will. */
class EventStreamTest {

    private static final ThingId CAR = ThingId.of("car-1");
    private static final Owner ALICE = Owner.of("alice");
    private static final EventSelection OF_CAR = new EventSelection.OfThing(CAR, ALICE);

    private final FakeOutput output = new FakeOutput();
    private final AtomicInteger overflows = new AtomicInteger();

    @Test
    void aClientThatStopsReadingIsDroppedOnceItsBufferIsFull() {
        SseConnection connection = connection(10);
        output.ready = false; // the client stopped reading

        for (int i = 1; i <= 10; i++) {
            assertThat(connection.send(frame(i))).isTrue();
        }
        boolean eleventh = connection.send(frame(11));

        assertThat(eleventh).isFalse();
        assertThat(connection.isClosed()).isTrue();
        assertThat(overflows).hasValue(1);
    }

    @Test
    void queuedFramesAreWrittenWhenTheClientCatchesUp() {
        SseConnection connection = connection(10);
        output.ready = false;
        connection.send(frame(1));
        connection.send(frame(2));
        assertThat(output.text()).isEmpty();

        output.becomeReady();

        assertThat(ids(output.text())).containsExactly("1-0", "2-0");
        assertThat(output.flushes).isPositive();
    }

    @Test
    void resumingSendsMissedEventsThenHeldBackLiveOnesWithoutDuplicates() {
        EventStream stream = new EventStream(OF_CAR, connection(100), 100, "5-0", null);

        stream.onLive(event("7-0"), SseFrames.event(event("7-0")).orElseThrow()); // arrives during the replay
        stream.onLive(event("8-0"), SseFrames.event(event("8-0")).orElseThrow());
        stream.onReplayed(List.of(event("4-0"), event("6-0"), event("7-0")));
        assertThat(ids(output.text())).containsExactly("6-0", "7-0");

        stream.replayDone();
        stream.onLive(event("9-0"), SseFrames.event(event("9-0")).orElseThrow());

        assertThat(ids(output.text())).containsExactly("6-0", "7-0", "8-0", "9-0");
    }

    @Test
    void aNewStreamSendsNoLiveEventCommittedBeforeItOpenedEvenIfItArrivesLate() {
        EventStream stream = new EventStream(OF_CAR, connection(100), 100, null, "5-0", null);

        stream.onLive(event("4-0"), SseFrames.event(event("4-0")).orElseThrow()); // still on its way when it opened
        stream.onLive(event("5-0"), SseFrames.event(event("5-0")).orElseThrow());
        stream.onLive(event("6-0"), SseFrames.event(event("6-0")).orElseThrow());

        assertThat(ids(output.text())).containsExactly("6-0");
    }

    @Test
    void idsCompareAsNumbersNotText() {
        assertThat(FeedIds.compare("999-0", "1000-0")).isNegative();
        assertThat(FeedIds.compare("1000-2", "1000-10")).isNegative();
        assertThat(FeedIds.compare("1000-10", "1000-10")).isZero();
    }

    @Test
    void aDeletedThingEndsItsStreamAfterItsLastEvent() {
        SseConnection connection = connection(100);
        EventStream stream = new EventStream(OF_CAR, connection, 100, null, null);
        FeedEvent deleted = new FeedEvent(
                "3-0",
                0,
                FeedEventKind.THING_DELETED,
                CAR,
                ALICE,
                0,
                SafeJson.object().put("timestamp", 5));

        stream.onLive(deleted, SseFrames.event(deleted).orElseThrow());

        assertThat(output.text()).contains("event: thing-deleted");
        assertThat(connection.isClosed()).isTrue();
    }

    private SseConnection connection(int capacity) {
        SseConnection connection = new SseConnection(output, Runnable::run, capacity, overflows::incrementAndGet);
        output.setWriteListener(connection);
        return connection;
    }

    private static FeedEvent event(String id) {
        return new FeedEvent(
                id,
                0,
                FeedEventKind.SHADOW_UPDATED,
                CAR,
                ALICE,
                1,
                SafeJson.object().put("timestamp", 1));
    }

    private static byte[] frame(int n) {
        return SseFrames.event(event(n + "-0")).orElseThrow();
    }

    private static List<String> ids(String text) {
        Matcher id = Pattern.compile("(?m)^id: (.+)$").matcher(text);
        return id.results().map(match -> match.group(1)).toList();
    }

    /** A servlet output in non-blocking mode whose readiness the test controls. */
    private static final class FakeOutput extends ServletOutputStream {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private WriteListener listener;
        boolean ready = true;
        int flushes;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            this.listener = writeListener;
        }

        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        void becomeReady() {
            ready = true;
            try {
                listener.onWritePossible();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }
}
