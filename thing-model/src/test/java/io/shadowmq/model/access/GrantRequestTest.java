package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.shadowmq.model.access.AccessTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A grant as asked for: parsed with 422s naming the field, then checked against the target's model. */
class GrantRequestTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void aFullRequestIsRead() {
        GrantRequest request = parse("{'grantee':'speaker-1','target':'type:car','read':['range','doors.**'],"
                        + "'write':['cabin.heater.**'],'invoke':['honkAndFlash'],'expiresAt':" + (NOW + 1) + "}")
                .orElseThrow();

        assertThat(request)
                .isEqualTo(new GrantRequest(
                        "speaker-1",
                        "type:car",
                        List.of("range", "doors.**"),
                        List.of("cabin.heater.**"),
                        List.of("honkAndFlash"),
                        NOW + 1));
        assertThat(request.checkAgainst(CAR)).isEmpty();
        Grant grant = request.toGrant("g-1", Owner.of("alice"), NOW, "admin");
        assertThat(GrantJson.read(GrantJson.write(grant))).isEqualTo(grant);
        assertThat(GrantRequest.typeOf(request.target())).contains("car");
        assertThat(GrantRequest.typeOf(request.grantee())).isEmpty();
    }

    @Test
    void listsMayBeLeftOutAndExpiryIsOptional() {
        GrantRequest request = parse("{'grantee':'type:speaker','target':'car-1','write':['cabin.heater']}")
                .orElseThrow();

        assertThat(request.read()).isEmpty();
        assertThat(request.invoke()).isEmpty();
        assertThat(request.expiresAt()).isNull();
        assertThat(parse("{'grantee':'type:car','target':'type:car','read':['range']}")
                        .isOk())
                .isTrue();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'grantee':'speaker-1','target':'car-1','read':['range'],'reed':['x']}"
                        + "|reed: unknown field; a grant holds grantee, target, read, write, invoke and expiresAt",
                "{'target':'car-1','read':['range']}|grantee: missing; a thing id or type:<model>",
                "{'grantee':7,'target':'car-1','read':['range']}|grantee: must be a string; a thing id or type:<model>",
                "{'grantee':'speaker 1','target':'car-1','read':['range']}"
                        + "|grantee: 'speaker 1' is not a thing id or type:<model> (ids match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$)",
                "{'grantee':'speaker-1','target':'type:','read':['range']}"
                        + "|target: 'type:' is not a thing id or type:<model> (ids match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$)",
                "{'grantee':'speaker-1','target':'car-1'}"
                        + "|empty grant: name at least one path to read or write, or an action to invoke",
                "{'grantee':'speaker-1','target':'car-1','read':[],'write':null}"
                        + "|empty grant: name at least one path to read or write, or an action to invoke",
                "{'grantee':'speaker-1','target':'car-1','read':['range','doors..isOpen']}"
                        + "|read[1]: 'doors..isOpen' is not a path pattern (dotted property names, * for exactly one"
                        + " level, a last ** for everything below)",
                "{'grantee':'speaker-1','target':'car-1','read':'range'}|read: must be an array of path patterns",
                "{'grantee':'speaker-1','target':'car-1','write':[3]}|write[0]: must be a string",
                "{'grantee':'speaker-1','target':'car-1','invoke':['honk and flash']}"
                        + "|invoke[0]: 'honk and flash' is not an action name",
                "{'grantee':'speaker-1','target':'car-1','read':['range'],'expiresAt':1700000000000}"
                        + "|expiresAt: 1700000000000 is not in the future (now is 1700000000000)",
                "{'grantee':'speaker-1','target':'car-1','read':['range'],'expiresAt':'tomorrow'}"
                        + "|expiresAt: must be epoch milliseconds (a whole number)",
                "{'grantee':'car-1','target':'car-1','read':['range']}"
                        + "|target: 'car-1' is the grantee; a thing may always do everything on itself",
            })
    void badRequestsAre422NamingTheField(String body, String message) {
        assertThat(parse(body)).isEqualTo(Outcome.rejected(Rejection.modelViolation(message)));
    }

    @Test
    void aBodyThatIsNoObjectIs400() {
        assertThat(parse("['grantee']"))
                .isEqualTo(Outcome.rejected(Rejection.malformed("a grant must be a JSON object")));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'grantee':'speaker-1','target':'car-1','read':['range','locaton']}"
                        + "|read[1]: no property 'locaton' in model car",
                "{'grantee':'speaker-1','target':'car-1','write':['cabin.heeter']}"
                        + "|write[0]: no property 'cabin.heeter' in model car",
                "{'grantee':'speaker-1','target':'car-1','write':['range']}|write[0]: 'range' is readOnly",
                "{'grantee':'speaker-1','target':'car-1','write':['cabin.heater','doors.*.isOpen']}"
                        + "|write[1]: 'doors.*.isOpen' is readOnly",
                "{'grantee':'speaker-1','target':'car-1','invoke':['fly']}|invoke[0]: no action 'fly' in model car",
                "{'grantee':'speaker-1','target':'car-1','invoke':['unlock']}"
                        + "|invoke[0]: 'unlock' is critical: no grant lets a thing invoke it",
            })
    void requestsThatDoNotFitTheTargetModelAre422NamingTheField(String body, String message) {
        GrantRequest request = parse(body).orElseThrow();

        assertThat(request.checkAgainst(CAR)).contains(Rejection.modelViolation(message));
    }

    @Test
    void aWritePatternReachingSomeWritableLeafIsFine() {
        // doors.** holds readOnly isOpen and writable isLocked: the grant lets the locks be written.
        GrantRequest request = parse("{'grantee':'speaker-1','target':'car-1','write':['doors.**']}")
                .orElseThrow();

        assertThat(request.checkAgainst(CAR)).isEmpty();
        assertThat(Access.member(CAR, List.of(request.toGrant("g", Owner.of("alice"), NOW, "admin")))
                        .mayWrite("doors.trunk.isLocked"))
                .isTrue();
    }

    private static Outcome<GrantRequest> parse(String body) {
        JsonNode json = json(body);
        return GrantRequest.parse(json, NOW);
    }
}
