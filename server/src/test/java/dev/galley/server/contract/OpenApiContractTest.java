package dev.galley.server.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_UUID = "3f1c2a9e-8b7d-4c6e-9a1f-2b3c4d5e6f70";
    private static final String ACCOUNT_UUID = "6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";

    /** Its own instance: the made-up responses here must not count as operations the suite exercised. */
    private static final OpenApiContract contract = OpenApiContract.loadFrom(OpenApiContract.RESOURCE);

    /** A job as the server should render it: every §3/§5 field present. */
    private static ObjectNode validJob() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"uuid": "%s", "object": "job", "title": "Render frames", "description": null,
                 "task": "BATCH", "cpu_count": 4, "gpu_count": 1, "gpu_name": "RTX 4090",
                 "gpu_registry_uuid": null, "min_vram_gb": 16, "min_ram_gb": 32.5, "min_storage_gb": 100,
                 "max_node_count": 1, "max_retry_count": 0, "max_timeout_assign_ms": 300000,
                 "max_timeout_start_ms": 300000, "max_timeout_run_ms": 7200000,
                 "allowed_region_codes": ["eu-west-1"],
                 "parameters": {"type": "docker", "parameters": {"image": "myregistry/processor", "tag": "v1.0",
                   "secret": "********", "env": {"MODE": "fast"}, "ports": [22, 8080],
                   "volumes": [{"image": "data", "mount": "/data", "secret": null}]}},
                 "status": "PENDING", "status_reason": null, "status_reason_code": "WAITING_FOR_CAPACITY",
                 "created_at": "2026-11-26T21:14:09.123Z", "updated_at": "2026-11-26T21:14:09.123Z",
                 "started_at": null, "completed_at": null, "timeout_assign_at_ms": 1795986549123,
                 "image_size_bytes": null, "container_access_tokens": [{"token": "q8Yb0mR2vX5nW7zK1pL4sT9uE3"}],
                 "source_recipe_uuid": null, "account_uuid": "%s", "price_per_hour": "0.029000", "cost_so_far": "0.000000",
                 "some_future_field": "responses may grow"}
                """.formatted(JOB_UUID, ACCOUNT_UUID));
    }

    @Test
    void parsesAsOpenApi31WithEveryOperationOfTheSpec() {
        JsonNode doc = contract.document();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(contract.operations()).contains(
                "GET /health", "GET /metrics", "GET /v1/openapi.yaml",
                "GET /v1/accounts", "POST /v1/accounts", "GET /v1/accounts/{uuid}",
                "GET /v1/api-keys", "POST /v1/api-keys", "GET /v1/api-keys/{uuid}", "DELETE /v1/api-keys/{uuid}",
                "GET /v1/job-recipes", "POST /v1/job-recipes", "GET /v1/job-recipes/{uuid}",
                "PATCH /v1/job-recipes/{uuid}", "DELETE /v1/job-recipes/{uuid}",
                "POST /v1/job-recipes/{uuid}/fork", "POST /v1/job-recipes/{uuid}/cook",
                "GET /v1/jobs", "POST /v1/jobs", "GET /v1/jobs/{uuid}", "PUT /v1/jobs/{uuid}/cancel",
                "GET /v1/job-runs", "GET /v1/job-runs/{uuid}", "PATCH /v1/job-runs/{uuid}",
                "GET /v1/job-runs/{uuid}/logs", "POST /v1/job-runs/{uuid}/logs",
                "GET /v1/gpu-registry", "GET /v1/gpu-registry/{uuid}",
                "GET /v1/nodes", "GET /v1/nodes/{uuid}", "PATCH /v1/nodes/{uuid}", "POST /v1/nodes/register",
                "POST /v1/nodes/{uuid}/heartbeat", "GET /v1/nodes/{uuid}/assignments", "GET /v1/nodes/{uuid}/hardware-events",
                "GET /v1/prices", "POST /v1/prices", "GET /v1/usage", "GET /v1/usage/summary",
                "GET /v1/compute/ledger/transactions", "POST /v1/compute/ledger/transactions", "GET /v1/balance",
                "GET /v1/compute/epochs", "GET /v1/compute/epochs/{uuid}", "GET /v1/compute/epochs/{uuid}/rewards");
        assertThat(contract.operations()).hasSize(45).doesNotHaveDuplicates();
    }

    @Test
    void everyRefResolves() {
        assertThat(contract.unresolvedRefs()).isEmpty();
    }

    @Test
    void signedOperationsCarryTheFourHeaderSchemesAndPublicOnesNone() {
        JsonNode doc = contract.document();
        JsonNode global = doc.path("security").get(0);
        assertThat(global.has("ApiKey") && global.has("Time") && global.has("Nonce") && global.has("Signature")).isTrue();
        List.of("X-API-Key", "X-Time", "X-Nonce", "X-Signature").forEach(header ->
                assertThat(doc.path("components").path("securitySchemes").findValuesAsText("name")).contains(header));
        for (String publicPath : List.of("/health", "/metrics", "/v1/openapi.yaml")) {
            JsonNode security = doc.path("paths").path(publicPath).path("get").path("security");
            assertThat(security.isArray() && security.isEmpty()).as(publicPath + " is unsigned").isTrue();
        }
    }

    @Test
    void everySignedOperationDocuments401And429AndEveryUuidPathDocuments404() {
        List<String> missing = new ArrayList<>();
        for (String op : contract.operations()) {
            String method = op.substring(0, op.indexOf(' ')).toLowerCase();
            String path = op.substring(op.indexOf(' ') + 1);
            JsonNode operation = contract.document().path("paths").path(path).path(method);
            JsonNode responses = operation.path("responses");
            boolean unsigned = operation.path("security").isArray() && operation.path("security").isEmpty();
            if (!unsigned) {
                for (String code : List.of("401", "403", "429", "500")) if (!responses.has(code)) missing.add(op + " " + code);
            }
            if (path.contains("{uuid}") && !responses.has("404")) missing.add(op + " 404");
            if (operation.has("requestBody") && !responses.has("413")) missing.add(op + " 413");
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void aValidJobPassesOnConcreteAndTemplatePaths() throws Exception {
        String job = validJob().toString();
        assertThatCode(() -> contract.assertResponseMatches("GET", "/v1/jobs/" + JOB_UUID, 200, job)).doesNotThrowAnyException();
        assertThatCode(() -> contract.assertResponseMatches("POST", "/v1/jobs", 201, job)).doesNotThrowAnyException();
        assertThatCode(() -> contract.assertResponseMatches("put", "/v1/jobs/{uuid}/cancel", 200, job)).doesNotThrowAnyException();
        assertThat(contract.exercisedOperations()).contains("GET /v1/jobs/{uuid}", "POST /v1/jobs", "PUT /v1/jobs/{uuid}/cancel");
    }

    @Test
    void aJobWithoutStatusFailsNamingTheField() throws Exception {
        ObjectNode job = validJob();
        job.remove("status");
        assertThatThrownBy(() -> contract.assertResponseMatches("GET", "/v1/jobs/" + JOB_UUID, 200, job.toString()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /v1/jobs/{uuid}")
                .hasMessageContaining("(body): required property 'status' not found");
    }

    @Test
    void aJobWithWrongTypesFailsListingEachProblem() throws Exception {
        ObjectNode job = validJob();
        job.put("cpu_count", "four");
        job.put("status", "SLEEPING");
        List<String> problems = contract.responseProblems("GET", "/v1/jobs/" + JOB_UUID, 200, job.toString());
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("cpu_count").contains("integer"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("status").contains("enum"));
    }

    @Test
    void fractionalIntegersAndBadFormatsAreRejected() throws Exception {
        ObjectNode job = validJob();
        job.put("max_retry_count", 1.5);
        job.put("created_at", "yesterday");
        job.put("uuid", "not-a-uuid");
        List<String> problems = contract.responseProblems("GET", "/v1/jobs/" + JOB_UUID, 200, job.toString());
        assertThat(String.join("\n", problems)).contains("max_retry_count").contains("created_at").contains("uuid");
        // 4.0 is a whole number and therefore an integer (spec §1).
        ObjectNode whole = validJob();
        whole.put("cpu_count", 4.0);
        assertThat(contract.responseProblems("GET", "/v1/jobs/" + JOB_UUID, 200, whole.toString())).isEmpty();
    }

    @Test
    void anUnmaskedSecretInAJobIsAContractViolation() throws Exception {
        ObjectNode job = validJob();
        ((ObjectNode) job.path("parameters").path("parameters")).put("secret", "hunter2");
        assertThat(contract.responseProblems("GET", "/v1/jobs/" + JOB_UUID, 200, job.toString()))
                .anySatisfy(p -> assertThat(p).contains("secret"));
    }

    @Test
    void listsAreCheckedItemByItem() throws Exception {
        ObjectNode bad = validJob();
        bad.remove("account_uuid");
        String list = "{\"data\": [" + validJob() + "," + bad + "], \"page\": 1, \"limit\": 20, \"total\": 2}";
        assertThat(contract.responseProblems("GET", "/v1/jobs?filter[status]=PENDING&limit=20", 200, list))
                .anySatisfy(p -> assertThat(p).contains("account_uuid"));
        assertThat(contract.responseProblems("GET", "/v1/jobs", 200,
                "{\"data\": [], \"page\": 3, \"limit\": 20, \"total\": 2}")).isEmpty();
        assertThat(contract.responseProblems("GET", "/v1/jobs", 200, "{\"data\": []}"))
                .anySatisfy(p -> assertThat(p).contains("total"));
    }

    @Test
    void errorBodiesMustCarryTheTypeOfTheirStatus() {
        String notFound = "{\"error\": {\"type\": \"not_found\", \"message\": \"no such job\", \"request_id\": \"r1\"}}";
        assertThatCode(() -> contract.assertResponseMatches("GET", "/v1/jobs/nope", 404, notFound)).doesNotThrowAnyException();
        assertThat(contract.responseProblems("GET", "/v1/jobs/nope", 404,
                "{\"error\": {\"type\": \"conflict\", \"message\": \"x\"}}")).isNotEmpty();
        String invalid = """
                {"error": {"type": "invalid_request", "message": "max_timeout_assign_ms must be >= 300000",
                 "errors": [{"field": "max_timeout_assign_ms", "message": "must be >= 300000"}]}}""";
        assertThat(contract.responseProblems("POST", "/v1/jobs", 400, invalid)).isEmpty();
        String unauth = "{\"error\": {\"type\": \"unauthenticated\", \"message\": \"signature mismatch\","
                + " \"canonical_string\": \"pk_a|1|ab|GET|/v1/jobs||e3b0\"}}";
        assertThat(contract.responseProblems("GET", "/v1/jobs", 401, unauth)).isEmpty();
    }

    @Test
    void anUndocumentedStatusOrOperationFailsClearly() throws Exception {
        String job = validJob().toString();
        assertThatThrownBy(() -> contract.assertResponseMatches("GET", "/v1/jobs/" + JOB_UUID, 418, job))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not document status 418")
                .hasMessageContaining("200");
        assertThatThrownBy(() -> contract.assertResponseMatches("DELETE", "/v1/jobs/" + JOB_UUID, 200, job))
                .isInstanceOf(AssertionError.class).hasMessageContaining("DELETE is not documented");
        assertThatThrownBy(() -> contract.assertResponseMatches("GET", "/v1/teapots", 200, job))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no documented path");
    }

    @Test
    void literalSegmentsWinOverParameters() {
        assertThat(contract.operationFor("POST", "/v1/nodes/register")).isEqualTo("POST /v1/nodes/register");
        assertThat(contract.operationFor("GET", "/v1/nodes/" + JOB_UUID)).isEqualTo("GET /v1/nodes/{uuid}");
        assertThat(contract.operationFor("POST", "/v1/job-recipes/" + JOB_UUID + "/cook"))
                .isEqualTo("POST /v1/job-recipes/{uuid}/cook");
    }

    @Test
    void bodilessAndTextResponses() {
        assertThat(contract.responseProblems("DELETE", "/v1/job-recipes/" + JOB_UUID, 204, null)).isEmpty();
        assertThat(contract.responseProblems("DELETE", "/v1/job-recipes/" + JOB_UUID, 204, "{}")).isNotEmpty();
        assertThat(contract.responseProblems("GET", "/v1/job-runs/" + JOB_UUID + "/logs?follow=true", 200,
                "line 1\nline 2\n")).isEmpty();
        assertThat(contract.responseProblems("GET", "/v1/jobs/" + JOB_UUID, 200, "not json")).isNotEmpty();
    }

    @Test
    void apiKeySecretOnlyOnCreate() {
        String key = """
                {"uuid": "%s", "object": "api_key", "name": "ci", "public_key": "pk_abc",
                 "permissions": ["jobs.read.own"], "allowed_ips": [], "expires_at": null, "is_revoked": false,
                 "created_at": "2026-11-26T21:14:09.123Z", "updated_at": "2026-11-26T21:14:09.123Z",
                 "last_used_at": null, "account_uuid": "%s", "created_by_key_uuid": null%s}""";
        String plain = key.formatted(JOB_UUID, ACCOUNT_UUID, "");
        String withSecret = key.formatted(JOB_UUID, ACCOUNT_UUID, ", \"secret_key\": \"sk_xyz\"");
        assertThat(contract.responseProblems("POST", "/v1/api-keys", 201, withSecret)).isEmpty();
        assertThat(contract.responseProblems("POST", "/v1/api-keys", 201, plain)).isNotEmpty();
        assertThat(contract.responseProblems("GET", "/v1/api-keys/" + JOB_UUID, 200, plain)).isEmpty();
        assertThat(contract.responseProblems("GET", "/v1/api-keys/" + JOB_UUID, 200, withSecret)).isNotEmpty();
    }

    @Test
    void jobSpecRequestSchemaEncodesTheSpecRules() {
        String ok = """
                {"title": "t", "task": "BATCH", "max_timeout_run_ms": 60000,
                 "parameters": {"type": "docker", "parameters": {"image": "alpine"}}}""";
        assertThat(contract.schemaProblems("job_spec", ok)).isEmpty();
        String persistentWithRunTimeout = ok.replace("BATCH", "PERSISTENT");
        assertThat(contract.schemaProblems("job_spec", persistentWithRunTimeout)).isNotEmpty();
        String tooShortAssign = ok.replace("\"max_timeout_run_ms\"", "\"max_timeout_assign_ms\": 299999, \"max_timeout_run_ms\"");
        assertThat(contract.schemaProblems("job_spec", tooShortAssign))
                .anySatisfy(p -> assertThat(p).contains("max_timeout_assign_ms"));
        String unknownField = ok.replace("\"title\"", "\"colour\": \"red\", \"title\"");
        assertThat(contract.schemaProblems("job_spec", unknownField)).anySatisfy(p -> assertThat(p).contains("colour"));
        String bothGpuSelectors = ok.replace("\"title\"",
                "\"gpu_count\": 1, \"gpu_name\": \"RTX 4090\", \"gpu_registry_uuid\": \"" + JOB_UUID + "\", \"title\"");
        assertThat(contract.schemaProblems("job_spec", bothGpuSelectors)).isNotEmpty();
    }
}
