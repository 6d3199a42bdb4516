package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyTest {

    @Test
    void repliesWithTheSameBytesAreEqualWhicheverArrayHoldsThem() {
        byte[] text = "shadowmq_up 1\n".getBytes(StandardCharsets.UTF_8);

        Reply one = Reply.raw(200, "text/plain", text);
        Reply other = Reply.raw(200, "text/plain", text.clone());

        assertThat(one).isEqualTo(other).hasSameHashCodeAs(other);
        assertThat(one).isNotEqualTo(Reply.raw(200, "text/plain", "shadowmq_up 0\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Reply.noContent()).isEqualTo(Reply.noContent()).isNotEqualTo(one);
    }

    @Test
    void toStringGivesTheBodysSizeNeverItsContentWhichMayHoldANewSecret() {
        ObjectNode provisioned = JsonNodeFactory.instance.objectNode().put("secret", "s3cr3t-just-issued");

        String printed = Reply.created(provisioned).toString();

        assertThat(printed).doesNotContain("s3cr3t").contains("status=201").containsPattern("body=\\d+ bytes");
    }
}
