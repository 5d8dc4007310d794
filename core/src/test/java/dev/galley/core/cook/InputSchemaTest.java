package dev.galley.core.cook;

import static dev.galley.core.spec.SpecFixtures.errorsOf;
import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.galley.core.error.FieldError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputSchemaTest {
    static final String SCHEMA = """
            [{"key": "model", "type": "string", "label": "Model", "required": true},
             {"key": "epochs", "type": "number", "default_value": 3},
             {"key": "fp16", "type": "boolean", "default_value": false},
             {"key": "size", "type": "select", "options": [{"label": "Small", "value": "s"}, {"value": "m"}], "default_value": "m"},
             {"key": "hf_token", "type": "secret", "description": "Hugging Face token", "placeholder": "hf_..."},
             {"key": "note", "type": "string"}]""";

    private static InputSchema schema() {
        return InputSchema.parse(json(SCHEMA), "input_schema");
    }

    @Nested
    class Parse {
        @Test
        void parses_every_field_with_defaults_filled_in() {
            InputSchema schema = schema();
            assertThat(schema.fields()).extracting(InputField::key).containsExactly("model", "epochs", "fp16", "size", "hf_token", "note");
            InputField size = schema.fields().get(3);
            assertThat(size.type()).isEqualTo(InputType.SELECT);
            assertThat(size.options()).containsExactly(new InputOption("Small", "s"), new InputOption("m", "m"));
            assertThat(size.label()).isEqualTo("size");
            assertThat(schema.fields().get(0).required()).isTrue();
            assertThat(schema.fields().get(1).required()).isFalse();
            assertThat(schema.fields().get(1).defaultText()).contains("3");
            assertThat(schema.fields().get(2).defaultText()).contains("false");
            assertThat(schema.secretKeys()).containsExactly("hf_token");
        }

        @Test
        void absent_schema_means_no_inputs() {
            assertThat(InputSchema.parse(null, "input_schema").fields()).isEmpty();
            assertThat(InputSchema.parse(json("null"), "input_schema").fields()).isEmpty();
            assertThat(InputSchema.parse(json("[]"), "input_schema").fields()).isEmpty();
        }

        @Test
        void to_json_is_normalized_and_parses_back_to_the_same_schema() {
            var normalized = schema().toJson();
            assertThat(normalized.get(4)).isEqualTo(json("""
                    {"key": "hf_token", "type": "secret", "label": "hf_token", "required": false,
                     "description": "Hugging Face token", "placeholder": "hf_...", "default_value": null, "options": []}"""));
            assertThat(InputSchema.parse(normalized, "input_schema").fields()).isEqualTo(schema().fields());
        }

        @Test
        void schema_must_be_an_array_of_objects() {
            assertThat(errorsOf(() -> InputSchema.parse(json("{}"), "input_schema"))).extracting(FieldError::field)
                    .containsExactly("input_schema");
            assertThat(errorsOf(() -> InputSchema.parse(json("[\"key\"]"), "input_schema"))).extracting(FieldError::field)
                    .containsExactly("input_schema[0]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"Model\"", "\"1abc\"", "\"_a\"", "\"a-b\"", "\"\"", "7"})
        void keys_must_match_the_pattern(String key) {
            assertThat(errorsOf(() -> InputSchema.parse(json("[{\"key\": " + key + ", \"type\": \"string\"}]"), "input_schema")))
                    .extracting(FieldError::field).containsExactly("input_schema[0].key");
        }

        @Test
        void key_of_64_characters_passes_and_65_fails() {
            String ok = "a".repeat(64);
            assertThat(InputSchema.parse(json("[{\"key\": \"" + ok + "\", \"type\": \"string\"}]"), "").fields()).hasSize(1);
            assertThat(errorsOf(() -> InputSchema.parse(json("[{\"key\": \"" + ok + "b\", \"type\": \"string\"}]"), "input_schema")))
                    .extracting(FieldError::field).containsExactly("input_schema[0].key");
        }

        @Test
        void every_broken_rule_is_reported_with_its_path() {
            var errors = errorsOf(() -> InputSchema.parse(json("""
                    [{"key": "a", "type": "string"},
                     {"key": "a", "type": "text", "colour": 1},
                     {"key": "b", "type": "select"},
                     {"key": "c", "type": "select", "options": [{"value": "x"}, {"value": "x"}]},
                     {"key": "d", "type": "select", "options": [{"value": "x"}], "default_value": "y"},
                     {"key": "e", "type": "number", "default_value": "three"},
                     {"key": "f", "type": "boolean", "default_value": "yes"},
                     {"key": "g", "type": "secret", "default_value": "hunter2"},
                     {"key": "h", "type": "string", "options": [{"value": "x"}]},
                     {"key": "i", "type": "string", "required": "yes"},
                     {"type": "string"}]"""), "input_schema"));
            assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder(
                    "input_schema[1].colour", "input_schema[1].key", "input_schema[1].type",
                    "input_schema[2].options", "input_schema[3].options[1].value", "input_schema[4].default_value",
                    "input_schema[5].default_value", "input_schema[6].default_value", "input_schema[7].default_value",
                    "input_schema[8].options", "input_schema[9].required", "input_schema[10].key");
            assertThat(errors).filteredOn(e -> e.field().equals("input_schema[1].key")).extracting(FieldError::message)
                    .containsExactly("duplicate key \"a\"");
        }
    }

    /** Dispersed types default_value as a string, so its clients send every default in string form. */
    @Nested
    class DefaultsInStringForm {
        private InputField only(String item) {
            return InputSchema.parse(json("[" + item + "]"), "input_schema").fields().get(0);
        }

        @ParameterizedTest
        @CsvSource({"\"4\", 4", "\"0.25\", 0.25", "\"-3\", -3", "\"4.50\", 4.5", "\"1e3\", 1000", "4, 4", "2.5, 2.5"})
        void a_number_default_may_be_a_string_that_parses(String given, String text) {
            InputField f = only("{\"key\": \"n\", \"type\": \"number\", \"default_value\": " + given + "}");
            assertThat(f.defaultText()).contains(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"four\"", "\" 4\"", "\"4 \"", "\"0x10\"", "\"NaN\"", "\"Infinity\"", "\"1,5\"", "\"+4\"", "\"04\"", "true"})
        void a_number_default_that_does_not_parse_is_refused(String given) {
            assertThat(errorsOf(() -> InputSchema.parse(json(
                    "[{\"key\": \"n\", \"type\": \"number\", \"default_value\": " + given + "}]"), "input_schema")))
                    .extracting(FieldError::field).containsExactly("input_schema[0].default_value");
        }

        @ParameterizedTest
        @CsvSource({"\"true\", true", "\"false\", false", "\"True\", true", "\"FALSE\", false", "true, true", "false, false"})
        void a_boolean_default_may_be_the_string_true_or_false(String given, String text) {
            assertThat(only("{\"key\": \"b\", \"type\": \"boolean\", \"default_value\": " + given + "}").defaultText()).contains(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"yes\"", "\"1\"", "1", "\"t\""})
        void a_boolean_default_that_does_not_parse_is_refused(String given) {
            assertThat(errorsOf(() -> InputSchema.parse(json(
                    "[{\"key\": \"b\", \"type\": \"boolean\", \"default_value\": " + given + "}]"), "input_schema")))
                    .extracting(FieldError::field).containsExactly("input_schema[0].default_value");
        }

        @Test
        void a_select_default_is_an_option_value_as_a_string() {
            assertThat(only("{\"key\": \"s\", \"type\": \"select\", \"options\": [{\"value\": \"4\"}], \"default_value\": \"4\"}")
                    .defaultText()).contains("4");
        }

        @ParameterizedTest
        @ValueSource(strings = {"number", "boolean", "select", "secret"})
        void an_empty_string_default_means_no_default_except_for_strings(String type) {
            String options = type.equals("select") ? ", \"options\": [{\"value\": \"a\"}]" : "";
            InputField f = only("{\"key\": \"k\", \"type\": \"" + type + "\", \"default_value\": \"\"" + options + "}");
            assertThat(f.defaultValue()).isNull();
            assertThat(only("{\"key\": \"k\", \"type\": \"string\", \"default_value\": \"\"}").defaultText()).contains("");
        }

        @Test
        void a_string_form_default_fills_a_numeric_field_of_the_payload_like_a_number() {
            var schema = InputSchema.parse(json("[{\"key\": \"cpus\", \"type\": \"number\", \"default_value\": \"4\"}]"), "");
            assertThat(schema.resolve(json("{}"))).containsEntry("cpus", "4");
        }
    }

    @Nested
    class Resolve {
        @Test
        void given_values_become_text_and_the_rest_take_defaults_or_empty() {
            var values = schema().resolve(json("{\"model\": \"llama\", \"epochs\": 1.5e1, \"fp16\": true, \"size\": \"s\", \"hf_token\": \"hf_x\"}"));
            assertThat(values).containsExactly(
                    java.util.Map.entry("model", "llama"), java.util.Map.entry("epochs", "15"), java.util.Map.entry("fp16", "true"),
                    java.util.Map.entry("size", "s"), java.util.Map.entry("hf_token", "hf_x"), java.util.Map.entry("note", ""));
            var defaults = schema().resolve(json("{\"model\": \"llama\", \"epochs\": null}"));
            assertThat(defaults).containsEntry("epochs", "3").containsEntry("fp16", "false").containsEntry("size", "m")
                    .containsEntry("hf_token", "");
        }

        @Test
        void numbers_are_written_plainly() {
            assertThat(schema().resolve(json("{\"model\": \"m\", \"epochs\": 0.25}"))).containsEntry("epochs", "0.25");
            assertThat(schema().resolve(json("{\"model\": \"m\", \"epochs\": 1e6}"))).containsEntry("epochs", "1000000");
            assertThat(schema().resolve(json("{\"model\": \"m\", \"epochs\": -2}"))).containsEntry("epochs", "-2");
        }

        @Test
        void missing_required_input_without_default_is_an_error() {
            assertThat(errorsOf(() -> schema().resolve(null))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("inputs.model", "is required (this input has no default)"));
            assertThat(errorsOf(() -> schema().resolve(json("{\"model\": \"\"}")))).extracting(FieldError::field)
                    .containsExactly("inputs.model");
        }

        @Test
        void required_input_with_a_default_may_be_omitted() {
            var schema = InputSchema.parse(json("[{\"key\": \"k\", \"type\": \"string\", \"required\": true, \"default_value\": \"d\"}]"), "");
            assertThat(schema.resolve(json("{}"))).containsEntry("k", "d");
        }

        @Test
        void wrong_types_unknown_keys_and_values_outside_options_are_all_reported() {
            var errors = errorsOf(() -> schema().resolve(json(
                    "{\"model\": 5, \"epochs\": \"3\", \"fp16\": \"true\", \"size\": \"xl\", \"hf_token\": false, \"colour\": \"red\"}")));
            assertThat(errors).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                    tuple("inputs.model", "must be a string"),
                    tuple("inputs.epochs", "must be a number"),
                    tuple("inputs.fp16", "must be a boolean (true or false)"),
                    tuple("inputs.size", "must be one of: \"s\", \"m\""),
                    tuple("inputs.hf_token", "must be a string"),
                    tuple("inputs.colour", "unknown input; this recipe's inputs are: model, epochs, fp16, size, hf_token, note"));
        }

        @Test
        void inputs_must_be_an_object() {
            assertThat(errorsOf(() -> schema().resolve(json("[1]")))).extracting(FieldError::field).containsExactly("inputs");
        }

        @Test
        void recipe_without_inputs_rejects_any_input() {
            assertThat(InputSchema.empty().resolve(json("{}"))).isEmpty();
            assertThat(errorsOf(() -> InputSchema.empty().resolve(json("{\"x\": 1}")))).extracting(FieldError::message)
                    .containsExactly("unknown input; this recipe has no inputs");
        }
    }
}
