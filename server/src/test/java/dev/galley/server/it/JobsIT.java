package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.it.TestServer.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §5 and §1.1: creating, listing (every filter, sort and page rule), getting and cancelling jobs. */
class JobsIT {
    static final int JOBS = 2000;
    static Tenant lister;
    static List<JsonNode> created = new ArrayList<>();

    static String jobBody(int i) {
        boolean persistent = i % 5 == 0;
        return """
                {"title":"job %d","task":"%s","cpu_count":%d,"min_ram_gb":%d,"min_storage_gb":%s,"max_timeout_run_ms":%s,
                 "parameters":{"parameters":{"image":"busybox"}}}"""
                .formatted(i, persistent ? "PERSISTENT" : "BATCH", i % 8, i % 16, (i % 4) + ".5", persistent ? "null" : "60000");
    }

    @BeforeAll
    static void createAFewThousandJobs() throws Exception {
        lister = TestServer.newTenant();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String body = jobBody(i);
            futures.add(pool.submit(() -> {
                ApiResponse r = lister.client().send("POST", "/v1/jobs", body.getBytes(), java.util.Map.of());
                assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
                return r.json();
            }));
        }
        for (var f : futures) created.add(f.get());
        pool.shutdown();
    }

    @Test
    void createdJobsArePendingWithAnAssignDeadline() {
        JsonNode job = created.get(1);
        assertThat(job.get("status").asText()).isEqualTo("PENDING");
        assertThat(job.get("status_reason_code").asText()).isEqualTo("WAITING_FOR_CAPACITY");
        long created = java.time.Instant.parse(job.get("created_at").asText()).toEpochMilli();
        assertThat(job.get("timeout_assign_at_ms").asLong()).isEqualTo(created + 300_000);
        assertThat(job.get("max_timeout_start_ms").asLong()).isEqualTo(300_000);
        assertThat(job.get("max_node_count").asInt()).isEqualTo(1);
        assertThat(job.at("/parameters/parameters/tag").asText()).isEqualTo("latest");
        assertThat(job.get("container_access_tokens").get(0).get("token").asText()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void totalIsExactAndPagesDoNotOverlap() {
        JsonNode first = lister.ok("GET", "/v1/jobs?limit=50", null, 200);
        assertThat(first.get("total").asInt()).isEqualTo(JOBS);
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(first.get("limit").asInt()).isEqualTo(50);
        Set<String> seen = new HashSet<>();
        for (int page = 1; page <= JOBS / 50; page++) {
            JsonNode p = lister.ok("GET", "/v1/jobs?limit=50&page=" + page, null, 200);
            assertThat(p.get("data")).hasSize(50);
            p.get("data").forEach(j -> assertThat(seen.add(j.get("uuid").asText())).as("no job twice").isTrue());
        }
        assertThat(seen).hasSize(JOBS);
        JsonNode beyond = lister.ok("GET", "/v1/jobs?limit=50&page=" + (JOBS / 50 + 1), null, 200);
        assertThat(beyond.get("data")).isEmpty();
        assertThat(beyond.get("total").asInt()).isEqualTo(JOBS);
        assertThat(lister.ok("GET", "/v1/jobs?page=99999999999", null, 200).get("data")).isEmpty();
    }

    @Test
    void defaultSortIsNewestFirstAndCreatedAtSortsOldestFirst() {
        JsonNode desc = lister.ok("GET", "/v1/jobs?limit=50", null, 200);
        JsonNode asc = lister.ok("GET", "/v1/jobs?limit=50&sort=created_at", null, 200);
        assertThat(desc.get("limit").asInt()).isEqualTo(50);
        List<String> d = new ArrayList<>();
        desc.get("data").forEach(j -> d.add(j.get("created_at").asText()));
        List<String> a = new ArrayList<>();
        asc.get("data").forEach(j -> a.add(j.get("created_at").asText()));
        assertThat(d).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(a).isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(lister.ok("GET", "/v1/jobs?sort=-updated_at", null, 200).get("data")).hasSize(20);
    }

    @Test
    void everyFilterNarrowsToExactlyTheMatchingJobs() {
        assertThat(count("filter[task]=PERSISTENT")).isEqualTo(JOBS / 5);
        assertThat(count("filter[task]=BATCH,PERSISTENT")).isEqualTo(JOBS);
        assertThat(count("filter[cpu_count]=3")).isEqualTo(JOBS / 8);
        assertThat(count("filter[cpu_count]=0,1")).isEqualTo(JOBS / 4);
        assertThat(count("filter[min_ram_gb]=8,15")).isEqualTo(JOBS / 2);
        assertThat(count("filter[min_storage_gb]=2.5")).isEqualTo(JOBS / 4);
        assertThat(count("filter[gpu_count]=0")).isEqualTo(JOBS);
        assertThat(count("filter[min_vram_gb]=1,100")).isZero();
        assertThat(count("filter[status]=PENDING,RUNNING")).isGreaterThan(0);
        String uuids = created.get(0).get("uuid").asText() + "," + created.get(1).get("uuid").asText();
        assertThat(count("filter[uuid]=" + uuids)).isEqualTo(2);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(count("filter[created_at]=2020-01-01," + today)).isEqualTo(JOBS);
        assertThat(count("filter[created_at]=2020-01-01,2020-12-31")).isZero();
        assertThat(count("filter[cpu_count]=3&filter[task]=BATCH")).isEqualTo(JOBS / 8 - JOBS / 40);
    }

    @Test
    void sourceRecipeFilterFindsCookedJobs() {
        Tenant t = TestServer.newTenant();
        String recipe = t.ok("POST", "/v1/job-recipes", Recipes.recipe("src", "PRIVATE"), 201).get("uuid").asText();
        t.ok("POST", "/v1/job-recipes/" + recipe + "/cook", "{}", 201);
        t.ok("POST", "/v1/job-recipes/" + recipe + "/cook", "{}", 201);
        t.ok("POST", "/v1/jobs", Recipes.job(), 201);
        assertThat(t.ok("GET", "/v1/jobs?filter[source_recipe_uuid]=" + recipe, null, 200).get("total").asInt()).isEqualTo(2);
    }

    private static int count(String query) {
        return lister.ok("GET", "/v1/jobs?limit=1&" + query, null, 200).get("total").asInt();
    }

    @Test
    void badListParametersAre400NamingTheParameter() {
        for (String q : List.of("limit=0", "limit=51", "limit=ten", "page=0", "sort=title", "filter[status]=SLEEPING",
                "filter[cpu_count]=abc", "filter[cpu_count]=5,2", "filter[created_at]=yesterday", "filter[colour]=red",
                "filter[uuid]=not-a-uuid", "bogus=1")) {
            JsonNode err = ok(lister.call("GET", "/v1/jobs?" + q, null), 400).get("error");
            String param = q.substring(0, q.indexOf('='));
            assertThat(err.get("errors")).as(q).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(param));
        }
    }

    @Test
    void otherAccountsSeeNoneOfTheseJobs() {
        Tenant other = TestServer.newTenant();
        assertThat(other.ok("GET", "/v1/jobs", null, 200).get("total").asInt()).isZero();
        String uuid = created.get(7).get("uuid").asText();
        assertThat(ok(other.call("GET", "/v1/jobs/" + uuid, null), 404)).isNotNull();
        assertThat(ok(other.call("PUT", "/v1/jobs/" + uuid + "/cancel", "{}"), 404)).isNotNull();
        // An operator with jobs.read.all does see them.
        assertThat(TestServer.ok(TestServer.call(TestServer.operator(), "GET", "/v1/jobs/" + uuid, null), 200)).isNotNull();
    }

    @Test
    void cancellingAPendingJobCancelsItAtOnceAndAgainIsAConflict() {
        Tenant t = TestServer.newTenant();
        String uuid = t.ok("POST", "/v1/jobs", Recipes.job(), 201).get("uuid").asText();
        JsonNode cancelled = t.ok("PUT", "/v1/jobs/" + uuid + "/cancel", "{\"reason\":\"changed my mind\"}", 200);
        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("status_reason_code").asText()).isEqualTo("CANCELLED_BY_USER");
        assertThat(cancelled.get("status_reason").asText()).contains("changed my mind");
        assertThat(cancelled.get("completed_at").isNull()).isFalse();
        assertThat(cancelled.get("timeout_assign_at_ms").isNull()).isTrue();
        JsonNode again = ok(t.call("PUT", "/v1/jobs/" + uuid + "/cancel", null), 409).get("error");
        assertThat(again.get("type").asText()).isEqualTo("conflict");
        assertThat(t.ok("GET", "/v1/jobs?filter[status]=CANCELLED", null, 200).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void totalsFromTheKeptCountersFollowStatusChanges() {
        Tenant t = TestServer.newTenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(t.ok("POST", "/v1/jobs", Recipes.job(), 201).get("uuid").asText());
        t.ok("PUT", "/v1/jobs/" + ids.get(0) + "/cancel", null, 200);
        // limit=1 makes every page "full", so the total cannot come from counting the page.
        assertThat(t.ok("GET", "/v1/jobs?limit=1", null, 200).get("total").asInt()).isEqualTo(3);
        assertThat(t.ok("GET", "/v1/jobs?limit=1&filter[status]=PENDING", null, 200).get("total").asInt()).isEqualTo(2);
        assertThat(t.ok("GET", "/v1/jobs?limit=1&filter[status]=CANCELLED", null, 200).get("total").asInt()).isEqualTo(1);
        assertThat(t.ok("GET", "/v1/jobs?limit=1&filter[status]=CANCELLED,PENDING", null, 200).get("total").asInt()).isEqualTo(3);
        JsonNode third = t.ok("GET", "/v1/jobs?limit=1&page=3&sort=created_at", null, 200);
        assertThat(third.get("data")).singleElement().satisfies(j -> assertThat(ids).contains(j.get("uuid").asText()));
        assertThat(t.ok("GET", "/v1/jobs?limit=1&page=4", null, 200).get("data")).isEmpty();
    }

    @Test
    void createRejectsBadSpecsWithEveryError() {
        JsonNode err = ok(lister.call("POST", "/v1/jobs", """
                {"title":"","task":"BATCH","cpu_count":4.5,"gpu_count":0,"min_vram_gb":8,"max_timeout_run_ms":null,
                 "parameters":{"type":"podman","parameters":{"image":"","ports":[22,22,70000],"env":{"GALLEY_X":"1","bad name":"2"},
                 "allowed_ips":["nope"],"volumes":[{"image":"data","mount":"relative/path"}]}}}"""), 400).get("error");
        assertThat(err.get("errors")).extracting(e -> e.get("field").asText()).contains(
                "title", "cpu_count", "min_vram_gb", "max_timeout_run_ms", "parameters.type", "parameters.parameters.image",
                "parameters.parameters.ports[1]", "parameters.parameters.ports[2]", "parameters.parameters.env.GALLEY_X",
                "parameters.parameters.allowed_ips[0]", "parameters.parameters.volumes[0].mount");
    }

    @Test
    void createIsIdempotentWithAKey() {
        var headers = java.util.Map.of("Idempotency-Key", "job-" + TestServer.randomHex(10));
        Tenant t = TestServer.newTenant();
        ApiResponse a = TestServer.call(t.client(), "POST", "/v1/jobs", Recipes.job(), headers);
        ApiResponse b = TestServer.call(t.client(), "POST", "/v1/jobs", Recipes.job(), headers);
        assertThat(a.status()).isEqualTo(201);
        assertThat(b.bodyText()).isEqualTo(a.bodyText());
        assertThat(t.ok("GET", "/v1/jobs", null, 200).get("total").asInt()).isEqualTo(1);
    }
}
