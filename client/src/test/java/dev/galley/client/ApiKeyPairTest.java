package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyPairTest {

    @Test
    void parsesPublicColonSecret() {
        ApiKeyPair pair = ApiKeyPair.parse("  pk_abc123:sk_def:456 \n");
        assertThat(pair.publicKey()).isEqualTo("pk_abc123");
        // Only the first ':' separates; the secret is everything after it.
        assertThat(pair.secretKey()).isEqualTo("sk_def:456");
    }

    @Test
    void toStringHidesTheSecret() {
        assertThat(ApiKeyPair.parse("pk_abc:sk_topsecret").toString()).contains("pk_abc").doesNotContain("topsecret");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                       | empty",
            "'   '                    | empty",
            "pk_abc                   | no ':'",
            "sk_only_secret_value     | only a secret key",
            "sk_secret:pk_public      | secret key first",
            "abc:sk_secret            | public key must start with pk_",
            "pk_:sk_secret            | public key must start with pk_",
            "pk_abc:secret            | secret key must start with sk_",
            "pk_abc:                  | secret key must start with sk_",
            "pk_abc:sk_                | secret key must start with sk_",
            "pk_a b:sk_secret         | must not contain spaces",
            "pk_ab:sk_sec ret         | must not contain spaces"})
    void explainsWhatIsWrongWithoutEchoingTheSecret(String text, String expected) {
        assertThatThrownBy(() -> ApiKeyPair.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret_value", "sec ret"));
    }

    @Test
    void nullIsEmpty() {
        assertThatThrownBy(() -> ApiKeyPair.parse(null)).hasMessageContaining("empty");
    }
}
