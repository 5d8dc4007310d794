package dev.galley.core.cook;

import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMergePatchTest {
    /** RFC 7396 Appendix A, every row. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}                    | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}                    | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}                     | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                     | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}                    | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}                  | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                      | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]                    | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                          | [\"c\"]",
            "{\"a\":\"foo\"}              | null                             | null",
            "{\"a\":\"foo\"}              | \"bar\"                          | \"bar\"",
            "{\"e\":null}                 | {\"a\":1}                        | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}         | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}}  | {\"a\":{\"bb\":{}}}"})
    void rfc_7396_appendix_a(String target, String patch, String result) {
        assertThat(JsonMergePatch.apply(json(target), json(patch))).isEqualTo(json(result));
    }

    /** RFC 7396 section 3. */
    @Test
    void rfc_7396_section_3_example() {
        JsonNode target = json("""
                {"title": "Goodbye!", "author": {"givenName": "John", "familyName": "Doe"},
                 "tags": ["example", "sample"], "content": "This will be unchanged"}""");
        JsonNode patch = json("""
                {"title": "Hello!", "phoneNumber": "+01-123-456-7890", "author": {"familyName": null}, "tags": ["example"]}""");
        assertThat(JsonMergePatch.apply(target, patch)).isEqualTo(json("""
                {"title": "Hello!", "author": {"givenName": "John"}, "tags": ["example"],
                 "content": "This will be unchanged", "phoneNumber": "+01-123-456-7890"}"""));
    }

    @Test
    void inputs_are_never_mutated_and_the_result_shares_no_nodes() {
        JsonNode target = json("{\"a\": {\"b\": 1, \"c\": [1]}}");
        JsonNode patch = json("{\"a\": {\"b\": null, \"d\": {\"e\": 2}}}");
        JsonNode targetCopy = target.deepCopy();
        JsonNode patchCopy = patch.deepCopy();
        JsonNode result = JsonMergePatch.apply(target, patch);
        assertThat(result).isEqualTo(json("{\"a\": {\"c\": [1], \"d\": {\"e\": 2}}}"));
        assertThat(target).isEqualTo(targetCopy);
        assertThat(patch).isEqualTo(patchCopy);
        ((com.fasterxml.jackson.databind.node.ObjectNode) result.get("a").get("d")).put("e", 3);
        assertThat(patch.get("a").get("d").get("e").intValue()).isEqualTo(2);
    }

    @Test
    void null_or_missing_target_is_treated_as_json_null() {
        assertThat(JsonMergePatch.apply(null, json("{\"a\": 1, \"b\": null}"))).isEqualTo(json("{\"a\": 1}"));
        assertThat(JsonMergePatch.apply(json("{\"a\": 1}").get("x"), json("{\"a\": 1}"))).isEqualTo(json("{\"a\": 1}"));
    }

    @Test
    void empty_patch_object_leaves_the_target_as_is() {
        assertThat(JsonMergePatch.apply(json("{\"a\": [1, 2]}"), json("{}"))).isEqualTo(json("{\"a\": [1, 2]}"));
    }
}
