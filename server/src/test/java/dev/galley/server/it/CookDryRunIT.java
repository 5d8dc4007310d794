package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /v1/job-recipes/{uuid}/cook?dry_run=true: validates as a cook does, returns the job, writes nothing. */
class CookDryRunIT {
    static Tenant alice;
    static String recipe;

    @BeforeAll
    static void setUp() {
        alice = TestServer.newTenant();
        recipe = alice.ok("POST", "/v1/job-recipes", """
                {"name":"preview","payload":{"title":"render {{scene}}","task":"BATCH","max_timeout_run_ms":60000,
                  "parameters":{"parameters":{"image":"busybox","env":{"SCENE":"{{scene}}","TOKEN":"{{token}}"}}}},
                 "input_schema":[{"key":"scene","type":"string","required":true},{"key":"token","type":"secret"}]}""", 201)
                .get("uuid").asText();
    }

    static String dryRun(String uuid) {
        return "/v1/job-recipes/" + uuid + "/cook?dry_run=true";
    }

    static int jobCount(Tenant t) {
        return t.ok("GET", "/v1/jobs?limit=50", null, 200).get("data").size();
    }

    @Test
    void returnsTheJobTheCookWouldCreateAndCreatesNothing() {
        int before = jobCount(alice);
        JsonNode lastUsed = alice.ok("GET", "/v1/job-recipes/" + recipe, null, 200).get("last_used_at");
        JsonNode job = alice.ok("POST", dryRun(recipe),
                "{\"inputs\":{\"scene\":\"city\",\"token\":\"s3cr3t\"},\"cpu_count\":3}", 200);
        assertThat(job.get("object").asText()).isEqualTo("job");
        assertThat(job.get("status").asText()).isEqualTo("PENDING");
        assertThat(job.get("title").asText()).isEqualTo("render city");
        assertThat(job.get("cpu_count").asInt()).isEqualTo(3);
        assertThat(job.get("source_recipe_uuid").asText()).isEqualTo(recipe);
        assertThat(job.at("/parameters/parameters/env/TOKEN").asText()).isEqualTo("********");
        assertThat(job.toString()).doesNotContain("s3cr3t");

        assertThat(jobCount(alice)).isEqualTo(before);
        assertThat(alice.call("GET", "/v1/jobs/" + job.get("uuid").asText(), null).status()).isEqualTo(404);
        assertThat(alice.ok("GET", "/v1/job-recipes/" + recipe, null, 200).get("last_used_at")).isEqualTo(lastUsed);
    }

    @Test
    void validatesExactlyAsCookDoes() {
        String body = "{\"inputs\":{\"nope\":1},\"cpu_count\":-1,\"cpu_cont\":2}";
        JsonNode preview = ok(alice.call("POST", dryRun(recipe), body), 400);
        JsonNode real = ok(alice.call("POST", "/v1/job-recipes/" + recipe + "/cook", body), 400);
        assertThat(preview.get("error").get("errors")).isEqualTo(real.get("error").get("errors"));
        assertThat(preview.get("error").get("errors")).extracting(e -> e.get("field").asText())
                .contains("inputs.scene", "inputs.nope", "cpu_count", "cpu_cont");
    }

    @Test
    void anIdempotencyKeyIsNeitherStoredNorReplayed() {
        var headers = Map.of("Idempotency-Key", "dry-" + TestServer.randomHex(8));
        ApiResponse a = TestServer.call(alice.client(), "POST", dryRun(recipe), "{\"inputs\":{\"scene\":\"a\"}}", headers);
        ApiResponse b = TestServer.call(alice.client(), "POST", dryRun(recipe), "{\"inputs\":{\"scene\":\"b\"}}", headers);
        assertThat(ok(a, 200).get("title").asText()).isEqualTo("render a");
        assertThat(ok(b, 200).get("title").asText()).isEqualTo("render b");
        // The key was never stored, so the real cook with it creates its job rather than answering 409 or a replay.
        ApiResponse real = TestServer.call(alice.client(), "POST", "/v1/job-recipes/" + recipe + "/cook",
                "{\"inputs\":{\"scene\":\"c\"}}", headers);
        assertThat(ok(real, 201).get("title").asText()).isEqualTo("render c");
    }

    @Test
    void needsTheSamePermissionsAndHidesOtherAccountsPrivateRecipes() {
        Tenant readOnly = TestServer.newTenant(List.of("job_recipes.read.own"));
        readOnly.ok("GET", "/v1/job-recipes?limit=1", null, 200); // the key works, for what it may do
        assertThat(ok(readOnly.call("POST", dryRun(recipe), "{}"), 403).at("/error/type").asText()).isEqualTo("forbidden");

        Tenant bob = TestServer.newTenant();
        JsonNode err = ok(bob.call("POST", dryRun(recipe), "{\"inputs\":{\"scene\":\"x\"}}"), 404);
        assertThat(err.get("error").get("type").asText()).isEqualTo("not_found");
    }

    @Test
    void aDryRunValueOtherThanTrueOrFalseIsRefusedByName() {
        JsonNode err = ok(alice.call("POST", "/v1/job-recipes/" + recipe + "/cook?dry_run=yes", "{}"), 400);
        assertThat(err.toString()).contains("dry_run");
        int before = jobCount(alice);
        alice.ok("POST", "/v1/job-recipes/" + recipe + "/cook?dry_run=false", "{\"inputs\":{\"scene\":\"z\"}}", 201);
        assertThat(jobCount(alice)).isEqualTo(before + 1);
    }
}
