package dev.galley.core.cook;

import static dev.galley.core.spec.SpecFixtures.catalog;
import static dev.galley.core.spec.SpecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.spec.Secrets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §8: a recipe's stored registry credentials go only where, and to whom, their owner stored them for. */
class RegistryCredentialsTest {
    private static final String USER = "/parameters/parameters/user";
    private static final String SECRET = "/parameters/parameters/secret";
    private static final String DIGEST = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final boolean OWNER = true;
    private static final boolean STRANGER = false;
    private final Cook cook = new Cook(catalog());

    /** A recipe with private-registry credentials for the container and for one of two volumes. */
    private static ObjectNode recipe() {
        return (ObjectNode) json("""
                {"title": "t", "task": "BATCH", "max_timeout_run_ms": 600000,
                 "parameters": {"parameters": {"image": "ghcr.io/org/app", "tag": "v1", "host": "ghcr.io",
                   "imagesrc": "https://github.com/org/app", "user": "owner-bot", "secret": "owner-pw",
                   "volumes": [{"image": "registry.example.com/data/weights", "registry": "registry.example.com",
                                "user": "vol-user", "secret": "vol-pw", "mount": "/weights"},
                               {"image": "busybox", "mount": "/tools"}]}}}""");
    }

    private CookResult cooked(String body, boolean mayTravel) {
        return cook.cook(recipe(), null, body == null ? null : json(body), mayTravel);
    }

    private static String at(CookResult r, String pointer) {
        JsonNode v = r.spec().at(pointer);
        return v.isNull() || v.isMissingNode() ? null : v.textValue();
    }

