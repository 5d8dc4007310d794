package dev.galley.core.spec;

import static dev.galley.core.spec.SpecFixtures.A100_UUID;
import static dev.galley.core.spec.SpecFixtures.ED25519_KEY;
import static dev.galley.core.spec.SpecFixtures.batchSpec;
import static dev.galley.core.spec.SpecFixtures.catalog;
import static dev.galley.core.spec.SpecFixtures.container;
import static dev.galley.core.spec.SpecFixtures.errorsOf;
import static dev.galley.core.spec.SpecFixtures.json;
import static dev.galley.core.spec.SpecFixtures.persistentSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecValidatorTest {
    private final JobSpecValidator validator = new JobSpecValidator(catalog());

    private List<FieldError> errors(JsonNode body) {
        return errorsOf(() -> validator.validate(body));
    }

    private ObjectNode with(String field, JsonNode value) {
        ObjectNode spec = batchSpec();
        spec.set(field, value);
        return spec;
    }

    private ObjectNode withContainer(String field, JsonNode value) {
        ObjectNode spec = batchSpec();
        container(spec).set(field, value);
        return spec;
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Nested
    class Normalization {
        @Test
        void minimal_spec_gets_every_field_in_order_with_defaults() {
            ObjectNode spec = validator.validate(batchSpec());
            List<String> names = new ArrayList<>();
            spec.fieldNames().forEachRemaining(names::add);
            assertThat(names).isEqualTo(JobSpecValidator.FIELDS);
            assertThat(spec).isEqualTo(json("""
                    {"title": "train", "description": null, "task": "BATCH", "cpu_count": 1, "gpu_count": 0,
                     "gpu_name": null, "gpu_registry_uuid": null, "min_vram_gb": 0, "min_ram_gb": 0, "min_storage_gb": 0,
                     "max_node_count": 1, "max_retry_count": 0, "max_timeout_assign_ms": 300000,
                     "max_timeout_start_ms": 300000, "max_timeout_run_ms": 3600000, "allowed_region_codes": [],
                     "parameters": {"type": "docker", "parameters": {"image": "ubuntu", "tag": "latest", "host": null,
                       "user": null, "secret": null, "imagesrc": null, "sshkey": null, "allowed_ips": [], "env": {},
                       "ports": [], "volumes": []}}}"""));
        }

        @Test
        void input_is_not_modified_and_result_is_a_new_tree() {
            ObjectNode input = batchSpec();
            ObjectNode copy = input.deepCopy();
            ObjectNode spec = validator.validate(input);
            assertThat(input).isEqualTo(copy);
            container(spec).put("image", "changed");
            assertThat(container(input).get("image").textValue()).isEqualTo("ubuntu");
        }

        @Test
        void whole_numbers_written_as_decimals_or_exponents_become_integers() {
            ObjectNode spec = batchSpec();
            spec.set("cpu_count", json("4.0"));
            spec.set("max_timeout_run_ms", json("6e4"));
            spec.set("min_ram_gb", json("16.0"));
            spec.set("min_storage_gb", json("1.5"));
            container(spec).set("ports", json("[8080.0]"));
            ObjectNode out = validator.validate(spec);
            assertThat(out.get("cpu_count").isInt()).isTrue();
            assertThat(out.get("cpu_count").intValue()).isEqualTo(4);
            assertThat(out.get("max_timeout_run_ms")).isEqualTo(json("60000"));
            assertThat(out.get("min_ram_gb")).isEqualTo(json("16"));
            assertThat(out.get("min_storage_gb").doubleValue()).isEqualTo(1.5);
            assertThat(container(out).get("ports")).isEqualTo(json("[8080]"));
        }

        @Test
        void full_spec_round_trips_unchanged() {
            ObjectNode spec = (ObjectNode) json("""
                    {"title": "t", "description": "d", "task": "BATCH", "cpu_count": 8, "gpu_count": 2,
                     "gpu_name": "a100", "gpu_registry_uuid": null, "min_vram_gb": 40, "min_ram_gb": 64.5,
                     "min_storage_gb": 100, "max_node_count": 4, "max_retry_count": 3,
                     "max_timeout_assign_ms": 600000, "max_timeout_start_ms": 120000, "max_timeout_run_ms": 60000,
                     "allowed_region_codes": ["eu-west-1", "us-east-1"],
                     "parameters": {"type": "docker", "parameters": {"image": "ghcr.io/org/app", "tag": "v1.2",
                       "host": "ghcr.io", "user": "bot", "secret": "pw", "imagesrc": "https://github.com/org/app",
                       "sshkey": "%s", "allowed_ips": ["10.0.0.0/8"], "env": {"A": "1", "_b": ""}, "ports": [22, 8080],
                       "volumes": [{"image": "org/data", "tag": "2024", "registry": "docker.io", "user": "u",
                                    "secret": "s", "mount": "/data"}]}}}""".formatted(ED25519_KEY));
            assertThat(validator.validate(spec)).isEqualTo(spec);
        }

        @Test
        void empty_optional_strings_count_as_absent() {
            ObjectNode spec = batchSpec();
            for (String f : List.of("host", "user", "secret", "imagesrc", "sshkey")) container(spec).put(f, "");
            container(spec).put("tag", "");
            JsonNode out = container(validator.validate(spec));
            for (String f : List.of("host", "user", "secret", "imagesrc", "sshkey")) assertThat(out.get(f).isNull()).as(f).isTrue();
            assertThat(out.get("tag").textValue()).isEqualTo("latest");
        }

        @Test
        void null_collections_in_container_parameters_take_their_defaults() {
            ObjectNode spec = batchSpec();
            for (String f : List.of("allowed_ips", "env", "ports", "volumes")) container(spec).putNull(f);
            JsonNode out = container(validator.validate(spec));
            assertThat(out.get("allowed_ips")).isEqualTo(json("[]"));
            assertThat(out.get("env")).isEqualTo(json("{}"));
            assertThat(out.get("volumes")).isEqualTo(json("[]"));
        }

        @Test
        void path_prefix_is_put_in_front_of_every_error() {
            ObjectNode spec = with("cpu_count", json("-1"));
            container(spec).set("ports", json("[0]"));
            assertThat(fields(errorsOf(() -> validator.validate(spec, "payload"))))
                    .containsExactlyInAnyOrder("payload.cpu_count", "payload.parameters.parameters.ports[0]");
        }
    }

    @Nested
    class BodyShape {
        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"spec\"", "42", "null"})
        void body_must_be_an_object(String body) {
            assertThat(errors(json(body))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("", "request body must be a JSON object"));
        }

        @Test
        void java_null_body_is_rejected() {
            assertThat(errorsOf(() -> validator.validate(null, "payload"))).extracting(FieldError::field).containsExactly("payload");
        }

        @Test
        void unknown_fields_are_rejected_at_every_level_naming_each() {
            ObjectNode spec = batchSpec();
            spec.put("colour", "red");
            ((ObjectNode) spec.get("parameters")).put("kind", "x");
            container(spec).put("command", "ls");
            container(spec).set("volumes", json("[{\"image\": \"a\", \"mount\": \"/a\", \"size\": 1}]"));
            List<FieldError> errors = errors(spec);
            assertThat(fields(errors)).containsExactlyInAnyOrder("colour", "parameters.kind",
                    "parameters.parameters.command", "parameters.parameters.volumes[0].size");
            assertThat(errors).allSatisfy(e -> assertThat(e.message()).startsWith("unknown field"));
        }

        @Test
        void all_errors_are_reported_at_once() {
            ObjectNode spec = (ObjectNode) json("{\"cpu_count\": 9999, \"gpu_count\": \"2\"}");
            assertThat(fields(errors(spec))).containsExactlyInAnyOrder("title", "task", "cpu_count", "gpu_count", "parameters");
        }

        @Test
        void required_fields_say_so() {
            assertThat(errors(json("{}"))).extracting(FieldError::field, FieldError::message).contains(
                    tuple("title", "is required"), tuple("task", "is required"), tuple("parameters", "is required"));
        }
    }

    @Nested
    class Integers {
        @ParameterizedTest
        @CsvSource({
                "cpu_count, 0, 4096", "gpu_count, 0, 64", "max_node_count, 1, 1024", "max_retry_count, 0, 100",
                "max_timeout_assign_ms, 300000, 2592000000", "max_timeout_start_ms, 120000, 2592000000",
                "max_timeout_run_ms, 60000, 2592000000"})
        void bounds_pass_and_one_past_them_fails_naming_the_field(String field, long min, long max) {
            assertThat(validator.validate(with(field, json(Long.toString(min)))).get(field).longValue()).isEqualTo(min);
            assertThat(validator.validate(with(field, json(Long.toString(max)))).get(field).longValue()).isEqualTo(max);
            assertThat(errors(with(field, json(Long.toString(min - 1))))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple(field, "must be >= " + min));
            assertThat(errors(with(field, json(Long.toString(max + 1))))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple(field, "must be <= " + max));
        }

        @ParameterizedTest
        @ValueSource(strings = {"4.5", "\"4\"", "true", "[4]", "{}"})
        void non_integers_are_rejected(String value) {
            assertThat(errors(with("cpu_count", json(value)))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("cpu_count", "must be an integer"));
        }

        @Test
        void huge_numbers_are_out_of_range_not_a_crash() {
            assertThat(errors(with("cpu_count", json("1e300")))).extracting(FieldError::message).containsExactly("must be <= 4096");
            assertThat(errors(with("max_retry_count", json("123456789012345678901234567890"))))
                    .extracting(FieldError::message).containsExactly("must be <= 100");
        }

        @Test
        void nan_is_rejected() {
            assertThat(errors(with("min_ram_gb", Json.NODES.numberNode(Double.NaN))))
                    .extracting(FieldError::message).containsExactly("must be a finite number");
            assertThat(errors(with("cpu_count", Json.NODES.numberNode(Double.POSITIVE_INFINITY))))
                    .extracting(FieldError::message).containsExactly("must be a finite number");
        }

        @Test
        void null_is_rejected_for_fields_that_are_not_nullable() {
            assertThat(errors(with("cpu_count", Json.NODES.nullNode()))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("cpu_count", "must not be null"));
            assertThat(errors(with("allowed_region_codes", Json.NODES.nullNode()))).extracting(FieldError::field)
                    .containsExactly("allowed_region_codes");
        }
    }

    @Nested
    class Gigabytes {
        @ParameterizedTest
        @ValueSource(strings = {"min_ram_gb", "min_storage_gb"})
        void fractional_values_are_allowed_and_negatives_are_not(String field) {
            assertThat(validator.validate(with(field, json("0.5"))).get(field).doubleValue()).isEqualTo(0.5);
            assertThat(validator.validate(with(field, json("0"))).get(field).intValue()).isZero();
            assertThat(errors(with(field, json("-0.1")))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple(field, "must be >= 0"));
            assertThat(errors(with(field, json("1048577")))).extracting(FieldError::message).containsExactly("must be <= 1048576");
            assertThat(errors(with(field, json("\"8\"")))).extracting(FieldError::message).containsExactly("must be a number");
        }

        @Test
        void min_vram_needs_a_gpu() {
            assertThat(errors(with("min_vram_gb", json("24")))).extracting(FieldError::field).containsExactly("min_vram_gb");
            ObjectNode ok = with("min_vram_gb", json("24"));
            ok.put("gpu_count", 1);
            assertThat(validator.validate(ok).get("min_vram_gb").intValue()).isEqualTo(24);
            assertThat(validator.validate(with("min_vram_gb", json("0"))).get("min_vram_gb").intValue()).isZero();
        }
    }

    @Nested
    class Strings {
        @Test
        void title_length_is_1_to_200_code_points() {
            assertThat(validator.validate(with("title", Json.NODES.textNode("t".repeat(200)))).get("title").textValue()).hasSize(200);
            assertThat(validator.validate(with("title", Json.NODES.textNode("😀".repeat(200)))).get("title").textValue()).isNotEmpty();
            assertThat(errors(with("title", Json.NODES.textNode("t".repeat(201))))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("title", "must be at most 200 characters"));
            assertThat(errors(with("title", json("\"\"")))).extracting(FieldError::message).containsExactly("must not be empty");
            assertThat(errors(with("title", json("\"   \"")))).extracting(FieldError::message).containsExactly("must not be blank");
            assertThat(errors(with("title", json("7")))).extracting(FieldError::message).containsExactly("must be a string");
            assertThat(errors(with("title", json("null")))).extracting(FieldError::message).containsExactly("must not be null");
        }

        @Test
        void description_up_to_10000_or_null() {
            assertThat(validator.validate(with("description", Json.NODES.textNode("d".repeat(10_000)))).get("description").textValue()).hasSize(10_000);
            assertThat(validator.validate(with("description", json("null"))).get("description").isNull()).isTrue();
            assertThat(errors(with("description", Json.NODES.textNode("d".repeat(10_001))))).extracting(FieldError::field).containsExactly("description");
        }

        @Test
        void nul_characters_are_rejected() {
            assertThat(errors(withContainer("user", Json.NODES.textNode("a\u0000b")))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("parameters.parameters.user", "must not contain NUL characters"));
        }

        @Test
        void strings_without_a_documented_length_are_capped() {
            assertThat(errors(withContainer("host", Json.NODES.textNode("h".repeat(4097))))).extracting(FieldError::field)
                    .containsExactly("parameters.parameters.host");
            assertThat(container(validator.validate(withContainer("host", Json.NODES.textNode("h".repeat(4096))))).get("host").textValue()).hasSize(4096);
            assertThat(container(validator.validate(withContainer("secret", Json.NODES.textNode("s".repeat(16_384))))).get("secret").textValue()).hasSize(16_384);
            assertThat(errors(withContainer("secret", Json.NODES.textNode("s".repeat(16_385))))).hasSize(1);
        }
    }

    @Nested
    class Task {
        @ParameterizedTest
        @ValueSource(strings = {"\"batch\"", "\"SERVICE\"", "\"\"", "1"})
        void must_be_batch_or_persistent(String task) {
            assertThat(errors(with("task", json(task)))).extracting(FieldError::field).containsExactly("task");
        }

        @Test
        void batch_needs_a_run_timeout() {
            ObjectNode spec = batchSpec();
            spec.remove("max_timeout_run_ms");
            assertThat(errors(spec)).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("max_timeout_run_ms", "is required for BATCH jobs (60000..2592000000 ms)"));
            spec.putNull("max_timeout_run_ms");
            assertThat(errors(spec)).extracting(FieldError::field).containsExactly("max_timeout_run_ms");
        }

        @Test
        void persistent_needs_a_null_run_timeout_and_says_why() {
            assertThat(validator.validate(persistentSpec()).get("max_timeout_run_ms").isNull()).isTrue();
            ObjectNode explicitNull = persistentSpec();
            explicitNull.putNull("max_timeout_run_ms");
            assertThat(validator.validate(explicitNull).get("max_timeout_run_ms").isNull()).isTrue();
            ObjectNode withTimeout = persistentSpec();
            withTimeout.put("max_timeout_run_ms", 3_600_000);
            assertThat(errors(withTimeout)).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("max_timeout_run_ms");
                assertThat(e.message()).startsWith("must be null for PERSISTENT jobs");
            });
        }

        @Test
        void persistent_with_an_out_of_range_timeout_gets_one_error_not_two() {
            ObjectNode spec = persistentSpec();
            spec.put("max_timeout_run_ms", 5);
            assertThat(errors(spec)).singleElement().extracting(FieldError::message).asString().contains("PERSISTENT");
        }

        @Test
        void invalid_task_does_not_add_a_run_timeout_error() {
            ObjectNode spec = with("task", json("\"NOPE\""));
            spec.remove("max_timeout_run_ms");
            assertThat(fields(errors(spec))).containsExactly("task");
        }
    }

    @Nested
    class Gpus {
        private ObjectNode gpuSpec(String field, String value) {
            ObjectNode spec = batchSpec();
            spec.put("gpu_count", 1);
            spec.put(field, value);
            return spec;
        }

        @Test
        void gpu_name_matches_names_and_aliases_case_insensitively_and_is_kept_as_sent() {
            assertThat(validator.validate(gpuSpec("gpu_name", "a100")).get("gpu_name").textValue()).isEqualTo("a100");
            assertThat(validator.validate(gpuSpec("gpu_name", "nvidia geforce RTX 4090")).get("gpu_name").textValue())
                    .isEqualTo("nvidia geforce RTX 4090");
        }

        @Test
        void unknown_gpu_name_points_to_the_registry() {
            assertThat(errors(gpuSpec("gpu_name", "Voodoo 2"))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("gpu_name", "unknown GPU model \"Voodoo 2\"; GET /v1/gpu-registry lists the known models"));
        }

        @Test
        void gpu_registry_uuid_must_be_a_uuid_known_to_the_registry() {
            assertThat(validator.validate(gpuSpec("gpu_registry_uuid", A100_UUID.toString().toUpperCase())).get("gpu_registry_uuid").textValue())
                    .isEqualTo(A100_UUID.toString());
            assertThat(errors(gpuSpec("gpu_registry_uuid", "not-a-uuid"))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("gpu_registry_uuid", "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a"));
            assertThat(errors(gpuSpec("gpu_registry_uuid", "00000000-0000-0000-0000-000000000000")))
                    .singleElement().extracting(FieldError::message).asString().contains("GET /v1/gpu-registry");
        }

        @Test
        void name_and_uuid_together_are_rejected() {
            ObjectNode spec = gpuSpec("gpu_name", "A100");
            spec.put("gpu_registry_uuid", A100_UUID.toString());
            assertThat(errors(spec)).extracting(FieldError::field).containsExactly("gpu_name");
        }

        @Test
        void gpu_model_needs_gpu_count_of_at_least_one() {
            ObjectNode byName = gpuSpec("gpu_name", "A100");
            byName.put("gpu_count", 0);
            assertThat(errors(byName)).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("gpu_name", "needs gpu_count >= 1 (gpu_count is 0)"));
            ObjectNode byUuid = gpuSpec("gpu_registry_uuid", A100_UUID.toString());
            byUuid.remove("gpu_count");
            assertThat(errors(byUuid)).extracting(FieldError::field).containsExactly("gpu_registry_uuid");
        }

        @Test
        void empty_catalog_knows_no_gpu() {
            var empty = new JobSpecValidator(dev.galley.core.gpu.GpuCatalog.empty());
            assertThat(errorsOf(() -> empty.validate(gpuSpec("gpu_name", "A100")))).extracting(FieldError::field).containsExactly("gpu_name");
        }
    }

    @Nested
    class Regions {
        @Test
        void valid_codes_pass_in_order() {
            assertThat(validator.validate(with("allowed_region_codes", json("[\"us-east-1\", \"ap-southeast-7\"]")))
                    .get("allowed_region_codes")).isEqualTo(json("[\"us-east-1\", \"ap-southeast-7\"]"));
        }

        @Test
        void all_36_pass_and_more_than_36_fail() {
            ArrayNode all = Json.NODES.arrayNode();
            RegionCodes.ALL.forEach(all::add);
            assertThat(validator.validate(with("allowed_region_codes", all)).get("allowed_region_codes")).hasSize(36);
            ArrayNode tooMany = all.deepCopy();
            tooMany.add("us-east-1");
            assertThat(errors(with("allowed_region_codes", tooMany))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("allowed_region_codes", "must have at most 36 items"));
        }

        @Test
        void unknown_and_duplicate_codes_name_their_index() {
            assertThat(errors(with("allowed_region_codes", json("[\"us-east-1\", \"mars-1\", \"us-east-1\", 5]"))))
                    .extracting(FieldError::field).containsExactly(
                            "allowed_region_codes[1]", "allowed_region_codes[2]", "allowed_region_codes[3]");
            assertThat(errors(with("allowed_region_codes", json("[\"eu-west-1\", \"eu-west-1\"]"))))
                    .extracting(FieldError::message).containsExactly("duplicate region code \"eu-west-1\"");
            assertThat(errors(with("allowed_region_codes", json("\"us-east-1\"")))).extracting(FieldError::field)
                    .containsExactly("allowed_region_codes");
        }
    }

    @Nested
    class Parameters {
        @Test
        void parameters_are_required_and_must_be_objects() {
            ObjectNode spec = batchSpec();
            spec.remove("parameters");
            assertThat(fields(errors(spec))).containsExactly("parameters");
            assertThat(fields(errors(with("parameters", json("[]"))))).containsExactly("parameters");
            assertThat(fields(errors(with("parameters", json("{}"))))).containsExactly("parameters.parameters");
            assertThat(fields(errors(with("parameters", json("{\"parameters\": 3}"))))).containsExactly("parameters.parameters");
        }

        @Test
        void type_must_be_docker_when_present() {
            assertThat(errors(with("parameters", json("{\"type\": \"vm\", \"parameters\": {\"image\": \"a\"}}"))))
                    .extracting(FieldError::field, FieldError::message).containsExactly(tuple("parameters.type", "must be \"docker\""));
            assertThat(fields(errors(with("parameters", json("{\"type\": null, \"parameters\": {\"image\": \"a\"}}")))))
                    .containsExactly("parameters.type");
        }

        @Test
        void image_is_required_and_non_empty() {
            ObjectNode spec = batchSpec();
            container(spec).remove("image");
            assertThat(errors(spec)).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("parameters.parameters.image", "is required"));
            assertThat(errors(withContainer("image", json("\"\"")))).extracting(FieldError::message).containsExactly("must not be empty");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ubuntu", "ubuntu:", "ubuntu@sha256:abc", "a//b", "-a", "a b", "ghcr.io/Org/app", ":tag"})
        void invalid_image_references_are_rejected(String image) {
            assertThat(errors(withContainer("image", Json.NODES.textNode(image)))).singleElement()
                    .satisfies(e -> assertThat(e.message()).startsWith("must be a valid image reference"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.2.3", "latest", "_x", "V1-rc.2_b"})
        void valid_tags_pass(String tag) {
            assertThat(container(validator.validate(withContainer("tag", Json.NODES.textNode(tag)))).get("tag").textValue()).isEqualTo(tag);
        }

        @ParameterizedTest
        @ValueSource(strings = {".x", "-x", "a:b", "a/b", "a b"})
        void invalid_tags_are_rejected(String tag) {
            assertThat(fields(errors(withContainer("tag", Json.NODES.textNode(tag))))).containsExactly("parameters.parameters.tag");
        }

        @Test
        void tag_longer_than_128_is_rejected() {
            assertThat(container(validator.validate(withContainer("tag", Json.NODES.textNode("a".repeat(128))))).get("tag").textValue()).hasSize(128);
            assertThat(fields(errors(withContainer("tag", Json.NODES.textNode("a".repeat(129)))))).containsExactly("parameters.parameters.tag");
        }

        @Test
        void sshkey_must_be_an_openssh_public_key_line() {
            assertThat(container(validator.validate(withContainer("sshkey", Json.NODES.textNode(ED25519_KEY)))).get("sshkey").textValue())
                    .isEqualTo(ED25519_KEY);
            assertThat(fields(errors(withContainer("sshkey", json("\"-----BEGIN OPENSSH PRIVATE KEY-----\"")))))
                    .containsExactly("parameters.parameters.sshkey");
        }

        @Test
        void allowed_ips_are_checked_per_item_and_canonicalized() {
            assertThat(container(validator.validate(withContainer("allowed_ips", json("[\"10.1.2.3/8\", \"2001:DB8::1\"]")))).get("allowed_ips"))
                    .isEqualTo(json("[\"10.0.0.0/8\", \"2001:db8::1\"]"));
            assertThat(errors(withContainer("allowed_ips", json("[\"10.0.0.0/8\", \"example.com\", 7]"))))
                    .extracting(FieldError::field).containsExactly(
                            "parameters.parameters.allowed_ips[1]", "parameters.parameters.allowed_ips[2]");
        }
    }

    @Nested
    class Env {
        @Test
        void names_must_be_identifiers_and_values_strings() {
            List<FieldError> errors = errors(withContainer("env", json("{\"OK_1\": \"x\", \"1BAD\": \"x\", \"A-B\": \"x\", \"NUM\": 5}")));
            assertThat(errors).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                    tuple("parameters.parameters.env.1BAD", "is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)"),
                    tuple("parameters.parameters.env.A-B", "is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)"),
                    tuple("parameters.parameters.env.NUM", "must be a string"));
        }

        @Test
        void galley_prefix_is_reserved() {
            assertThat(errors(withContainer("env", json("{\"GALLEY_NODE_INDEX\": \"3\"}")))).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("parameters.parameters.env.GALLEY_NODE_INDEX");
                assertThat(e.message()).contains("reserved");
            });
            assertThat(container(validator.validate(withContainer("env", json("{\"GALLEYX\": \"ok\"}")))).get("env"))
                    .isEqualTo(json("{\"GALLEYX\": \"ok\"}"));
        }

        @Test
        void total_size_is_capped_at_64_kib() {
            // "A=" + value: 2 + value bytes; exactly 65536 passes, one more byte fails.
            ObjectNode exact = Json.object();
            exact.put("A", "v".repeat(65_536 - 2));
            assertThat(container(validator.validate(withContainer("env", exact))).get("env").get("A").textValue()).hasSize(65_534);
            ObjectNode over = Json.object();
            over.put("A", "v".repeat(65_536 - 2));
            over.put("B", "");
            assertThat(errors(withContainer("env", over))).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("parameters.parameters.env");
                assertThat(e.message()).contains("64 KiB");
            });
        }

        @Test
        void env_must_be_an_object() {
            assertThat(fields(errors(withContainer("env", json("[\"A=1\"]"))))).containsExactly("parameters.parameters.env");
        }
    }

    @Nested
    class Ports {
        @Test
        void range_is_1_to_65535() {
            assertThat(container(validator.validate(withContainer("ports", json("[1, 65535]")))).get("ports")).isEqualTo(json("[1, 65535]"));
            assertThat(errors(withContainer("ports", json("[22, 0, 65536, 8.5]")))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(
                            tuple("parameters.parameters.ports[1]", "must be >= 1"),
                            tuple("parameters.parameters.ports[2]", "must be <= 65535"),
                            tuple("parameters.parameters.ports[3]", "must be an integer"));
        }

        @Test
        void duplicates_are_rejected_at_the_repeat() {
            assertThat(errors(withContainer("ports", json("[80, 443, 80.0]")))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("parameters.parameters.ports[2]", "duplicate port 80"));
        }

        @Test
        void at_most_32_ports() {
            ArrayNode ports = Json.NODES.arrayNode();
            for (int p = 1; p <= 32; p++) ports.add(p);
            assertThat(container(validator.validate(withContainer("ports", ports))).get("ports")).hasSize(32);
            ports.add(33);
            assertThat(errors(withContainer("ports", ports))).extracting(FieldError::field, FieldError::message)
                    .containsExactly(tuple("parameters.parameters.ports", "must have at most 32 items"));
        }
    }

    @Nested
    class Volumes {
        @Test
        void volume_gets_defaults_in_fixed_order() {
            JsonNode out = container(validator.validate(withContainer("volumes", json("[{\"mount\": \"/data/\", \"image\": \"org/data\"}]"))));
            assertThat(out.get("volumes")).isEqualTo(json(
                    "[{\"image\": \"org/data\", \"tag\": \"latest\", \"registry\": null, \"user\": null, \"secret\": null, \"mount\": \"/data\"}]"));
        }

        @Test
        void image_and_mount_are_required_and_mount_is_absolute() {
            assertThat(errors(withContainer("volumes", json("[{}, {\"image\": \"a\", \"mount\": \"data\"}]"))))
                    .extracting(FieldError::field, FieldError::message).containsExactly(
                            tuple("parameters.parameters.volumes[0].image", "is required"),
                            tuple("parameters.parameters.volumes[0].mount", "is required"),
                            tuple("parameters.parameters.volumes[1].mount", "must be an absolute path such as /data"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/a/../etc", "/a//b", "/./a"})
        void mount_must_be_a_normalized_path_other_than_root(String mount) {
            ObjectNode volume = Json.object().put("image", "a").put("mount", mount);
            assertThat(fields(errors(withContainer("volumes", Json.NODES.arrayNode().add(volume)))))
                    .containsExactly("parameters.parameters.volumes[0].mount");
        }

        @Test
        void duplicate_mounts_are_rejected() {
            assertThat(errors(withContainer("volumes", json("[{\"image\": \"a\", \"mount\": \"/d\"}, {\"image\": \"b\", \"mount\": \"/d/\"}]"))))
                    .extracting(FieldError::field).containsExactly("parameters.parameters.volumes[1].mount");
        }

        @Test
        void at_most_16_volumes_and_items_must_be_objects() {
            ArrayNode volumes = Json.NODES.arrayNode();
            for (int i = 0; i < 16; i++) volumes.addObject().put("image", "a").put("mount", "/v" + i);
            assertThat(container(validator.validate(withContainer("volumes", volumes))).get("volumes")).hasSize(16);
            volumes.addObject().put("image", "a").put("mount", "/v16");
            assertThat(fields(errors(withContainer("volumes", volumes)))).containsExactly("parameters.parameters.volumes");
            assertThat(fields(errors(withContainer("volumes", json("[\"/data\"]"))))).containsExactly("parameters.parameters.volumes[0]");
        }
    }
}
