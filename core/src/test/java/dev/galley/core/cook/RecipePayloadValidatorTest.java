package dev.galley.core.cook;

import static dev.galley.core.spec.SpecFixtures.batchSpec;
import static dev.galley.core.spec.SpecFixtures.catalog;
import static dev.galley.core.spec.SpecFixtures.errorsOf;
import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.error.FieldError;
import org.junit.jupiter.api.Test;

class RecipePayloadValidatorTest {
    private static InputSchema schema(String json) {
        return InputSchema.parse(json(json), "input_schema");
    }

    @Test
    void valid_payload_is_returned_as_sent_not_normalized() {
        JsonNode payload = json("""
                {"title": "{{name}}", "task": "BATCH", "max_timeout_run_ms": 60000,
                 "parameters": {"parameters": {"image": "ubuntu", "env": {"NAME": "{{name}}"}}}}""");
        var out = RecipePayloadValidator.validate(payload, schema("[{\"key\": \"name\", \"type\": \"string\"}]"), catalog());
        assertThat(out).isEqualTo(payload);
        assertThat(out).isNotSameAs(payload);
        assertThat(out.has("cpu_count")).isFalse();
    }

    @Test
    void errors_are_prefixed_with_payload() {
        var payload = batchSpec();
        payload.put("cpu_count", -1);
        payload.put("colour", "red");
        assertThat(errorsOf(() -> RecipePayloadValidator.validate(payload, InputSchema.empty(), catalog())))
                .extracting(FieldError::field).containsExactlyInAnyOrder("payload.cpu_count", "payload.colour");
    }

    @Test
    void payload_must_be_an_object() {
        assertThat(errorsOf(() -> RecipePayloadValidator.validate(json("[]"), InputSchema.empty(), catalog())))
                .extracting(FieldError::field).containsExactly("payload");
        assertThat(errorsOf(() -> RecipePayloadValidator.validate(null, null, catalog())))
                .extracting(FieldError::field).containsExactly("payload");
    }

    @Test
    void defaults_are_real_values_and_are_checked() {
        JsonNode payload = json("""
                {"title": "t", "task": "BATCH", "max_timeout_run_ms": "{{timeout}}",
                 "parameters": {"parameters": {"image": "{{image}}"}}}""");
        assertThat(RecipePayloadValidator.validate(payload, schema("""
                [{"key": "timeout", "type": "number", "default_value": 3600000},
                 {"key": "image", "type": "string", "default_value": "ubuntu"}]"""), catalog())).isEqualTo(payload);
        assertThat(errorsOf(() -> RecipePayloadValidator.validate(payload, schema("""
                [{"key": "timeout", "type": "number", "default_value": 1000},
                 {"key": "image", "type": "string", "default_value": "Not An Image"}]"""), catalog())))
                .extracting(FieldError::field).containsExactlyInAnyOrder("payload.max_timeout_run_ms", "payload.parameters.parameters.image");
    }

    @Test
    void fields_filled_only_with_samples_are_left_to_cook_time() {
        JsonNode payload = json("""
                {"title": "t", "task": "BATCH", "max_timeout_run_ms": "{{timeout}}",
                 "parameters": {"parameters": {"image": "ubuntu", "sshkey": "{{key}}", "ports": ["{{port}}"]}}}""");
        var schema = schema("""
                [{"key": "timeout", "type": "number", "required": true}, {"key": "key", "type": "string"},
                 {"key": "port", "type": "number"}]""");
        assertThat(RecipePayloadValidator.validate(payload, schema, catalog())).isEqualTo(payload);
    }

    @Test
    void sample_fills_do_not_hide_errors_elsewhere() {
        JsonNode payload = json("""
                {"title": "{{name}}", "task": "BATCH", "cpu_count": 99999,
                 "parameters": {"parameters": {"image": "ubuntu"}}}""");
        assertThat(errorsOf(() -> RecipePayloadValidator.validate(payload, schema("[{\"key\": \"name\", \"type\": \"string\"}]"), catalog())))
                .extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                        tuple("payload.cpu_count", "must be <= 4096"),
                        tuple("payload.max_timeout_run_ms", "is required for BATCH jobs (60000..2592000000 ms)"));
    }

    @Test
    void select_sample_is_the_first_option() {
        JsonNode payload = json("""
                {"title": "t", "task": "{{mode}}", "parameters": {"parameters": {"image": "ubuntu"}}}""");
        // First option PERSISTENT: no run timeout needed, so the payload is valid.
        assertThat(RecipePayloadValidator.validate(payload, schema(
                "[{\"key\": \"mode\", \"type\": \"select\", \"options\": [{\"value\": \"PERSISTENT\"}, {\"value\": \"BATCH\"}]}]"),
                catalog())).isEqualTo(payload);
        // First option BATCH: the missing run timeout (a field nobody templated) is reported.
        assertThat(errorsOf(() -> RecipePayloadValidator.validate(payload, schema(
                "[{\"key\": \"mode\", \"type\": \"select\", \"options\": [{\"value\": \"BATCH\"}, {\"value\": \"PERSISTENT\"}]}]"),
                catalog()))).extracting(FieldError::field).containsExactly("payload.max_timeout_run_ms");
    }
}