    @Nested
    class Cooking {
        @Test
        void the_owner_cooking_as_is_keeps_every_credential() {
            CookResult r = cooked("{}", OWNER);
            assertThat(at(r, USER)).isEqualTo("owner-bot");
            assertThat(at(r, SECRET)).isEqualTo("owner-pw");
            assertThat(at(r, "/parameters/parameters/volumes/0/secret")).isEqualTo("vol-pw");
            assertThat(r.droppedCredentials()).isEmpty();
            assertThat(r.secretPointers()).contains(USER, SECRET, "/parameters/parameters/volumes/0/user");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"parameters\": {\"parameters\": {\"tag\": \"v2\"}}}",
                "{\"parameters\": {\"parameters\": {\"image\": \"ghcr.io/org/app:v9\"}}}",
                "{\"parameters\": {\"parameters\": {\"image\": \"GHCR.io/org/app@sha256:" + DIGEST + "\"}}}",
                "{\"parameters\": {\"parameters\": {\"host\": \"GHCR.IO\"}}}",
                "{\"parameters\": {\"parameters\": {\"host\": \"https://ghcr.io/\"}}}",
                "{\"parameters\": {\"parameters\": {\"env\": {\"X\": \"1\"}, \"ports\": [22]}}, \"cpu_count\": 8}"})
        void changes_that_keep_the_destination_keep_the_credentials(String body) {
            CookResult r = cooked(body, OWNER);
            assertThat(r.droppedCredentials()).isEmpty();
            assertThat(at(r, SECRET)).isEqualTo("owner-pw");
            assertThat(at(r, USER)).isEqualTo("owner-bot");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"parameters\": {\"parameters\": {\"host\": \"my-registry.example\", \"image\": \"my-registry.example/x\"}}}",
                "{\"parameters\": {\"parameters\": {\"host\": \"my-registry.example\"}}}",
                "{\"parameters\": {\"parameters\": {\"image\": \"ghcr.io/org/other-private-app\"}}}",
                "{\"parameters\": {\"parameters\": {\"image\": \"my-registry.example/org/app\"}}}",
                "{\"parameters\": {\"parameters\": {\"host\": null}}}",
                "{\"parameters\": {\"parameters\": {\"host\": \"\"}}}",
                "{\"parameters\": {\"parameters\": {\"imagesrc\": \"https://evil.example/\"}}}",
                "{\"parameters\": {\"parameters\": {\"imagesrc\": null}}}"})
        void changing_host_image_or_imagesrc_drops_the_containers_credentials(String body) {
            CookResult r = cooked(body, OWNER);
            assertThat(at(r, USER)).isNull();
            assertThat(at(r, SECRET)).isNull();
            assertThat(r.droppedCredentials()).containsExactlyInAnyOrder(USER, SECRET);
            assertThat(at(r, "/parameters/parameters/volumes/0/secret")).as("the volume's destination did not change").isEqualTo("vol-pw");
        }

        @Test
        void another_account_gets_no_stored_credential_unless_the_owner_shares() {
            CookResult r = cooked("{}", STRANGER);
            assertThat(r.spec().toString()).doesNotContain("owner-bot", "owner-pw", "vol-user", "vol-pw");
            assertThat(r.droppedCredentials()).containsExactlyInAnyOrder(USER, SECRET,
                    "/parameters/parameters/volumes/0/user", "/parameters/parameters/volumes/0/secret");
            assertThat(r.secretPointers()).isEmpty();
        }

        @Test
        void a_cooks_own_credentials_are_its_own_and_go_where_it_says() {
            CookResult r = cooked("{\"parameters\": {\"parameters\": {\"host\": \"mine.example\", \"image\": \"mine.example/x\","
                    + " \"user\": \"me\", \"secret\": \"my-pw\"}}}", STRANGER);
            assertThat(at(r, USER)).isEqualTo("me");
            assertThat(at(r, SECRET)).isEqualTo("my-pw");
            assertThat(r.secretPointers()).contains(USER, SECRET);
        }

        @Test
        void overriding_only_the_password_with_a_new_host_leaves_no_stored_user_behind() {
            CookResult r = cooked("{\"parameters\": {\"parameters\": {\"host\": \"mine.example\", \"secret\": \"my-pw\"}}}", OWNER);
            assertThat(at(r, SECRET)).isEqualTo("my-pw");
            assertThat(at(r, USER)).isNull();
            assertThat(r.droppedCredentials()).containsExactly(USER);
        }

        @Test
        void a_volumes_override_replaces_every_volume_and_with_them_their_credentials() {
            CookResult r = cooked("{\"parameters\": {\"parameters\": {\"volumes\": [{\"image\": \"evil.example/x\","
                    + " \"registry\": \"evil.example\", \"mount\": \"/weights\"}]}}}", OWNER);
            assertThat(r.spec().toString()).doesNotContain("vol-user", "vol-pw");
            assertThat(r.droppedCredentials()).isEmpty(); // nothing stored was carried over to drop
        }

        @Test
        void docker_hub_aliases_are_one_registry_but_no_host_is_not_docker_hub() {
            ObjectNode hub = (ObjectNode) json("""
                    {"title": "t", "task": "BATCH", "max_timeout_run_ms": 600000,
                     "parameters": {"parameters": {"image": "ubuntu", "host": "docker.io", "user": "u", "secret": "p"}}}""");
            for (String same : new String[]{"{\"host\": \"index.docker.io\"}", "{\"host\": \"registry-1.docker.io\"}",
                    "{\"host\": \"https://index.docker.io/v1/\"}", "{\"image\": \"library/ubuntu\"}",
                    "{\"image\": \"docker.io/library/ubuntu:24.04\"}"}) {
                var r = cook.cook(hub, null, json("{\"parameters\": {\"parameters\": " + same + "}}"), OWNER);
                assertThat(r.droppedCredentials()).as(same).isEmpty();
            }
            for (String other : new String[]{"{\"host\": null}", "{\"image\": \"someone/ubuntu\"}", "{\"image\": \"quay.io/ubuntu\"}"}) {
                var r = cook.cook(hub, null, json("{\"parameters\": {\"parameters\": " + other + "}}"), OWNER);
                assertThat(r.droppedCredentials()).as(other).containsExactlyInAnyOrder(USER, SECRET);
            }
        }

        @Test
        void a_host_or_image_an_input_fills_never_carries_stored_credentials_even_with_the_default() {
            ObjectNode templated = (ObjectNode) json("""
                    {"title": "t", "task": "BATCH", "max_timeout_run_ms": 600000,
                     "parameters": {"parameters": {"image": "{{registry}}/org/app", "host": "{{registry}}",
                       "user": "owner-bot", "secret": "owner-pw"}}}""");
            JsonNode schema = json("[{\"key\": \"registry\", \"type\": \"string\", \"default_value\": \"ghcr.io\"}]");
            for (String body : new String[]{"{}", "{\"inputs\": {\"registry\": \"my-registry.example\"}}",
                    "{\"inputs\": {\"registry\": \"ghcr.io\"}}"}) {
                var r = cook.cook(templated, schema, json(body), OWNER);
                assertThat(r.spec().toString()).as(body).doesNotContain("owner-bot", "owner-pw");
            }
        }

        @Test
        void credentials_the_cook_fills_from_inputs_are_its_own() {
            ObjectNode templated = (ObjectNode) json("""
                    {"title": "t", "task": "BATCH", "max_timeout_run_ms": 600000,
                     "parameters": {"parameters": {"image": "{{registry}}/org/app", "host": "{{registry}}",
                       "user": "{{ user }}", "secret": "{{token}}"}}}""");
            JsonNode schema = json("""
                    [{"key": "registry", "type": "string", "required": true}, {"key": "user", "type": "string"},
                     {"key": "token", "type": "secret"}]""");
            var r = cook.cook(templated, schema,
                    json("{\"inputs\": {\"registry\": \"mine.example\", \"user\": \"me\", \"token\": \"t0k\"}}"), STRANGER);
            assertThat(at(r, USER)).isEqualTo("me");
            assertThat(at(r, SECRET)).isEqualTo("t0k");
            assertThat(r.droppedCredentials()).isEmpty();
        }

        @Test
        void a_volume_image_an_input_fills_drops_that_volumes_credentials_only() {
            ObjectNode templated = recipe();
            ((ObjectNode) templated.at("/parameters/parameters/volumes/0")).put("image", "registry.example.com/data/{{model}}");
            JsonNode schema = json("[{\"key\": \"model\", \"type\": \"string\", \"default_value\": \"weights\"}]");
            var r = cook.cook(templated, schema, json("{\"inputs\": {\"model\": \"someone-elses-weights\"}}"), OWNER);
            assertThat(r.droppedCredentials()).containsExactlyInAnyOrder(
                    "/parameters/parameters/volumes/0/user", "/parameters/parameters/volumes/0/secret");
            assertThat(at(r, SECRET)).isEqualTo("owner-pw");
        }

        @Test
        void the_recipe_is_never_modified() {
            ObjectNode recipe = recipe();
            cook.cook(recipe, null, json("{\"parameters\": {\"parameters\": {\"host\": \"x.example\"}}}"), STRANGER);
            assertThat(recipe).isEqualTo(recipe());
        }
    }

    @Nested
    class Updating {
        private ObjectNode sentBack(String json) {
            return (ObjectNode) json(json);
        }

        private ObjectNode masked() {
            return Secrets.masked(recipe(), Secrets.standardSecretPointers(recipe()));
        }

        @Test
        void a_masked_value_sent_back_unchanged_keeps_the_stored_one() {
            var errors = new FieldErrors();
            var bound = RegistryCredentials.forUpdate(recipe(), masked(), InputSchema.empty(), errors);
            assertThat(errors.isEmpty()).isTrue();
            assertThat(bound.spec()).isEqualTo(recipe());
        }

        @Test
        void a_masked_value_with_a_changed_host_or_image_is_dropped() {
            ObjectNode edited = masked();
            ((ObjectNode) edited.at("/parameters/parameters")).put("host", "my-registry.example").put("image", "my-registry.example/x");
            ((ObjectNode) edited.at("/parameters/parameters/volumes/0")).put("registry", "evil.example");
            var errors = new FieldErrors();
            var bound = RegistryCredentials.forUpdate(recipe(), edited, InputSchema.empty(), errors);
            assertThat(errors.isEmpty()).isTrue();
            assertThat(bound.spec().toString()).doesNotContain("owner-bot", "owner-pw", "vol-user", "vol-pw", Secrets.MASK);
            assertThat(bound.dropped()).hasSize(4);
        }

        @Test
        void new_real_values_with_a_new_host_are_the_authors_and_stay() {
            ObjectNode edited = masked();
            ((ObjectNode) edited.at("/parameters/parameters")).put("host", "new.example").put("image", "new.example/x")
                    .put("user", "new-user").put("secret", "new-pw");
            var bound = RegistryCredentials.forUpdate(recipe(), edited, InputSchema.empty(), new FieldErrors());
            assertThat(bound.spec().at(USER).textValue()).isEqualTo("new-user");
            assertThat(bound.spec().at(SECRET).textValue()).isEqualTo("new-pw");
        }

        @Test
        void reordered_or_removed_volumes_keep_each_volumes_own_credentials() {
            ObjectNode reordered = masked();
            var volumes = (com.fasterxml.jackson.databind.node.ArrayNode) reordered.at("/parameters/parameters/volumes");
            JsonNode first = volumes.remove(0);
            volumes.add(first);
            var bound = RegistryCredentials.forUpdate(recipe(), reordered, InputSchema.empty(), new FieldErrors());
            assertThat(bound.spec().at("/parameters/parameters/volumes/1/secret").textValue()).isEqualTo("vol-pw");
            assertThat(bound.spec().at("/parameters/parameters/volumes/1/user").textValue()).isEqualTo("vol-user");
            assertThat(bound.spec().at("/parameters/parameters/volumes/0/secret").isMissingNode()).isTrue();

            ObjectNode removed = masked();
            ((com.fasterxml.jackson.databind.node.ArrayNode) removed.at("/parameters/parameters/volumes")).remove(1);
            ((com.fasterxml.jackson.databind.node.ArrayNode) removed.at("/parameters/parameters/volumes"))
                    .insert(0, json("{\"image\": \"alpine\", \"mount\": \"/a\"}"));
            var kept = RegistryCredentials.forUpdate(recipe(), removed, InputSchema.empty(), new FieldErrors());
            assertThat(kept.spec().at("/parameters/parameters/volumes/1/secret").textValue()).isEqualTo("vol-pw");
        }

        @Test
        void a_volume_moved_onto_another_registry_does_not_take_a_neighbours_credentials() {
            ObjectNode swapped = masked();
            // Volume 1 (busybox, no credentials) claims volume 0's masked values: it has nothing stored behind it.
            ((ObjectNode) swapped.at("/parameters/parameters/volumes/1")).put("user", Secrets.MASK).put("secret", Secrets.MASK);
            ((ObjectNode) swapped.at("/parameters/parameters/volumes/0")).put("image", "busybox").put("registry", "docker.io");
            var errors = new FieldErrors();
            var bound = RegistryCredentials.forUpdate(recipe(), swapped, InputSchema.empty(), errors);
            assertThat(bound.spec().toString()).doesNotContain("vol-user", "vol-pw");
        }

        @Test
        void a_mask_with_nothing_stored_behind_it_is_an_error_naming_the_field() {
            ObjectNode created = recipe();
            ((ObjectNode) created.at("/parameters/parameters")).put("secret", Secrets.MASK);
            ((ObjectNode) created.at("/parameters/parameters/volumes/1")).put("user", Secrets.MASK);
            var errors = new FieldErrors();
            RegistryCredentials.forUpdate(null, created, InputSchema.empty(), errors);
            assertThat(errors.list()).extracting(FieldError::field).containsExactlyInAnyOrder(
                    "payload.parameters.parameters.secret", "payload.parameters.parameters.volumes[1].user");
        }

        @Test
        void a_masked_placeholder_comes_back_as_the_placeholder_wherever_the_host_moves() {
            ObjectNode stored = recipe();
            ((ObjectNode) stored.at("/parameters/parameters")).put("secret", "{{token}}").put("host", "old.example");
            ObjectNode edited = recipe();
            ((ObjectNode) edited.at("/parameters/parameters")).put("secret", Secrets.MASK).put("host", "new.example");
            var schema = InputSchema.parse(json("[{\"key\": \"token\", \"type\": \"secret\"}]"), "");
            var bound = RegistryCredentials.forUpdate(stored, edited, schema, new FieldErrors());
            assertThat(bound.spec().at(SECRET).textValue()).isEqualTo("{{token}}");
        }
    }

    @Nested
    class Forking {
        @Test
        void the_owners_fork_keeps_everything() {
            assertThat(RegistryCredentials.forFork(recipe(), InputSchema.empty(), true).spec()).isEqualTo(recipe());
        }

        @Test
        void another_accounts_fork_keeps_no_stored_credential_but_keeps_placeholders() {
            ObjectNode withInput = recipe();
            ((ObjectNode) withInput.at("/parameters/parameters/volumes/0")).put("secret", "{{hf_token}}");
            var schema = InputSchema.parse(json("[{\"key\": \"hf_token\", \"type\": \"secret\"}]"), "");
            var fork = RegistryCredentials.forFork(withInput, schema, false);
            assertThat(fork.spec().toString()).doesNotContain("owner-bot", "owner-pw", "vol-user");
            assertThat(fork.spec().at("/parameters/parameters/volumes/0/secret").textValue()).isEqualTo("{{hf_token}}");
            assertThat(fork.dropped()).containsExactlyInAnyOrder(USER, SECRET, "/parameters/parameters/volumes/0/user");
        }
    }

    @Nested
    class FixedDestinations {
        private java.util.List<FieldError> problems(String payload, String schema) {
            var errors = new FieldErrors();
            RegistryCredentials.checkFixedDestinations((ObjectNode) json(payload), InputSchema.parse(json(schema), ""), errors);
            return errors.list();
        }

        @Test
        void stored_credentials_next_to_a_templated_host_or_image_are_refused_at_write_time() {
            assertThat(problems("""
                    {"parameters": {"parameters": {"image": "{{reg}}/app", "host": "{{reg}}", "secret": "pw",
                      "volumes": [{"image": "x.example/{{model}}", "registry": "x.example", "user": "u", "mount": "/m"}]}}}""",
                    "[{\"key\": \"reg\", \"type\": \"string\"}, {\"key\": \"model\", \"type\": \"string\"}]"))
                    .extracting(FieldError::field).containsExactlyInAnyOrder("payload.parameters.parameters.host",
                            "payload.parameters.parameters.image", "payload.parameters.parameters.volumes[0].image");
        }

        @Test
        void templated_destinations_are_fine_without_stored_credentials() {
            assertThat(problems("""
                    {"parameters": {"parameters": {"image": "{{reg}}/app", "host": "{{reg}}", "user": "{{u}}", "secret": "{{pw}}"}}}""",
                    "[{\"key\": \"reg\", \"type\": \"string\"}, {\"key\": \"u\", \"type\": \"string\"}, {\"key\": \"pw\", \"type\": \"secret\"}]"))
                    .isEmpty();
            assertThat(problems("{\"parameters\": {\"parameters\": {\"image\": \"app\", \"host\": \"{{not_an_input}}\", \"secret\": \"pw\"}}}", "[]"))
                    .as("a placeholder of no input is literal text").isEmpty();
        }
    }

    @Test
    void names_compare_the_way_registries_do() {
        assertThat(RegistryCredentials.registryHost(" HTTPS://GHCR.io/ ")).isEqualTo("ghcr.io");
        assertThat(RegistryCredentials.registryHost("registry.hub.docker.com")).isEqualTo("docker.io");
        assertThat(RegistryCredentials.registryHost("")).isNull();
        assertThat(RegistryCredentials.imageName("ubuntu:24.04")).isEqualTo("docker.io/library/ubuntu");
        assertThat(RegistryCredentials.imageName("index.docker.io/team/app@sha256:" + "b".repeat(64))).isEqualTo("docker.io/team/app");
        assertThat(RegistryCredentials.imageName("LocalHost:5000/app")).isEqualTo("localhost:5000/app");
        assertThat(RegistryCredentials.imageName("{{reg}}/app")).as("a template compares as written").isEqualTo("{{reg}}/app");
    }
}
