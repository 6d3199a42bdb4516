package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.shadowmq.model.schema.Section;
import org.junit.jupiter.api.Test;

import static io.shadowmq.model.shadow.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateRequestTest {

    @Test
    void ofBuildsTheEchoedStateFromTheSectionsThatArePresent() {
        UpdateRequest request = UpdateRequest.of(MissingNode.getInstance(), obj("{'volume':7}"), 3L, "t-1");

        assertThat(request.state()).isEqualTo(obj("{'desired':{'volume':7}}"));
        assertThat(request.touches(Section.REPORTED)).isFalse();
        assertThat(request.patch(Section.DESIRED)).contains(obj("{'volume':7}"));
    }

    @Test
    void aClearedSectionIsEchoedAsNull() {
        UpdateRequest request = UpdateRequest.of(NullNode.getInstance(), MissingNode.getInstance(), null, null);

        assertThat(request.state()).isEqualTo(obj("{'reported':null}"));
        assertThat(request.clears(Section.REPORTED)).isTrue();
    }

    @Test
    void theRequestKeepsItsOwnCopyOfThePatch() {
        ObjectNode patch = obj("{'volume':7}");
        UpdateRequest request = UpdateRequest.of(patch, MissingNode.getInstance(), null, null);

        patch.put("volume", 11);

        assertThat(request.reported()).isEqualTo(obj("{'volume':7}"));
        assertThat(request.state()).isEqualTo(obj("{'reported':{'volume':7}}"));
    }

    @Test
    void aStateThatDoesNotMatchTheSectionsIsABug() {
        assertThatThrownBy(() -> new UpdateRequest(
                        obj("{'volume':7}"), MissingNode.getInstance(), null, null, obj("{'reported':{'volume':8}}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSectionThatIsNeitherMissingNullNorAnObjectIsABug() {
        assertThatThrownBy(() -> UpdateRequest.of(TextNode.valueOf("on"), MissingNode.getInstance(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reported must be missing, null or an object, was string");
    }

    @Test
    void anInvalidTokenOrVersionIsABug() {
        assertThatThrownBy(() -> UpdateRequest.of(obj("{}"), MissingNode.getInstance(), -1L, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UpdateRequest.of(obj("{}"), MissingNode.getInstance(), null, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRequest("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    }
}
