package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectCredentialsTest {

    private static final Optional<ByteBuffer> SECRET = password("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I");

    @Test
    void thingIdAsClientIdAndUserNameWithASecretIsWellFormed() {
        ConnectCredentials.Form form = ConnectCredentials.check("car-1", Optional.of("car-1"), SECRET);

        assertThat(form).isInstanceOfSatisfying(ConnectCredentials.WellFormed.class, wellFormed -> {
            assertThat(wellFormed.thing()).isEqualTo(ThingId.of("car-1"));
            assertThat(new String(wellFormed.secret(), StandardCharsets.UTF_8))
                    .isEqualTo("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I");
        });
    }

    @Test
    void sixtyFourCharacterThingIdIsTheLongestAccepted() {
        String longest = "x" + "1234567890".repeat(6) + "123";

        assertThat(longest).hasSize(64);
        assertThat(ConnectCredentials.check(longest, Optional.of(longest), SECRET))
                .isInstanceOf(ConnectCredentials.WellFormed.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bad/id",
                "",
                "-car",
                "car 1",
                "car+1",
                "car#1",
                "$car",
                "a\u0000b",
                "x1234567890123456789012345678901234567890123456789012345678901234"
            }) // 65 characters
    void clientIdThatIsNoThingIdIsRefusedAsInvalidClientIdentifier(String clientId) {
        ConnectCredentials.Form form = ConnectCredentials.check(clientId, Optional.of(clientId), SECRET);

        assertThat(form)
                .isEqualTo(new ConnectCredentials.Malformed(
                        ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "client identifier must be the thing id: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    }

    @Test
    void missingOrDifferentUserNameIsRefusedAsBadUserName() {
        ConnectCredentials.Malformed expected = new ConnectCredentials.Malformed(
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                "user name must equal the client identifier (the thing id)");

        assertThat(ConnectCredentials.check("car-1", Optional.empty(), SECRET)).isEqualTo(expected);
        assertThat(ConnectCredentials.check("car-1", Optional.of("car-2"), SECRET))
                .isEqualTo(expected);
        assertThat(ConnectCredentials.check("car-1", Optional.of("CAR-1"), SECRET))
                .isEqualTo(expected);
    }

    @Test
    void missingOrEmptyPasswordIsRefusedAsBadPassword() {
        ConnectCredentials.Malformed expected = new ConnectCredentials.Malformed(
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "password must be the thing's secret");

        assertThat(ConnectCredentials.check("car-1", Optional.of("car-1"), Optional.empty()))
                .isEqualTo(expected);
        assertThat(ConnectCredentials.check("car-1", Optional.of("car-1"), password("")))
                .isEqualTo(expected);
    }

    @Test
    void passwordLongerThanOneKibibyteIsRefusedBeforeAnyHashing() {
        assertThat(ConnectCredentials.check("car-1", Optional.of("car-1"), password("x".repeat(1024))))
                .isInstanceOf(ConnectCredentials.WellFormed.class);
        assertThat(ConnectCredentials.check("car-1", Optional.of("car-1"), password("x".repeat(1025))))
                .isEqualTo(new ConnectCredentials.Malformed(
                        ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "password is too long"));
    }

    @Test
    void readingTheSecretLeavesTheBrokersBufferUntouched() {
        ByteBuffer buffer =
                ByteBuffer.wrap("secret".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();

        ConnectCredentials.check("car-1", Optional.of("car-1"), Optional.of(buffer));

        assertThat(buffer.position()).isZero();
        assertThat(buffer.remaining()).isEqualTo(6);
    }

    @Test
    void reasonsNeverEchoTheClientsInput() {
        ConnectCredentials.Form form = ConnectCredentials.check("evil/<script>", Optional.of("x"), SECRET);

        assertThat(((ConnectCredentials.Malformed) form).reason())
                .doesNotContain("evil")
                .doesNotContain("script");
    }

    @Test
    void wellFormedToStringHidesTheSecret() {
        ConnectCredentials.Form form = ConnectCredentials.check("car-1", Optional.of("car-1"), password("hunter2"));

        assertThat(form.toString()).doesNotContain("hunter2").contains("7 bytes");
    }

    @Test
    void wellFormedToStringIsTheThingAndTheSecretsLengthOnly() {
        ConnectCredentials.Form form = ConnectCredentials.check("car-1", Optional.of("car-1"), password("hunter2"));

        assertThat(form).hasToString("WellFormed[thing=car-1, secret=7 bytes]");
    }

    @Test
    void wellFormedCredentialsAreEqualByTheSecretsBytesNotByTheArray() {
        ConnectCredentials.Form once = ConnectCredentials.check("car-1", Optional.of("car-1"), password("hunter2"));
        ConnectCredentials.Form again = ConnectCredentials.check("car-1", Optional.of("car-1"), password("hunter2"));

        assertThat(once).isEqualTo(again).hasSameHashCodeAs(again);
        assertThat(once)
                .isNotEqualTo(ConnectCredentials.check("car-1", Optional.of("car-1"), password("hunter3")))
                .isNotEqualTo(ConnectCredentials.check("car-2", Optional.of("car-2"), password("hunter2")));
    }

    private static Optional<ByteBuffer> password(String text) {
        return Optional.of(
                ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }
}
