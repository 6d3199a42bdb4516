package io.shadowmq.sdk.internal;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.UpdateAccepted;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

class ReportBufferTest {

    @Test
    void reportsWhileOfflineBecomeOneUpdateWithEveryFutureAttached() {
        // given
        ReportBuffer buffer = new ReportBuffer(32 * 1024);
        CompletableFuture<UpdateAccepted> first = new CompletableFuture<>();
        CompletableFuture<UpdateAccepted> second = new CompletableFuture<>();
        CompletableFuture<UpdateAccepted> third = new CompletableFuture<>();

        // when
        buffer.add(obj("{'range':300,'fuel':{'level':50.0}}"), first);
        buffer.add(obj("{'range':295}"), second);
        buffer.add(obj("{'fuel':{'level':49.5},'cabin':{'temperature':3.0}}"), third);

        // then
        ReportBuffer.Batch batch = buffer.poll().orElseThrow();
        assertThat(batch.patch()).isEqualTo(obj("{'range':295,'fuel':{'level':49.5},'cabin':{'temperature':3.0}}"));
        assertThat(batch.waiters()).containsExactly(first, second, third);
        assertThat(buffer.poll()).isEmpty();
        assertThat(buffer.sizeBytes()).isZero();
    }

    @Test
    void aReportThatWouldOverflowTheBufferIsRefusedAndTheBufferIsUnchanged() {
        // given: room for about 40 bytes
        ReportBuffer buffer = new ReportBuffer(40);
        buffer.add(obj("{'name':'0123456789'}"), new CompletableFuture<>());
        int before = buffer.sizeBytes();

        // when
        boolean added = buffer.add(obj("{'other':'0123456789012345678901234567890'}"), new CompletableFuture<>());

        // then
        assertThat(added).isFalse();
        assertThat(buffer.sizeBytes()).isEqualTo(before);
        assertThat(buffer.poll().orElseThrow().patch()).isEqualTo(obj("{'name':'0123456789'}"));
    }

    @Test
    void overwritingAValueDoesNotUseUpTheBuffer() {
        // given
        ReportBuffer buffer = new ReportBuffer(64);

        // when: a thousand reports of the same property
        for (int i = 0; i < 1000; i++) {
            assertThat(buffer.add(obj("{'temperature':" + i + "}"), new CompletableFuture<>()))
                    .isTrue();
        }

        // then
        assertThat(buffer.sizeBytes()).isEqualTo(SafeJson.write(obj("{'temperature':999}")).length);
    }

    @Test
    void patchesThatCannotBeComposedWaitAsASecondUpdateInOrder() {
        // given
        ReportBuffer buffer = new ReportBuffer(1024);
        buffer.add(obj("{'doors':null}"), new CompletableFuture<>());

        // when
        buffer.add(obj("{'doors':{'trunk':{'isOpen':true}}}"), new CompletableFuture<>());
        buffer.add(obj("{'range':10}"), new CompletableFuture<>());

        // then
        assertThat(buffer.patches())
                .containsExactly(obj("{'doors':null}"), obj("{'doors':{'trunk':{'isOpen':true}},'range':10}"));
    }

    @Test
    void clearHandsBackEveryWaitingFuture() {
        ReportBuffer buffer = new ReportBuffer(1024);
        CompletableFuture<UpdateAccepted> a = new CompletableFuture<>();
        CompletableFuture<UpdateAccepted> b = new CompletableFuture<>();
        buffer.add(obj("{'x':null}"), a);
        buffer.add(obj("{'x':{'y':1}}"), b);

        assertThat(buffer.clear()).containsExactly(a, b);
        assertThat(buffer.isEmpty()).isTrue();
    }
}
