package dev.galley.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String SHA = "sha256:" + "a".repeat(64);

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "ubuntu, -, ubuntu, -, -",
            "ubuntu:22.04, -, ubuntu, 22.04, -",
            "library/ubuntu, -, library/ubuntu, -, -",
            "ghcr.io/org/app:v1, ghcr.io, org/app, v1, -",
            "localhost:5000/app, localhost:5000, app, -, -",
            "localhost/app, localhost, app, -, -",
            "registry.example.com:443/a/b/c, registry.example.com:443, a/b/c, -, -",
            "my-org/my_app__x.y, -, my-org/my_app__x.y, -, -",
            "a---b, -, a---b, -, -"})
    void parses_the_parts(String text, String registry, String path, String tag, String digest) {
        assertThat(ImageReference.parse(text)).isEqualTo(new ImageReference(registry, path, tag, digest));
    }

    @Test
    void digest_with_and_without_tag() {
        assertThat(ImageReference.parse("ubuntu@" + SHA).digest()).isEqualTo(SHA);
        ImageReference both = ImageReference.parse("ubuntu:22.04@" + SHA);
        assertThat(both.tag()).isEqualTo("22.04");
        assertThat(both.digest()).isEqualTo(SHA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Ubuntu", "ubuntu:", "ubuntu:-x", "ubuntu@sha256:abc", "ubuntu@md5:" + "a",
            "/ubuntu", "ubuntu/", "a//b", "a..b", "a_-b", "-a", "a-", "bad_host.com:99999/app", "-bad.com/app",
            "a b", "ghcr.io/Org/app", ":latest"})
    void rejects_invalid_references(String text) {
        assertThat(ImageReference.isValid(text)).isFalse();
        assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void name_longer_than_255_is_rejected() {
        assertThat(ImageReference.isValid("a".repeat(255))).isTrue();
        assertThat(ImageReference.isValid("a".repeat(256))).isFalse();
    }

    @Test
    void pull_reference_uses_the_tag_field_only_when_the_image_names_no_tag_or_digest() {
        assertThat(ImageReference.parse("ubuntu").pullReference("22.04")).isEqualTo("ubuntu:22.04");
        assertThat(ImageReference.parse("ubuntu").pullReference(null)).isEqualTo("ubuntu:latest");
        assertThat(ImageReference.parse("ubuntu:20.04").pullReference("22.04")).isEqualTo("ubuntu:20.04");
        assertThat(ImageReference.parse("ghcr.io/o/a@" + SHA).pullReference("latest")).isEqualTo("ghcr.io/o/a@" + SHA);
    }
}
