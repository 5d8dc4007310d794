package dev.galley.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshPublicKeyTest {
    private static String blob(String type, int keyBytes) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + t.length + 4 + keyBytes);
        b.putInt(t.length).put(t).putInt(keyBytes);
        return Base64.getEncoder().encodeToString(b.array());
    }

    @Test
    void accepts_real_key_lines_with_and_without_comment() {
        assertThat(SshPublicKey.problem(SpecFixtures.ED25519_KEY)).isNull();
        assertThat(SshPublicKey.isValid("ssh-ed25519 " + blob("ssh-ed25519", 32))).isTrue();
        assertThat(SshPublicKey.isValid("ssh-rsa " + blob("ssh-rsa", 256) + " me@host with spaces")).isTrue();
        assertThat(SshPublicKey.isValid("  ecdsa-sha2-nistp256 " + blob("ecdsa-sha2-nistp256", 65) + "  ")).isTrue();
    }

    @Test
    void type_word_must_match_the_blob() {
        assertThat(SshPublicKey.problem("ssh-rsa " + blob("ssh-ed25519", 32))).contains("ssh-ed25519").contains("ssh-rsa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "ssh-ed25519", "ssh-foo AAAA", "ssh-ed25519 !!!notbase64",
            "ssh-ed25519 AAAA", "-----BEGIN OPENSSH PRIVATE KEY-----", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"})
    void rejects_what_is_not_a_public_key_line(String line) {
        assertThat(SshPublicKey.problem(line)).isNotNull();
    }

    @Test
    void rejects_several_lines_and_null() {
        assertThat(SshPublicKey.problem(SpecFixtures.ED25519_KEY + "\n" + SpecFixtures.ED25519_KEY)).contains("single line");
        assertThat(SshPublicKey.isValid(null)).isFalse();
    }
}
