package io.shadowmq.store.registry;

import io.shadowmq.store.Pepper;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretHasherTest {

    private final SecretHasher hasher = new SecretHasher(Pepper.parse("pepper-one-sixteen+"));

    @Test
    void secretsCarry256RandomBitsInBase64Url() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            secrets.add(hasher.newSecret());
        }
        assertThat(secrets).hasSize(100).allMatch(secret -> secret.matches("^[A-Za-z0-9_-]{43}$"));
    }

    @Test
    void aHashMatchesOnlyItsOwnSecretSubjectAndPurpose() {
        String stored = hasher.hash("thing", "car-1", "s3cret");

        assertThat(stored).doesNotContain("s3cret").hasSize(64);
        assertThat(hasher.matches("thing", "car-1", "s3cret", stored)).isTrue();
        assertThat(hasher.matches("thing", "car-1", "s3creT", stored)).isFalse();
        assertThat(hasher.matches("thing", "car-2", "s3cret", stored)).isFalse();
        assertThat(hasher.matches("apikey", "car-1", "s3cret", stored)).isFalse();
    }

    @Test
    void anotherPepperGivesAnotherHash() {
        SecretHasher other = new SecretHasher(Pepper.parse("another-pepper-16b"));

        assertThat(other.hash("thing", "car-1", "s3cret")).isNotEqualTo(hasher.hash("thing", "car-1", "s3cret"));
    }
}
