package dev.galley.core.cook;

import static dev.galley.core.spec.SpecFixtures.A100_UUID;
import static dev.galley.core.spec.SpecFixtures.RTX4090_UUID;
import static dev.galley.core.spec.SpecFixtures.catalog;
import static dev.galley.core.spec.SpecFixtures.errorsOf;
import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldError;
import dev.galley.core.spec.JobSpecValidator;
import dev.galley.core.spec.Json;
import dev.galley.core.spec.RegionCodes;
import dev.galley.core.spec.Secrets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CookTest {
    /** The job belongs to the recipe's own account: stored registry credentials may travel (RegistryCredentialsTest covers the rest). */
    private static final boolean OWNER = true;
    private final Cook cook = new Cook(catalog());

    /** A BATCH recipe with a GPU picked by registry uuid, a registry secret and no inputs. */
    private static ObjectNode recipe() {
        return (ObjectNode) json("""
                {"title": "finetune", "task": "BATCH", "gpu_count": 1, "gpu_registry_uuid": "%s",
                 "max_timeout_run_ms": 3600000,
                 "parameters": {"type": "docker", "parameters": {"image": "ghcr.io/org/trainer", "tag": "v1",
                   "user": "bot", "secret": "registry-pw", "env": {"MODE": "train"}, "ports": [8080]}}}"""
                .formatted(A100_UUID));
    }

    private CookResult cook(String body) {
        return cook.cook(recipe(), null, body == null ? null : json(body), OWNER);
    }

    private List<FieldError> errors(String body) {
        return errorsOf(() -> cook(body));
    }

    @Nested
    class AsIs {
        @ParameterizedTest
        @ValueSource(strings = {"{}", "null"})
        void empty_body_cooks_the_recipe_as_is(String body) {
            CookResult result = cook(body);
            assertThat(result.spec()).isEqualTo(new JobSpecValidator(catalog()).validate(recipe()));
            assertThat(result.secretPointers()).containsExactlyInAnyOrder("/parameters/parameters/user", "/parameters/parameters/secret");
            assertThat(result.droppedCredentials()).isEmpty();
        }

        @Test
        void java_null_body_cooks_as_is_and_the_recipe_is_not_modified() {
            ObjectNode recipe = recipe();
            CookResult result = cook.cook(recipe, null, null, OWNER);
            assertThat(result.spec().get("title").textValue()).isEqualTo("finetune");
            assertThat(recipe).isEqualTo(recipe());
        }

        @Test
        void body_must_be_an_object() {
            assertThat(errors("[1]")).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("", "request body must be a JSON object"));
        }

        @Test
        void unknown_fields_are_named() {
            List<FieldError> errors = errors("{\"colour\": \"red\", \"uuid\": \"x\", \"inputs\": {}}");
            assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("colour", "uuid");
            assertThat(errors).allSatisfy(e -> assertThat(e.message()).startsWith("unknown field").contains("inputs"));
        }
    }

    @Nested
    class OverridesAsSent {
        /** Dispersed's documented minimums (seed document): one below fails naming the field, the minimum passes. */
        @ParameterizedTest
        @CsvSource({"cpu_count, 0", "gpu_count, 0", "min_vram_gb, 0", "min_ram_gb, 0", "min_storage_gb, 0",
                "max_retry_count, 0", "max_timeout_assign_ms, 300000", "max_timeout_start_ms, 120000",
                "max_timeout_run_ms, 60000", "max_node_count, 1"})
        void seed_minimums(String field, long min) {
            String extra = field.equals("gpu_count") ? ", \"gpu_registry_uuid\": null" : "";
            assertThat(errors("{\"" + field + "\": " + (min - 1) + extra + "}"))
                    .extracting(FieldError::field, FieldError::message).containsExactly(tuple(field, "must be >= " + min));
            assertThat(cook("{\"" + field + "\": " + min + extra + "}").spec().get(field).longValue()).isEqualTo(min);
        }

        @ParameterizedTest
        @CsvSource({"cpu_count, 4096", "gpu_count, 64", "max_node_count, 1024", "max_retry_count, 100",
                "max_timeout_assign_ms, 2592000000", "max_timeout_start_ms, 2592000000", "max_timeout_run_ms, 2592000000"})
        void galley_upper_bounds(String field, long max) {
            assertThat(errors("{\"" + field + "\": " + (max + 1) + "}"))
                    .extracting(FieldError::field, FieldError::message).containsExactly(tuple(field, "must be <= " + max));
            assertThat(cook("{\"" + field + "\": " + max + "}").spec().get(field).longValue()).isEqualTo(max);
        }

        @Test
        void assign_timeout_example_from_the_spec() {
            assertThat(errors("{\"max_timeout_assign_ms\": 299999}")).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("max_timeout_assign_ms", "must be >= 300000"));
        }

        @Test
        void whole_decimals_are_accepted_and_fractions_rejected() {
            assertThat(cook("{\"cpu_count\": 4.0}").spec().get("cpu_count")).isEqualTo(json("4"));
            assertThat(errors("{\"cpu_count\": 4.5}")).extracting(FieldError::message).containsExactly("must be an integer");
        }

        @Test
        void every_bad_override_is_reported_together() {
            assertThat(errors("{\"title\": \"\", \"task\": \"SERVICE\", \"cpu_count\": -1, \"allowed_region_codes\": [\"mars-1\"]}"))
                    .extracting(FieldError::field).containsExactlyInAnyOrder("title", "task", "cpu_count", "allowed_region_codes[0]");
        }

        @Test
        void null_is_allowed_only_for_nullable_fields() {
            CookResult result = cook("{\"description\": null, \"gpu_registry_uuid\": null, \"gpu_count\": 0}");
            assertThat(result.spec().get("description").isNull()).isTrue();
            assertThat(result.spec().get("gpu_registry_uuid").isNull()).isTrue();
            assertThat(errors("{\"cpu_count\": null, \"title\": null, \"allowed_region_codes\": null}"))
                    .extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                            tuple("cpu_count", "must not be null"), tuple("title", "must not be null"),
                            tuple("allowed_region_codes", "must not be null"));
        }

        @Test
        void region_override_limits() {
            ArrayNode all = Json.NODES.arrayNode();
            RegionCodes.ALL.forEach(all::add);
            ObjectNode body = Json.object();
            body.set("allowed_region_codes", all);
            assertThat(cook.cook(recipe(), null, body, OWNER).spec().get("allowed_region_codes")).hasSize(36);
            all.add("us-east-1");
            assertThat(errorsOf(() -> cook.cook(recipe(), null, body, OWNER))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("allowed_region_codes", "must have at most 36 items"));
            assertThat(errors("{\"allowed_region_codes\": [\"us-east-1\", \"us-east-1\"]}")).extracting(FieldError::field)
                    .containsExactly("allowed_region_codes[1]");
            assertThat(cook("{\"allowed_region_codes\": []}").spec().get("allowed_region_codes")).isEmpty();
        }

        @Test
        void top_level_fields_replace_the_recipe_values() {
            JsonNode spec = cook("{\"title\": \"other\", \"cpu_count\": 8, \"min_ram_gb\": 12.5, \"max_timeout_run_ms\": 60000}").spec();
            assertThat(spec.get("title").textValue()).isEqualTo("other");
            assertThat(spec.get("cpu_count").intValue()).isEqualTo(8);
            assertThat(spec.get("min_ram_gb").doubleValue()).isEqualTo(12.5);
            assertThat(spec.get("max_timeout_run_ms").intValue()).isEqualTo(60000);
        }
    }

    @Nested
    class Gpu {
        @Test
        void gpu_name_override_clears_the_recipes_registry_uuid() {
            JsonNode spec = cook("{\"gpu_name\": \"RTX 4090\"}").spec();
            assertThat(spec.get("gpu_name").textValue()).isEqualTo("RTX 4090");
            assertThat(spec.get("gpu_registry_uuid").isNull()).isTrue();
        }

        @Test
        void gpu_registry_uuid_override_clears_the_recipes_gpu_name() {
            ObjectNode recipe = recipe();
            recipe.putNull("gpu_registry_uuid");
            recipe.put("gpu_name", "A100");
            JsonNode spec = cook.cook(recipe, null, json("{\"gpu_registry_uuid\": \"" + RTX4090_UUID + "\"}"), OWNER).spec();
            assertThat(spec.get("gpu_registry_uuid").textValue()).isEqualTo(RTX4090_UUID.toString());
            assertThat(spec.get("gpu_name").isNull()).isTrue();
        }

        @Test
        void both_non_null_in_the_body_is_rejected() {
            assertThat(errors("{\"gpu_name\": \"A100\", \"gpu_registry_uuid\": \"" + A100_UUID + "\"}"))
                    .extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("gpu_name", "cannot be combined with gpu_registry_uuid; set only one of them"));
        }

        @Test
        void one_set_and_the_other_null_is_fine() {
            JsonNode spec = cook("{\"gpu_name\": \"A100\", \"gpu_registry_uuid\": null}").spec();
            assertThat(spec.get("gpu_name").textValue()).isEqualTo("A100");
            assertThat(spec.get("gpu_registry_uuid").isNull()).isTrue();
        }

        @Test
        void unknown_gpu_in_an_override_is_rejected_as_sent() {
            assertThat(errors("{\"gpu_name\": \"Voodoo\"}")).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("gpu_name");
                assertThat(e.message()).contains("GET /v1/gpu-registry");
            });
        }

        @Test
        void dropping_gpus_while_the_recipe_names_a_model_fails_on_the_merged_spec() {
            assertThat(errors("{\"gpu_count\": 0}")).extracting(FieldError::field).containsExactly("gpu_registry_uuid");
        }
    }

    @Nested
    class MergedValidation {
        @Test
        void persistent_override_needs_a_null_run_timeout() {
            assertThat(errors("{\"task\": \"PERSISTENT\"}")).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("max_timeout_run_ms");
                assertThat(e.message()).startsWith("must be null for PERSISTENT jobs");
            });
            JsonNode spec = cook("{\"task\": \"PERSISTENT\", \"max_timeout_run_ms\": null}").spec();
            assertThat(spec.get("task").textValue()).isEqualTo("PERSISTENT");
            assertThat(spec.get("max_timeout_run_ms").isNull()).isTrue();
        }

        @Test
        void null_run_timeout_on_a_batch_recipe_fails_once_merged() {
            assertThat(errors("{\"max_timeout_run_ms\": null}")).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("max_timeout_run_ms", "is required for BATCH jobs (60000..2592000000 ms)"));
        }

        @Test
        void as_sent_errors_are_thrown_before_merging() {
            // task PERSISTENT would also fail once merged; only the as-sent error is reported.
            assertThat(errors("{\"task\": \"PERSISTENT\", \"cpu_count\": -1}")).extracting(FieldError::field).containsExactly("cpu_count");
        }
    }

    @Nested
    class Parameters {
        @Test
        void parameters_are_merge_patched_onto_the_recipe() {
            JsonNode container = cook("""
                    {"parameters": {"parameters": {"env": {"MODE": null, "EPOCHS": "3"}, "ports": [22], "tag": null}}}""")
                    .spec().get("parameters").get("parameters");
            assertThat(container.get("env")).isEqualTo(json("{\"EPOCHS\": \"3\"}"));
            assertThat(container.get("ports")).isEqualTo(json("[22]"));
            assertThat(container.get("tag").textValue()).isEqualTo("latest");
            assertThat(container.get("image").textValue()).isEqualTo("ghcr.io/org/trainer");
            assertThat(container.get("user").textValue()).isEqualTo("bot");
        }

        @Test
        void partial_patch_with_only_type_is_fine() {
            assertThat(cook("{\"parameters\": {\"type\": \"docker\"}}").spec().get("parameters").get("type").textValue()).isEqualTo("docker");
        }

        @Test
        void patch_shape_is_checked_as_sent() {
            assertThat(errors("{\"parameters\": null}")).extracting(FieldError::field).containsExactly("parameters");
            assertThat(errors("{\"parameters\": [1]}")).extracting(FieldError::field).containsExactly("parameters");
            assertThat(errors("{\"parameters\": {\"type\": \"vm\"}}")).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("parameters.type", "must be \"docker\""));
            assertThat(errors("{\"parameters\": {\"parameters\": null}}")).extracting(FieldError::field).containsExactly("parameters.parameters");
            assertThat(errors("{\"parameters\": {\"kind\": 1}}")).extracting(FieldError::field).containsExactly("parameters.kind");
        }

        @Test
        void patched_contents_are_validated_with_the_paths_as_sent() {
            assertThat(errors("{\"parameters\": {\"parameters\": {\"ports\": [80, 0], \"env\": {\"GALLEY_X\": \"1\"}, \"cmd\": \"x\"}}}"))
                    .extracting(FieldError::field).containsExactlyInAnyOrder("parameters.parameters.ports[1]",
                            "parameters.parameters.env.GALLEY_X", "parameters.parameters.cmd");
        }

        @Test
        void deleting_the_image_is_reported() {
            assertThat(errors("{\"parameters\": {\"parameters\": {\"image\": null}}}")).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("parameters.parameters.image", "is required"));
        }

        @Test
        void patched_registry_secret_is_still_a_secret_and_a_removed_one_is_not() {
            assertThat(cook("{\"parameters\": {\"parameters\": {\"secret\": \"new\"}}}").secretPointers())
                    .containsExactlyInAnyOrder("/parameters/parameters/user", "/parameters/parameters/secret");
            assertThat(cook("{\"parameters\": {\"parameters\": {\"secret\": null}}}").secretPointers())
                    .containsExactly("/parameters/parameters/user");
        }
    }

    @Nested
    class Inputs {
        private static final String SCHEMA = """
                [{"key": "model", "type": "string", "required": true},
                 {"key": "cpus", "type": "number", "default_value": 2},
                 {"key": "token", "type": "secret"},
                 {"key": "size", "type": "select", "options": [{"value": "s"}, {"value": "m"}], "default_value": "s"}]""";

        private static ObjectNode templated() {
            return (ObjectNode) json("""
                    {"title": "serve {{model}} ({{size}})", "task": "BATCH", "cpu_count": "{{ cpus }}",
                     "max_timeout_run_ms": 3600000,
                     "parameters": {"parameters": {"image": "vllm/vllm-openai",
                       "env": {"MODEL": "{{model}}", "HF_TOKEN": "{{token}}", "AUTH": "Bearer {{token}}"}}}}""");
        }

        private CookResult cookWith(String body) {
            return cook.cook(templated(), json(SCHEMA), json(body), OWNER);
        }

        @Test
        void inputs_fill_placeholders_and_defaults_fill_the_rest() {
            CookResult result = cookWith("{\"inputs\": {\"model\": \"llama-3\", \"token\": \"hf_abc\"}}");
            JsonNode spec = result.spec();
            assertThat(spec.get("title").textValue()).isEqualTo("serve llama-3 (s)");
            assertThat(spec.get("cpu_count")).isEqualTo(json("2"));
            assertThat(spec.at("/parameters/parameters/env")).isEqualTo(json(
                    "{\"MODEL\": \"llama-3\", \"HF_TOKEN\": \"hf_abc\", \"AUTH\": \"Bearer hf_abc\"}"));
            assertThat(result.secretPointers()).containsExactlyInAnyOrder(
                    "/parameters/parameters/env/HF_TOKEN", "/parameters/parameters/env/AUTH");
            ObjectNode masked = Secrets.masked(result.spec(), result.secretPointers());
            assertThat(masked.toString()).doesNotContain("hf_abc");
        }

        @Test
        void number_input_in_a_numeric_field_becomes_a_number_and_is_range_checked() {
            assertThat(cookWith("{\"inputs\": {\"model\": \"m\", \"cpus\": 16}}").spec().get("cpu_count")).isEqualTo(json("16"));
            assertThat(errorsOf(() -> cookWith("{\"inputs\": {\"model\": \"m\", \"cpus\": 5000}}")))
                    .extracting(FieldError::field, FieldError::message).containsExactly(tuple("cpu_count", "must be <= 4096"));
            assertThat(errorsOf(() -> cookWith("{\"inputs\": {\"model\": \"m\", \"cpus\": 1.5}}")))
                    .extracting(FieldError::field, FieldError::message).containsExactly(tuple("cpu_count", "must be an integer"));
        }

        @Test
        void optional_input_without_value_becomes_empty() {
            CookResult result = cookWith("{\"inputs\": {\"model\": \"m\"}}");
            assertThat(result.spec().at("/parameters/parameters/env/HF_TOKEN").textValue()).isEmpty();
            assertThat(result.spec().at("/parameters/parameters/env/AUTH").textValue()).isEqualTo("Bearer ");
        }

        @Test
        void overrides_are_literal_and_win_over_templated_values() {
            CookResult result = cookWith("""
                    {"title": "{{model}}", "inputs": {"model": "m", "token": "t"},
                     "parameters": {"parameters": {"env": {"AUTH": "none"}}}}""");
            assertThat(result.spec().get("title").textValue()).isEqualTo("{{model}}");
            assertThat(result.spec().at("/parameters/parameters/env/AUTH").textValue()).isEqualTo("none");
            assertThat(result.secretPointers()).containsExactly("/parameters/parameters/env/HF_TOKEN");
        }

        @Test
        void input_errors_and_override_errors_come_together() {
            assertThat(errorsOf(() -> cookWith("{\"cpu_count\": -1, \"inputs\": {\"size\": \"xl\", \"bogus\": 1}}")))
                    .extracting(FieldError::field).containsExactlyInAnyOrder("cpu_count", "inputs.model", "inputs.size", "inputs.bogus");
        }

        @Test
        void inputs_must_be_an_object() {
            assertThat(errorsOf(() -> cookWith("{\"inputs\": \"model=m\"}"))).extracting(FieldError::field).containsExactly("inputs");
        }
    }
}
