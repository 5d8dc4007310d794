package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §1.2: bad input of every kind gets a clear 4xx in the documented shape, never a 500. */
class ErrorsIT {
    static Tenant t;

    @BeforeAll
    static void setUp() {
        t = TestServer.newTenant();
    }

    static JsonNode badRequest(ApiResponse r) {
        JsonNode err = ok(r, 400).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request");
        assertThat(err.get("request_id").asText()).startsWith("req_");
        return err;
    }

    @Test
    void malformedJsonIsA400WithThePosition() {
        for (String body : List.of("{", "{\"title\":}", "[1,2", "nul", "{\"a\":1}{\"b\":2}", "{\"a\":1,\"a\":2}")) {
            JsonNode err = badRequest(t.call("POST", "/v1/jobs", body));
            assertThat(err.get("errors").get(0).get("field").asText()).isEqualTo("body");
        }
    }

    @Test
    void nonObjectBodiesAreRejected() {
        for (String body : List.of("[]", "42", "\"job\"", "null")) {
            badRequest(t.call("POST", "/v1/jobs", body));
            badRequest(t.call("POST", "/v1/job-recipes", body));
        }
        badRequest(t.call("POST", "/v1/jobs", ""));
    }

    @Test
    void wrongTypesAreNamed() {
        JsonNode err = badRequest(t.call("POST", "/v1/jobs", """
                {"title":7,"task":["BATCH"],"cpu_count":"1","gpu_count":true,"min_ram_gb":"8","parameters":"docker"}"""));
        assertThat(err.get("errors")).extracting(e -> e.get("field").asText())
                .contains("title", "task", "cpu_count", "gpu_count", "min_ram_gb", "parameters");
    }

    @Test
    void hugeBodiesAre413() {
        String huge = "{\"title\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        JsonNode err = ok(t.call("POST", "/v1/jobs", huge), 413).get("error");
        assertThat(err.get("type").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void deeplyNestedJsonIsA400NotAStackOverflow() {
        String deep = "{\"title\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        badRequest(t.call("POST", "/v1/jobs", deep));
    }

    @Test
    void badUuidsInPathsAre404() {
        for (String path : List.of("/v1/jobs/123", "/v1/jobs/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "/v1/job-recipes/%27%3B--",
                "/v1/api-keys/1-1-1-1-1", "/v1/gpu-registry/x")) {
            JsonNode err = ok(t.call("GET", path, null), 404).get("error");
            assertThat(err.get("type").asText()).as(path).isEqualTo("not_found");
        }
        assertThat(ok(t.call("GET", "/v1/jobs/" + java.util.UUID.randomUUID(), null), 404)).isNotNull();
    }

    @Test
    void unknownEndpointsAre404InTheErrorShape() {
        ApiResponse r = t.client().send("GET", "/v1/nope", null, java.util.Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("not_found");
        assertThat(r.header("X-Request-Id")).isPresent();
    }

    @Test
    void unicodeRoundTripsAndNulCharactersAreRefused() {
        JsonNode job = t.ok("POST", "/v1/jobs", """
                {"title":"Ünïcødé 🚀 \\t done","task":"BATCH","max_timeout_run_ms":60000,"parameters":{"parameters":{"image":"busybox"}}}""", 201);
        assertThat(job.get("title").asText()).isEqualTo("Ünïcødé 🚀 \t done");
        // PostgreSQL text cannot hold U+0000, so it is a 400 naming the field rather than a storage error.
        JsonNode err = badRequest(t.call("POST", "/v1/jobs", """
                {"title":"a\\u0000b","task":"BATCH","max_timeout_run_ms":60000,"parameters":{"parameters":{"image":"busybox"}}}"""));
        assertThat(err.get("errors").get(0).get("field").asText()).isEqualTo("title");
    }
}
