package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /v1/job-recipes/{uuid}/cook against every rule of the seed document, over real HTTP. */
class CookIT {
    static Tenant alice;
    static String recipe;

    @BeforeAll
    static void setUp() {
        alice = TestServer.newTenant();
        recipe = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("seed", "PRIVATE"), 201).get("uuid").asText();
    }

    static String cook(String uuid) {
        return "/v1/job-recipes/" + uuid + "/cook";
    }

    /** Each documented minimum of the seed page: one below fails naming the field, the minimum itself passes. */
    static Stream<Arguments> minimums() {
        return Stream.of(
                Arguments.of("cpu_count", "-1", "0"),
                Arguments.of("gpu_count", "-1", "0"),
                Arguments.of("min_vram_gb", "-0.5", "0"),
                Arguments.of("min_ram_gb", "-1", "0"),
                Arguments.of("min_storage_gb", "-0.01", "0"),
                Arguments.of("max_retry_count", "-1", "0"),
                Arguments.of("max_timeout_assign_ms", "299999", "300000"),
                Arguments.of("max_timeout_start_ms", "119999", "120000"),
                Arguments.of("max_timeout_run_ms", "59999", "60000"),
                Arguments.of("max_node_count", "0", "1"));
    }

    @ParameterizedTest(name = "{0}: {1} fails, {2} passes")
    @MethodSource("minimums")
    void eachMinimumIsEnforcedAsSent(String field, String below, String minimum) {
        ApiResponse bad = alice.call("POST", cook(recipe), "{\"" + field + "\":" + below + "}");
        JsonNode err = ok(bad, 400).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request");
        assertThat(err.get("errors")).anySatisfy(e -> {
            assertThat(e.get("field").asText()).isEqualTo(field);
            assertThat(e.get("message").asText()).contains(">=").contains(minimum);
        });
        JsonNode job = alice.ok("POST", cook(recipe), "{\"" + field + "\":" + minimum + "}", 201);
        assertThat(job.get(field).asDouble()).isEqualTo(Double.parseDouble(minimum));
    }

    @Test
    void emptyBodyAndEmptyObjectCookTheRecipeAsIs() {
        JsonNode a = alice.ok("POST", cook(recipe), null, 201);
        JsonNode b = alice.ok("POST", cook(recipe), "{}", 201);
        for (JsonNode job : List.of(a, b)) {
            assertThat(job.get("object").asText()).isEqualTo("job");
            assertThat(job.get("status").asText()).isEqualTo("PENDING");
            assertThat(job.get("source_recipe_uuid").asText()).isEqualTo(recipe);
            assertThat(job.get("title").asText()).isEqualTo("render frames");
            assertThat(job.get("cpu_count").asInt()).isEqualTo(2);
            assertThat(job.get("timeout_assign_at_ms").asLong()).isGreaterThan(System.currentTimeMillis());
        }
        assertThat(a.get("uuid")).isNotEqualTo(b.get("uuid"));
    }

    @Test
    void responseCarriesEveryFieldOfTheSeedExample() {
        JsonNode job = alice.ok("POST", cook(recipe), "{}", 201);
        for (String f : List.of("object", "created_at", "updated_at", "status", "task", "title", "cpu_count", "gpu_count",
                "min_ram_gb", "min_vram_gb", "min_storage_gb", "parameters", "timeout_assign_at_ms", "uuid", "started_at",
                "completed_at", "description", "gpu_name", "gpu_registry_uuid", "max_timeout_assign_ms",
                "max_timeout_run_ms", "max_timeout_start_ms", "max_retry_count", "max_node_count", "image_size_bytes",
                "allowed_region_codes", "container_access_tokens", "status_reason", "source_recipe_uuid")) {
            assertThat(job.has(f)).as("field %s", f).isTrue();
        }
        assertThat(job.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(job.at("/parameters/parameters/image").asText()).isEqualTo("localhost/galley-test/busybox");
    }

    @Test
    void secretsAreMaskedInTheCookedJob() {
        JsonNode job = alice.ok("POST", cook(recipe), "{}", 201);
        assertThat(job.at("/parameters/parameters/secret").asText()).isEqualTo("********");
        JsonNode again = alice.ok("GET", "/v1/jobs/" + job.get("uuid").asText(), null, 200);
        assertThat(again.toString()).doesNotContain("hunter2");
    }

    @Test
    void overridesReplaceTopLevelFields() {
        JsonNode job = alice.ok("POST", cook(recipe), """
                {"title":"override","description":null,"cpu_count":8,"min_ram_gb":1.5,"allowed_region_codes":["eu-west-1","us-east-1"],
                 "max_retry_count":3}""", 201);
        assertThat(job.get("title").asText()).isEqualTo("override");
        assertThat(job.get("cpu_count").asInt()).isEqualTo(8);
        assertThat(job.get("min_ram_gb").asDouble()).isEqualTo(1.5);
        assertThat(job.get("max_retry_count").asInt()).isEqualTo(3);
        assertThat(job.get("allowed_region_codes")).extracting(JsonNode::asText).containsExactly("eu-west-1", "us-east-1");
    }

    @Test
    void parametersAreAJsonMergePatch() {
        JsonNode job = alice.ok("POST", cook(recipe), """
                {"parameters":{"parameters":{"env":{"MODE":"fast","KEEP":null,"NEW":"1"},"ports":[22,9000],"tag":"2"}}}""", 201);
        JsonNode p = job.at("/parameters/parameters");
        assertThat(p.get("env").get("MODE").asText()).isEqualTo("fast");
        assertThat(p.get("env").has("KEEP")).isFalse();
        assertThat(p.get("env").get("NEW").asText()).isEqualTo("1");
        assertThat(p.get("ports")).extracting(JsonNode::asInt).containsExactly(22, 9000);
        assertThat(p.get("tag").asText()).isEqualTo("2");
        assertThat(p.get("image").asText()).isEqualTo("localhost/galley-test/busybox"); // untouched keys stay
    }

    @Test
    void taskOverrideToPersistentNeedsANullRunTimeout() {
        JsonNode err = ok(alice.call("POST", cook(recipe), "{\"task\":\"PERSISTENT\"}"), 400).get("error");
        assertThat(err.get("errors")).anySatisfy(e -> {
            assertThat(e.get("field").asText()).isEqualTo("max_timeout_run_ms");
            assertThat(e.get("message").asText()).containsIgnoringCase("PERSISTENT");
        });
        JsonNode job = alice.ok("POST", cook(recipe), "{\"task\":\"PERSISTENT\",\"max_timeout_run_ms\":null}", 201);
        assertThat(job.get("task").asText()).isEqualTo("PERSISTENT");
        assertThat(job.get("max_timeout_run_ms").isNull()).isTrue();
    }

    @Test
    void gpuNameAndRegistryUuidAreExclusiveAndClearEachOther() {
        JsonNode gpus = ok(TestServer.call(alice.client(), "GET", "/v1/gpu-registry?filter[name]=4090", null), 200);
        String uuid4090 = gpus.get("data").get(0).get("uuid").asText();
        String withUuid = alice.ok("POST", "/v1/job-recipes", """
                {"name":"gpu","payload":{"title":"t","task":"BATCH","gpu_count":1,"gpu_registry_uuid":"%s",
                 "max_timeout_run_ms":60000,"parameters":{"parameters":{"image":"busybox"}}}}""".formatted(uuid4090), 201)
                .get("uuid").asText();
        JsonNode job = alice.ok("POST", cook(withUuid), "{\"gpu_name\":\"RTX 4090\"}", 201);
        assertThat(job.get("gpu_name").asText()).isEqualTo("RTX 4090");
        assertThat(job.get("gpu_registry_uuid").isNull()).isTrue();

        JsonNode both = ok(alice.call("POST", cook(withUuid), "{\"gpu_name\":\"RTX 4090\",\"gpu_registry_uuid\":\"" + uuid4090 + "\"}"), 400);
        assertThat(both.toString()).contains("gpu_registry_uuid");

        JsonNode cleared = alice.ok("POST", cook(withUuid), "{\"gpu_registry_uuid\":null,\"gpu_name\":\"NVIDIA GeForce RTX 4090\"}", 201);
        assertThat(cleared.get("gpu_name").asText()).isEqualTo("NVIDIA GeForce RTX 4090");

        JsonNode unknown = ok(alice.call("POST", cook(withUuid), "{\"gpu_name\":\"Voodoo 5 6000\"}"), 400);
        assertThat(unknown.toString()).contains("/v1/gpu-registry");
    }

    @Test
    void inputsAreValidatedAndSubstituted() {
        String withInputs = alice.ok("POST", "/v1/job-recipes", """
                {"name":"inputs","payload":{"title":"render {{scene}} x{{count}}","task":"BATCH","max_timeout_run_ms":60000,
                  "parameters":{"parameters":{"image":"busybox","env":{"SCENE":"{{scene}}","FAST":"{{fast}}","TOKEN":"{{token}}","Q":"{{quality}}"}}}},
                 "input_schema":[
                  {"key":"scene","type":"string","required":true},
                  {"key":"count","type":"number","default_value":3},
                  {"key":"fast","type":"boolean","default_value":false},
                  {"key":"quality","type":"select","options":[{"label":"High","value":"high"},{"label":"Low","value":"low"}],"default_value":"low"},
                  {"key":"token","type":"secret"}]}""", 201).get("uuid").asText();
        JsonNode job = alice.ok("POST", cook(withInputs),
                "{\"inputs\":{\"scene\":\"city\",\"count\":12,\"fast\":true,\"token\":\"s3cr3t\"}}", 201);
        assertThat(job.get("title").asText()).isEqualTo("render city x12");
        JsonNode env = job.at("/parameters/parameters/env");
        assertThat(env.get("SCENE").asText()).isEqualTo("city");
        assertThat(env.get("FAST").asText()).isEqualTo("true");
        assertThat(env.get("Q").asText()).isEqualTo("low");
        assertThat(env.get("TOKEN").asText()).isEqualTo("********");
        assertThat(job.toString()).doesNotContain("s3cr3t");

        JsonNode missing = ok(alice.call("POST", cook(withInputs), "{}"), 400);
        assertThat(missing.get("error").get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo("inputs.scene"));
        JsonNode wrong = ok(alice.call("POST", cook(withInputs),
                "{\"inputs\":{\"scene\":\"a\",\"count\":\"many\",\"quality\":\"ultra\",\"nope\":1}}"), 400);
        assertThat(wrong.get("error").get("errors")).extracting(e -> e.get("field").asText())
                .contains("inputs.count", "inputs.quality", "inputs.nope");
    }

    @Test
    void unknownAndMistypedOverrideFieldsAreAllReported() {
        JsonNode err = ok(alice.call("POST", cook(recipe),
                "{\"cpu_cont\":2,\"gpu_count\":\"two\",\"max_node_count\":1.5,\"allowed_region_codes\":[\"mars-1\"]}"), 400);
        assertThat(err.get("error").get("errors")).extracting(e -> e.get("field").asText())
                .contains("cpu_cont", "gpu_count", "max_node_count", "allowed_region_codes[0]");
    }

    @Test
    void integersWrittenWithAZeroFractionAreAccepted() {
        JsonNode job = alice.ok("POST", cook(recipe), "{\"cpu_count\":4.0}", 201);
        assertThat(job.get("cpu_count").isIntegralNumber()).isTrue();
        assertThat(job.get("cpu_count").asInt()).isEqualTo(4);
    }

    @Test
    void regionListOfAll36PassesAndDuplicatesFail() {
        String all = "[\"ca-central-1\",\"ca-west-1\",\"mx-central-1\",\"sa-east-1\",\"us-east-1\",\"us-east-2\",\"us-west-1\",\"us-west-2\","
                + "\"eu-central-1\",\"eu-central-2\",\"eu-north-1\",\"eu-south-1\",\"eu-south-2\",\"eu-west-1\",\"eu-west-2\",\"eu-west-3\","
                + "\"ap-east-1\",\"ap-east-2\",\"ap-northeast-1\",\"ap-northeast-2\",\"ap-northeast-3\",\"ap-south-1\",\"ap-south-2\","
                + "\"ap-southeast-1\",\"ap-southeast-2\",\"ap-southeast-3\",\"ap-southeast-4\",\"ap-southeast-5\",\"ap-southeast-6\","
                + "\"ap-southeast-7\",\"cn-north-1\",\"cn-northwest-1\",\"af-south-1\",\"il-central-1\",\"me-central-1\",\"me-south-1\"]";
        assertThat(alice.ok("POST", cook(recipe), "{\"allowed_region_codes\":" + all + "}", 201).get("allowed_region_codes")).hasSize(36);
        String dup = all.replace("]", ",\"eu-west-1\"]");
        assertThat(ok(alice.call("POST", cook(recipe), "{\"allowed_region_codes\":" + dup + "}"), 400).toString()).contains("allowed_region_codes");
    }

    @Test
    void otherAccountsPrivateRecipeIs404AndArchivedIs409ForTheOwner() {
        Tenant bob = TestServer.newTenant();
        assertThat(ok(bob.call("POST", cook(recipe), "{}"), 404).get("error").get("type").asText()).isEqualTo("not_found");
        assertThat(ok(bob.call("POST", cook("not-a-uuid"), "{}"), 404).get("error").get("type").asText()).isEqualTo("not_found");
        String archived = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("old", "ARCHIVED"), 201).get("uuid").asText();
        assertThat(ok(alice.call("POST", cook(archived), "{}"), 409).get("error").get("type").asText()).isEqualTo("conflict");
        assertThat(ok(bob.call("POST", cook(archived), "{}"), 404).get("error").get("type").asText()).isEqualTo("not_found");
    }

    @Test
    void publicRecipesAreCookableByOthersAndTheJobBelongsToTheCook() {
        Tenant bob = TestServer.newTenant();
        String pub = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("public", "PUBLIC"), 201).get("uuid").asText();
        JsonNode job = bob.ok("POST", cook(pub), "{}", 201);
        assertThat(job.get("account_uuid").asText()).isEqualTo(bob.accountUuid().toString());
        assertThat(ok(alice.call("GET", "/v1/jobs/" + job.get("uuid").asText(), null), 404)).isNotNull();
    }

    @Test
    void cookingUpdatesLastUsedAt() {
        String r = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("used", "PRIVATE"), 201).get("uuid").asText();
        assertThat(alice.ok("GET", "/v1/job-recipes/" + r, null, 200).get("last_used_at").isNull()).isTrue();
        JsonNode job = alice.ok("POST", cook(r), "{}", 201);
        JsonNode after = alice.ok("GET", "/v1/job-recipes/" + r, null, 200);
        assertThat(after.get("last_used_at").asText()).isEqualTo(job.get("created_at").asText());
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponseAndRejectsADifferentBody() {
        String key = "cook-" + TestServer.randomHex(12);
        var headers = Map.of("Idempotency-Key", key);
        ApiResponse first = TestServer.call(alice.client(), "POST", cook(recipe), "{\"title\":\"once\"}", headers);
        ApiResponse second = TestServer.call(alice.client(), "POST", cook(recipe), "{\"title\":\"once\"}", headers);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.bodyText()).isEqualTo(first.bodyText());
        String uuid = first.json().get("uuid").asText();
        JsonNode listed = alice.ok("GET", "/v1/jobs?filter[uuid]=" + uuid, null, 200);
        assertThat(listed.get("total").asInt()).isEqualTo(1);

        ApiResponse different = TestServer.call(alice.client(), "POST", cook(recipe), "{\"title\":\"twice\"}", headers);
        assertThat(ok(different, 409).get("error").get("message").asText()).contains("Idempotency-Key");

        // The same key in another account is another request.
        Tenant bob = TestServer.newTenant();
        String pub = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("pub-idem", "PUBLIC"), 201).get("uuid").asText();
        ApiResponse bobs = TestServer.call(bob.client(), "POST", cook(pub), "{}", headers);
        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.json().get("uuid").asText()).isNotEqualTo(uuid);
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyCreateOneJob() throws Exception {
        String key = "race-" + TestServer.randomHex(12);
        var headers = Map.of("Idempotency-Key", key);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<ApiResponse>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(pool.submit(() -> alice.client().send("POST", cook(recipe), "{\"title\":\"race\"}".getBytes(), headers)));
        }
        java.util.Set<String> uuids = new java.util.HashSet<>();
        for (var f : futures) {
            ApiResponse r = f.get();
            assertThat(r.status()).isEqualTo(201);
            uuids.add(r.json().get("uuid").asText());
        }
        pool.shutdown();
        assertThat(uuids).hasSize(1);
    }

    @Test
    void concurrentCooksWithOneKeyButDifferentBodiesCreateOneJobAndRefuseTheRest() throws Exception {
        String key = "clash-" + TestServer.randomHex(12);
        List<java.util.concurrent.Future<ApiResponse>> futures = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                byte[] body = ("{\"title\":\"clash " + i + "\"}").getBytes();
                futures.add(pool.submit(() -> alice.client().send("POST", cook(recipe), body, Map.of("Idempotency-Key", key))));
            }
        }
        int created = 0;
        for (var f : futures) {
            ApiResponse r = f.get();
            if (r.status() == 201) created++;
            else assertThat(ok(r, 409).get("error").get("message").asText()).contains("Idempotency-Key");
        }
        assertThat(created).isEqualTo(1);
    }

    @Test
    void oneNonceSentEightTimesAtOnceCooksOnce() throws Exception {
        String nonce = TestServer.randomHex(32);
        GalleyClient sameNonce = GalleyClient.builder(TestServer.baseUrl(), ApiKeyPair.parse(alice.keyPair()))
                .nonces(() -> nonce).build();
        List<java.util.concurrent.Future<ApiResponse>> futures = new java.util.ArrayList<>();
        long before = alice.ok("GET", "/v1/jobs?filter[source_recipe_uuid]=" + recipe, null, 200).get("total").asLong();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) futures.add(pool.submit(() -> sameNonce.send("POST", cook(recipe), "{}".getBytes(), Map.of())));
        }
        int created = 0;
        for (var f : futures) {
            ApiResponse r = f.get();
            if (r.status() == 201) created++;
            else assertThat(ok(r, 401).get("error").get("message").asText()).contains("X-Nonce");
        }
        assertThat(created).isEqualTo(1);
        assertThat(alice.ok("GET", "/v1/jobs?filter[source_recipe_uuid]=" + recipe, null, 200).get("total").asLong())
                .isEqualTo(before + 1);
    }

    @Test
    void badIdempotencyKeyIsA400() {
        String longKey = "k".repeat(256);
        ApiResponse r = TestServer.call(alice.client(), "POST", cook(recipe), "{}", Map.of("Idempotency-Key", longKey));
        assertThat(ok(r, 400).toString()).contains("Idempotency-Key");
    }
}
