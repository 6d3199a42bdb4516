package io.shadowmq.model.shadow;

import io.shadowmq.model.access.PathPattern;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.shadowmq.model.shadow.TestJson.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** A get may name the paths its answer holds; a delete may not. */
class GetRequestTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();

    @Test
    void aGetWithPathsIsRead() {
        GetRequest request = ShadowRequests.parseGet(bytes("{'paths':['range','windows.**'],'clientToken':'t-1'}"))
                .orElseThrow();

        assertThat(request)
                .isEqualTo(new GetRequest("t-1", List.of(new PathPattern("range"), new PathPattern("windows.**"))));
        assertThat(request.selects()).isTrue();
        assertThat(request.checkAgainst(CAR)).isEmpty();
    }

    @Test
    void anEmptyPayloadOrOnlyATokenAsksForTheWholeDocument() {
        assertThat(ShadowRequests.parseGet(new byte[0]).orElseThrow()).isEqualTo(new GetRequest(null, List.of()));
        GetRequest tokenOnly =
                ShadowRequests.parseGet(bytes("{'clientToken':'t-2'}")).orElseThrow();
        assertThat(tokenOnly.selects()).isFalse();
        assertThat(tokenOnly.clientToken()).isEqualTo("t-2");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'paths':'range'}|paths: expected a non-empty array of path patterns (leave it out for the whole"
                        + " document), got string",
                "{'paths':[]}|paths: expected a non-empty array of path patterns (leave it out for the whole"
                        + " document), got an empty array",
                "{'paths':['range',1]}|paths[1]: expected a string, got number",
                "{'paths':['doors..isOpen']}|paths[0]: 'doors..isOpen' is not a path pattern (dotted property names,"
                        + " * for exactly one level, a last ** for everything below)",
                "{'path':['range']}|unknown key 'path': a get request may only hold clientToken and paths",
                "[1]|expected an empty payload or a JSON object, got array",
            })
    void malformedGetsAre400NamingWhatIsWrong(String payload, String message) {
        assertThat(ShadowRequests.parseGet(bytes(payload))).isEqualTo(Outcome.rejected(Rejection.malformed(message)));
    }

    @Test
    void aBadTokenIsRefusedAndCanBeSalvagedLikeElsewhere() {
        byte[] payload = bytes("{'clientToken':'t-3','paths':['a..b']}");

        assertThat(ShadowRequests.parseGet(payload).isOk()).isFalse();
        assertThat(ShadowRequests.salvageClientToken(payload)).contains("t-3");
    }

    @Test
    void tooManyPathsAreRefused() {
        String paths = "'range',".repeat(GetRequest.MAX_PATHS) + "'range'";

        assertThat(ShadowRequests.parseGet(bytes("{'paths':[" + paths + "]}")))
                .isEqualTo(Outcome.rejected(Rejection.malformed("paths: at most 64 paths, got 65")));
    }

    @Test
    void aDeleteWithPathsStaysA400() {
        assertThat(ShadowRequests.parseClientRequest(bytes("{'paths':['range']}")))
                .isEqualTo(Outcome.rejected(
                        Rejection.malformed("unknown key 'paths': a get or delete request may only hold clientToken")));
    }

    @Test
    void aPathNamingNothingInTheModelIs422() {
        GetRequest request =
                ShadowRequests.parseGet(bytes("{'paths':['range','locaton']}")).orElseThrow();

        assertThat(request.checkAgainst(CAR))
                .contains(Rejection.modelViolation("paths[1]: no property 'locaton' in model car"));
    }
}
