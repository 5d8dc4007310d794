package dev.galley.core.cook;

import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    @Test
    void fills_every_placeholder_in_every_string_value_with_or_without_spaces() {
        JsonNode tree = json("""
                {"title": "run {{name}} on {{ gpu }}", "n": 3, "list": ["{{name}}", 4, true, null],
                 "deep": {"x": "{{  name  }}-{{name}}"}}""");
        var result = Templates.substitute(tree, Map.of("name", "llama", "gpu", "A100"), Set.of());
        assertThat(result.tree()).isEqualTo(json("""
                {"title": "run llama on A100", "n": 3, "list": ["llama", 4, true, null], "deep": {"x": "llama-llama"}}"""));
        assertThat(result.substitutedPointers()).containsExactlyInAnyOrder("/title", "/list/0", "/deep/x");
        assertThat(result.secretPointers()).isEmpty();
    }

    @Test
    void object_keys_are_never_templated() {
        var result = Templates.substitute(json("{\"env\": {\"{{name}}\": \"{{name}}\"}}"), Map.of("name", "v"), Set.of());
        assertThat(result.tree()).isEqualTo(json("{\"env\": {\"{{name}}\": \"v\"}}"));
        assertThat(result.substitutedPointers()).containsExactly("/env/{{name}}");
    }

    @Test
    void strings_that_received_a_secret_are_tracked_with_escaped_pointers() {
        JsonNode tree = json("{\"env\": {\"TOKEN\": \"Bearer {{token}}\", \"a/b\": \"{{token}}\", \"USER\": \"{{user}}\"}}");
        var result = Templates.substitute(tree, Map.of("token", "s3cr3t", "user", "bob"), Set.of("token"));
        assertThat(result.tree().get("env").get("TOKEN").textValue()).isEqualTo("Bearer s3cr3t");
        assertThat(result.secretPointers()).containsExactlyInAnyOrder("/env/TOKEN", "/env/a~1b");
        assertThat(result.substitutedPointers()).contains("/env/USER");
    }

    @Test
    void unknown_placeholders_and_non_placeholders_are_left_as_written() {
        JsonNode tree = json("{\"a\": \"{{missing}} {{.Name}} {{Upper}} {name} {{ name }\"}");
        var result = Templates.substitute(tree, Map.of("name", "x"), Set.of());
        assertThat(result.tree()).isEqualTo(tree);
        assertThat(result.substitutedPointers()).isEmpty();
    }

    @Test
    void substituted_text_is_not_scanned_again_and_regex_characters_are_literal() {
        var result = Templates.substitute(json("{\"a\": \"{{one}}|{{two}}\"}"), Map.of("one", "{{two}}", "two", "$1\\x"), Set.of());
        assertThat(result.tree().get("a").textValue()).isEqualTo("{{two}}|$1\\x");
    }

    @Test
    void input_tree_is_not_modified() {
        JsonNode tree = json("{\"a\": [\"{{k}}\"]}");
        Templates.substitute(tree, Map.of("k", "v"), Set.of());
        assertThat(tree).isEqualTo(json("{\"a\": [\"{{k}}\"]}"));
    }

    @Test
    void referenced_keys_lists_placeholders_in_order() {
        assertThat(Templates.referencedKeys("{{b}} {{ a }} {{b}} {{Bad}}")).containsExactly("b", "a");
    }
}
