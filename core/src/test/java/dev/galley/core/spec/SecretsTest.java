package dev.galley.core.spec;

import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private final JobSpecValidator validator = new JobSpecValidator(SpecFixtures.catalog());

    private ObjectNode specWithSecrets() {
        ObjectNode spec = SpecFixtures.batchSpec();
        SpecFixtures.container(spec).put("secret", "registry-pw").put("user", "bot")
                .set("volumes", json("""
                        [{"image": "a", "mount": "/a", "secret": "vol0-pw"},
                         {"image": "b", "mount": "/b"},
                         {"image": "c", "mount": "/c", "secret": "vol2-pw"}]"""));
        SpecFixtures.container(spec).set("env", json("{\"TOKEN\": \"tok\"}"));
        return validator.validate(spec);
    }

    @Test
    void standard_pointers_are_the_non_null_registry_credentials_user_included() {
        assertThat(Secrets.standardSecretPointers(specWithSecrets())).containsExactly(
                "/parameters/parameters/user", "/parameters/parameters/secret",
                "/parameters/parameters/volumes/0/secret", "/parameters/parameters/volumes/2/secret");
        assertThat(Secrets.standardSecretPointers(validator.validate(SpecFixtures.batchSpec()))).isEmpty();
    }

    @Test
    void standard_pointers_tolerate_a_malformed_raw_payload() {
        ObjectNode raw = (ObjectNode) json("{\"parameters\": {\"parameters\": {\"secret\": \"pw\", \"volumes\": {\"0\": {\"secret\": \"x\"}}}}}");
        assertThat(Secrets.standardSecretPointers(raw)).containsExactly("/parameters/parameters/secret");
        ObjectNode rawArray = (ObjectNode) json("{\"parameters\": {\"parameters\": {\"volumes\": [\"x\", {\"secret\": \"s\"}]}}}");
        assertThat(Secrets.standardSecretPointers(rawArray)).containsExactly("/parameters/parameters/volumes/1/secret");
        assertThat(Secrets.standardSecretPointers(Json.object())).isEmpty();
    }

    @Test
    void masked_replaces_values_in_a_copy_and_leaves_null_and_missing_alone() {
        ObjectNode spec = specWithSecrets();
        Set<String> pointers = Set.of("/parameters/parameters/secret", "/parameters/parameters/volumes/1/secret",
                "/parameters/parameters/env/TOKEN", "/does/not/exist");
        ObjectNode masked = Secrets.masked(spec, pointers);
        assertThat(masked.at("/parameters/parameters/secret").textValue()).isEqualTo(Secrets.MASK);
        assertThat(masked.at("/parameters/parameters/env/TOKEN").textValue()).isEqualTo(Secrets.MASK);
        assertThat(masked.at("/parameters/parameters/volumes/1/secret").isNull()).isTrue();
        assertThat(masked.at("/does").isMissingNode()).isTrue();
        assertThat(masked.at("/parameters/parameters/user").textValue()).isEqualTo("bot");
        assertThat(spec.at("/parameters/parameters/secret").textValue()).isEqualTo("registry-pw");
    }

    @Test
    void extract_then_reveal_round_trips_to_the_original() {
        ObjectNode spec = specWithSecrets();
        Set<String> pointers = Secrets.standardSecretPointers(spec);
        Map<String, String> secrets = Secrets.extract(spec, pointers);
        assertThat(secrets).containsEntry("/parameters/parameters/volumes/2/secret", "vol2-pw")
                .containsEntry("/parameters/parameters/user", "bot").hasSize(4);
        ObjectNode masked = Secrets.masked(spec, pointers);
        assertThat(masked.toString()).doesNotContain("registry-pw", "vol0-pw", "vol2-pw", "bot");
        ObjectNode revealed = Secrets.revealed(masked, secrets);
        assertThat(revealed).isEqualTo(spec);
        assertThat(masked.at("/parameters/parameters/secret").textValue()).isEqualTo(Secrets.MASK);
    }

    @Test
    void pointers_with_escaped_characters_work() {
        ObjectNode spec = specWithSecrets();
        ((ObjectNode) spec.at("/parameters/parameters/env")).put("a/b~c", "x"); // not a valid env name; any key must work
        Set<String> pointers = Set.of("/parameters/parameters/env/a~1b~0c");
        ObjectNode masked = Secrets.masked(spec, pointers);
        assertThat(masked.get("parameters").get("parameters").get("env").get("a/b~c").textValue()).isEqualTo(Secrets.MASK);
        assertThat(Secrets.revealed(masked, Secrets.extract(spec, pointers))).isEqualTo(spec);
    }

    @Test
    void reveal_skips_pointers_whose_parent_is_gone() {
        ObjectNode masked = Secrets.masked(specWithSecrets(), Set.of());
        ObjectNode revealed = Secrets.revealed(masked, Map.of("/parameters/parameters/volumes/9/secret", "x", "/nope/x", "y"));
        assertThat(revealed).isEqualTo(masked);
    }
}
