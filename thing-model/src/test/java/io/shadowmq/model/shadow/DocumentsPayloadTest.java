package io.shadowmq.model.shadow;

import org.junit.jupiter.api.Test;

import static io.shadowmq.model.shadow.TestJson.update;
import static org.assertj.core.api.Assertions.assertThat;

class DocumentsPayloadTest {

    @Test
    void aDocumentsPayloadReadsBackIntoTheDocumentsItWasMadeOf() {
        ShadowDocument previous = ((UpdateOutcome.Accepted) ShadowAlgebra.apply(
                        ShadowDocument.empty(0),
                        update("{'state':{'reported':{'volume':3}}}"),
                        1_000,
                        ShadowLimits.DEFAULT))
                .current();
        UpdateOutcome.Accepted accepted = (UpdateOutcome.Accepted) ShadowAlgebra.apply(
                previous, update("{'state':{'desired':{'volume':7}}}"), 2_000, ShadowLimits.DEFAULT);

        DocumentsPayload read = DocumentsPayload.read(ShadowPayloads.documents(previous, accepted.current(), 2_000));

        assertThat(read.previous().version()).isEqualTo(1);
        assertThat(read.current().version()).isEqualTo(2);
        assertThat(read.current().desired()).isEqualTo(accepted.current().desired());
        assertThat(read.deltaChanged()).isTrue().isEqualTo(accepted.deltaChanged());
        assertThat(read.timestamp()).isEqualTo(2_000);
    }
}
