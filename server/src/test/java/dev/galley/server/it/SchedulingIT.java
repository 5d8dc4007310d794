package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spec §5–§6 on a cluster of its own (own PostgreSQL, node TTL 2 s) with simulated nodes speaking the node
 * protocol over signed HTTP. Each test uses its own region so tests cannot take each other's jobs.
 */
class SchedulingIT {
    static final long TTL_MS = 2_000;
    static String db;
    static GalleyServer server;
    static Tenant consumer;
    static final AtomicInteger regionCounter = new AtomicInteger();
    static final List<String> REGIONS = dev.galley.core.spec.RegionCodes.ALL;

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        server = TestServer.start(db, TTL_MS);
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String region() {
        return REGIONS.get(regionCounter.getAndIncrement());
    }

    static String job(String region, String extra) {
        return """
                {"title":"sim","task":"BATCH","max_timeout_run_ms":600000,"allowed_region_codes":["%s"]%s,
                 "parameters":{"parameters":{"image":"busybox","secret":"registry-pw","user":"u","host":"registry.example.com",
                   "sshkey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host"}}}"""
                .formatted(region, extra.isEmpty() ? "" : "," + extra);
    }

    static JsonNode create(String body) {
        return consumer.ok("POST", "/v1/jobs", body, 201);
    }

    static JsonNode getJob(String uuid) {
        return consumer.ok("GET", "/v1/jobs/" + uuid, null, 200);
    }

    static JsonNode awaitStatus(String job, String status) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(getJob(job).get("status").asText()).isEqualTo(status));
        return getJob(job);
    }

    static SimulatedNode node(String region, int cores, List<String[]> gpus) {
        // Live nodes heartbeat: with a 2 s TTL a slow machine would otherwise see them go OFFLINE mid-test.
        // One compute_node key per node: a key registers at most one node (spec §8).
        return SimulatedNode.register(SimulatedNode.nodeKey(server, consumer), "node-" + TestServer.randomHex(8), region, cores,
                64, 500, gpus).keepAlive();
    }

    @Test
    void aJobIsAssignedToAFittingNodeAndRunsToCompletionWithLogs() {
        String region = region();
        SimulatedNode n = node(region, 8, List.of());
        String job = create(job(region, "\"cpu_count\":2")).get("uuid").asText();
        JsonNode a = n.next(5_000);
        assertThat(a.at("/job_run/job_uuid").asText()).isEqualTo(job);
        assertThat(a.at("/job/parameters/parameters/secret").asText()).as("the node gets the real secret").isEqualTo("registry-pw");
        JsonNode env = a.get("env");
        assertThat(env.get("GALLEY_NODE_INDEX").asText()).isEqualTo("0");
        assertThat(env.get("GALLEY_NODE_COUNT").asText()).isEqualTo("1");
        assertThat(env.get("GALLEY_JOB_UUID").asText()).isEqualTo(job);
        assertThat(env.get("SSH_PUBKEY").asText()).startsWith("ssh-ed25519");
        assertThat(env.get("CONTAINER_ACCESS_TOKEN").asText())
                .isEqualTo(getJob(job).get("container_access_tokens").get(0).get("token").asText());
        assertThat(getJob(job).get("status").asText()).isEqualTo("ASSIGNED");
        assertThat(getJob(job).get("timeout_assign_at_ms").isNull()).isTrue();

        String run = a.at("/job_run/uuid").asText();
        n.reportOk(run, "{\"status\":\"PREPARING\"}");
        assertThat(n.poll(0)).as("no re-delivery once PREPARING").isEmpty();
        n.reportOk(run, "{\"status\":\"RUNNING\",\"node_urls\":[{\"description\":\"8080\",\"hostname\":\"127.0.0.1\",\"port\":40001,\"protocol\":\"tcp\",\"tls\":false}]}");
        assertThat(awaitStatus(job, "RUNNING").get("started_at").isNull()).isFalse();
        n.log(run, "line one\n");
        n.log(run, "line two\n");
        n.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        JsonNode done = awaitStatus(job, "COMPLETED");
        assertThat(done.get("completed_at").isNull()).isFalse();

        JsonNode runView = consumer.ok("GET", "/v1/job-runs/" + run, null, 200);
        assertThat(runView.get("logs").asText()).isEqualTo("line one\nline two\n");
        assertThat(runView.get("logs_truncated").asBoolean()).isFalse();
        assertThat(runView.get("exit_code").asInt()).isZero();
        assertThat(runView.get("node_urls").get(0).get("port").asInt()).isEqualTo(40001);
        JsonNode listed = consumer.ok("GET", "/v1/job-runs?filter[job_uuid]=" + job, null, 200);
        assertThat(listed.get("data")).singleElement().satisfies(r -> assertThat(r.has("logs")).isFalse());
        var follow = TestServer.call(consumer.client(), "GET", "/v1/job-runs/" + run + "/logs?follow=true", null);
        assertThat(follow.bodyText()).isEqualTo("line one\nline two\n");
    }

    @Test
    void aJobWhoseStoredSpecCannotBeReadIsLeftOutAndTheOthersAreStillPlaced() throws Exception {
        String region = region();
        String broken = create(job(region, "\"cpu_count\":1")).get("uuid").asText();
        String fine = create(job(region, "\"cpu_count\":1")).get("uuid").asText();
        // A row no release of ours writes: a GPU model id that is not a UUID (edited by hand, or by a newer release).
        try (var c = java.sql.DriverManager.getConnection(db);
             var st = c.prepareStatement("UPDATE jobs SET spec = jsonb_set(spec, '{gpu_registry_uuid}', '\"not-a-uuid\"') WHERE uuid = ?")) {
            st.setObject(1, java.util.UUID.fromString(broken));
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        node(region, 4, List.of());
        awaitStatus(fine, "ASSIGNED");
        // Read in SQL: the API would show the hand-made value, which its own contract rightly refuses.
        try (var c = java.sql.DriverManager.getConnection(db);
             var st = c.prepareStatement("SELECT status FROM jobs WHERE uuid = ?")) {
            st.setObject(1, java.util.UUID.fromString(broken));
            try (var rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the unreadable job waits; its assign deadline ends it").isEqualTo("PENDING");
            }
        }
    }

    @Test
    void theLongPollReturnsWithinMillisecondsOfAPlacement() throws Exception {
        String region = region();
        SimulatedNode n = node(region, 4, List.of());
        var waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            JsonNode a = n.poll(20_000);
            return new Object[]{a, (System.nanoTime() - t0) / 1_000_000};
        });
        awaitPollWaiting(server);
        long created = System.nanoTime();
        create(job(region, ""));
        Object[] result = waiter.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertThat((JsonNode) result[0]).hasSize(1);
        long sinceCreate = (System.nanoTime() - created) / 1_000_000;
        assertThat(sinceCreate).as("assignment delivered long before the 20 s poll ends").isLessThan(5_000);
    }

    @Test
    void aLongPollOnOneReplicaWakesForAPlacementMadeByAnother() throws Exception {
        String region = region();
        try (GalleyServer second = TestServer.start(db, TTL_MS)) {
            GalleyClient nodeOnSecond = SimulatedNode.nodeKey(second, consumer);
            SimulatedNode n = SimulatedNode.register(nodeOnSecond, "x-" + TestServer.randomHex(6), region, 2, 8, 50, List.of()).keepAlive();
            var waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> n.poll(20_000));
            awaitPollWaiting(second);
            long t0 = System.nanoTime();
            create(job(region, "")); // created (and placed) through the first server
            assertThat(waiter.get(15, java.util.concurrent.TimeUnit.SECONDS)).hasSize(1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
            n.fallSilent();
        }
    }

    /** Until a long-poll waits for work on {@code on}, as its {@code galley_assignment_polls_waiting} gauge says. */
    static void awaitPollWaiting(GalleyServer on) {
        GalleyClient metrics = TestServer.client(on, consumer.keyPair()); // /metrics is open; any client will do
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(TestServer.call(metrics, "GET", "/metrics", null).bodyText()).containsPattern("(?m)^galley_assignment_polls_waiting [1-9]"));
    }

    @Test
    void anExitCodeFailsTheRunAndIsRetriedUntilRetriesAreUsedUp() {
        String region = region();
        SimulatedNode a = node(region, 2, List.of());
        SimulatedNode b = node(region, 2, List.of());
        String job = create(job(region, "\"max_retry_count\":1")).get("uuid").asText();
        List<String> nodesUsed = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            JsonNode assignment = awaitAssignment(List.of(a, b));
            assertThat(assignment.at("/job_run/attempt").asInt()).isEqualTo(attempt);
            nodesUsed.add(assignment.at("/job_run/node_uuid").asText());
            SimulatedNode holder = assignment.at("/job_run/node_uuid").asText().equals(a.uuid) ? a : b;
            holder.runToExit(assignment, 3);
        }
        assertThat(nodesUsed.get(1)).as("a retry prefers another node").isNotEqualTo(nodesUsed.get(0));
        JsonNode failed = awaitStatus(job, "FAILED");
        assertThat(failed.get("status_reason_code").asText()).isEqualTo("RETRIES_EXHAUSTED");
        JsonNode runs = consumer.ok("GET", "/v1/job-runs?filter[job_uuid]=" + job + "&sort=created_at", null, 200);
        assertThat(runs.get("total").asInt()).isEqualTo(2);
        runs.get("data").forEach(r -> {
            assertThat(r.get("status").asText()).isEqualTo("FAILED");
            assertThat(r.get("exit_code").asInt()).isEqualTo(3);
            assertThat(r.get("status_reason_code").asText()).isEqualTo("EXIT_NONZERO");
        });
    }

    static JsonNode awaitAssignment(List<SimulatedNode> nodes) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (SimulatedNode n : nodes) {
                JsonNode a = n.poll(100);
                if (!a.isEmpty()) return a.get(0);
            }
        }
        throw new AssertionError("no assignment within 10 s");
    }

    @Test
    void illegalRunTransitionsAreConflictsAndOtherAccountsCannotReport() {
        String region = region();
        SimulatedNode n = node(region, 2, List.of());
        create(job(region, ""));
        JsonNode a = n.next(5_000);
        String run = a.at("/job_run/uuid").asText();
        assertThat(TestServer.ok(n.report(run, "{\"status\":\"COMPLETED\"}"), 409).get("error").get("type").asText()).isEqualTo("conflict");
        n.reportOk(run, "{\"status\":\"RUNNING\"}");
        n.reportOk(run, "{\"status\":\"RUNNING\"}"); // a repeat is a harmless no-op
        assertThat(TestServer.ok(n.report(run, "{\"status\":\"ASSIGNED\"}"), 409)).isNotNull();
        assertThat(TestServer.ok(n.report(run, "{\"status\":\"FLYING\",\"exit_code\":\"x\"}"), 400).toString())
                .contains("status").contains("exit_code");
        Tenant other = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        GalleyClient otherNode = SimulatedNode.nodeKey(server, other);
        assertThat(TestServer.call(otherNode, "PATCH", "/v1/job-runs/" + run, "{\"status\":\"FAILED\"}").status()).isEqualTo(404);
        assertThat(TestServer.call(consumer.client(), "PATCH", "/v1/job-runs/" + run, "{\"status\":\"FAILED\"}").status())
                .as("a consumer key lacks job_runs.update").isEqualTo(403);
        n.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        assertThat(TestServer.ok(n.report(run, "{\"status\":\"FAILED\"}"), 409)).isNotNull();
    }

    @Test
    void cancellingARunningJobStopsItThroughTheNode() {
        String region = region();
        SimulatedNode n = node(region, 2, List.of());
        String job = create(job(region, "")).get("uuid").asText();
        JsonNode a = n.next(5_000);
        String run = a.at("/job_run/uuid").asText();
        n.reportOk(run, "{\"status\":\"PREPARING\"}");
        n.reportOk(run, "{\"status\":\"RUNNING\"}");
        JsonNode cancelling = consumer.ok("PUT", "/v1/jobs/" + job + "/cancel", "{\"reason\":\"enough\"}", 200);
        assertThat(cancelling.get("status").asText()).isEqualTo("CANCELLING");
        JsonNode commands = n.heartbeat(List.of(run));
        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.get("type").asText()).isEqualTo("stop_run");
            assertThat(c.get("job_run_uuid").asText()).isEqualTo(run);
        });
        assertThat(getJob(job).get("status").asText()).as("still CANCELLING until the node stopped it").isEqualTo("CANCELLING");
        n.reportOk(run, "{\"status\":\"CANCELLED\",\"status_reason\":\"stopped\"}");
        JsonNode cancelled = awaitStatus(job, "CANCELLED");
        assertThat(cancelled.get("status_reason_code").asText()).isEqualTo("CANCELLED_BY_USER");
        assertThat(TestServer.ok(consumer.call("PUT", "/v1/jobs/" + job + "/cancel", null), 409)).isNotNull();
    }

    @Test
    void aPendingJobSaysWhyNoNodeFits() {
        String region = region();
        node(region, 4, List.<String[]>of(new String[]{"NVIDIA GeForce RTX 4090", "24"}));
        String tooBig = create(job(region, "\"gpu_count\":2,\"min_vram_gb\":48")).get("uuid").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode j = getJob(tooBig);
            assertThat(j.get("status").asText()).isEqualTo("PENDING");
            assertThat(j.get("status_reason_code").asText()).isEqualTo("NO_MATCHING_NODE");
            assertThat(j.get("status_reason").asText()).contains(region).contains("48");
        });
        String cpuHog = create(job(region, "\"cpu_count\":64")).get("uuid").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(getJob(cpuHog).get("status_reason").asText()).contains("64").containsIgnoringCase("cpu"));
        // A second job of the same shape is created with the reason the scheduler just gave the first one.
        JsonNode twin = create(job(region, "\"gpu_count\":2,\"min_vram_gb\":48"));
        assertThat(twin.get("status_reason_code").asText()).isEqualTo("NO_MATCHING_NODE");
        assertThat(twin.get("status_reason").asText()).isEqualTo(getJob(tooBig).get("status_reason").asText());
    }

    @Test
    void aBusyNodeMeansWaitingForCapacityAndTheJobRunsWhenCapacityFrees() {
        String region = region();
        SimulatedNode n = node(region, 2, List.of());
        create(job(region, "\"cpu_count\":2"));
        JsonNode first = n.next(5_000);
        String second = create(job(region, "\"cpu_count\":2")).get("uuid").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode j = getJob(second);
            assertThat(j.get("status").asText()).isEqualTo("PENDING");
            assertThat(j.get("status_reason_code").asText()).isEqualTo("WAITING_FOR_CAPACITY");
        });
        n.runToExit(first, 0);
        JsonNode next = n.next(5_000);
        assertThat(next.at("/job_run/job_uuid").asText()).isEqualTo(second);
    }

    @Test
    void aGpuJobIsMatchedByAliasAndTakesTheTightestNode() {
        String region = region();
        SimulatedNode big = node(region, 32, List.of(new String[]{"NVIDIA GeForce RTX 4090", "23.99"}, new String[]{"NVIDIA GeForce RTX 4090", "23.99"},
                new String[]{"NVIDIA GeForce RTX 4090", "23.99"}, new String[]{"NVIDIA GeForce RTX 4090", "23.99"}));
        SimulatedNode small = node(region, 8, List.<String[]>of(new String[]{"NVIDIA GeForce RTX 4090", "23.99"}));
        String job = create(job(region, "\"gpu_count\":1,\"gpu_name\":\"RTX 4090\",\"min_vram_gb\":24")).get("uuid").asText();
        JsonNode a = small.next(5_000);
        assertThat(a.at("/job_run/job_uuid").asText()).isEqualTo(job);
        assertThat(a.at("/job_run/gpu_devices/0").asInt()).isZero();
        assertThat(big.poll(0)).isEmpty();
        JsonNode gpu = consumer.ok("GET", "/v1/gpu-registry?filter[name]=RTX 4090", null, 200).get("data").get(0);
        assertThat(gpu.get("total_count").asInt()).isGreaterThanOrEqualTo(5);
        JsonNode nodeView = consumer.ok("GET", "/v1/nodes/" + small.uuid, null, 403);
        assertThat(nodeView).isNotNull();
        JsonNode viaOperator = TestServer.ok(TestServer.call(TestServer.client(server, TestServer.OPERATOR_KEY), "GET", "/v1/nodes/" + small.uuid, null), 200);
        assertThat(viaOperator.get("gpus").get(0).get("vram_gb_available").asDouble()).isZero();
        JsonNode list = TestServer.ok(TestServer.call(TestServer.client(server, TestServer.OPERATOR_KEY), "GET",
                "/v1/nodes?filter[region_code]=" + region + "&filter[status]=ONLINE", null), 200);
        assertThat(list.get("total").asInt()).isEqualTo(2);
        assertThat(viaOperator.get("gpus").get(0).get("vram_gb_max").asDouble()).as("binary-GB report snaps to the model's size").isEqualTo(24.0);
    }

    @Test
    void maxNodeCountPlacesOnDistinctNodesWithIndexes() {
        String region = region();
        List<SimulatedNode> nodes = List.of(node(region, 2, List.of()), node(region, 2, List.of()), node(region, 2, List.of()));
        String job = create(job(region, "\"max_node_count\":3,\"cpu_count\":1")).get("uuid").asText();
        Set<String> indexes = new HashSet<>();
        Set<String> nodeIds = new HashSet<>();
        for (SimulatedNode n : nodes) {
            JsonNode a = n.next(5_000);
            assertThat(a.at("/env/GALLEY_NODE_COUNT").asText()).isEqualTo("3");
            indexes.add(a.at("/env/GALLEY_NODE_INDEX").asText());
            nodeIds.add(a.at("/job_run/node_uuid").asText());
            n.runToExit(a, 0);
        }
        assertThat(indexes).containsExactlyInAnyOrder("0", "1", "2");
        assertThat(nodeIds).hasSize(3);
        awaitStatus(job, "COMPLETED");
    }

    @Test
    void aSilentNodeIsLostAndItsRunIsRetriedElsewhereWithoutUsingARetry() {
        String region = region();
        SimulatedNode doomed = node(region, 2, List.of());
        String job = create(job(region, "")).get("uuid").asText();
        JsonNode a = doomed.next(5_000);
        doomed.reportOk(a.at("/job_run/uuid").asText(), "{\"status\":\"RUNNING\"}");
        doomed.fallSilent();
        SimulatedNode survivor = node(region, 2, List.of());
        // keep the survivor alive while the doomed node falls silent past the 2 s TTL
        long until = System.currentTimeMillis() + 10_000;
        JsonNode retry = null;
        while (retry == null && System.currentTimeMillis() < until) {
            survivor.heartbeat(List.of());
            JsonNode got = survivor.poll(300);
            if (!got.isEmpty()) retry = got.get(0);
        }
        assertThat(retry).as("the run is retried on the surviving node").isNotNull();
        assertThat(retry.at("/job_run/attempt").asInt()).isEqualTo(2);
        JsonNode lostRun = consumer.ok("GET", "/v1/job-runs/" + a.at("/job_run/uuid").asText(), null, 200);
        assertThat(lostRun.get("status_reason_code").asText()).isEqualTo("NODE_LOST");
        JsonNode nodeView = TestServer.ok(TestServer.call(TestServer.client(server, TestServer.OPERATOR_KEY), "GET", "/v1/nodes/" + doomed.uuid, null), 200);
        assertThat(nodeView.get("status").asText()).isEqualTo("OFFLINE");
        survivor.runToExit(retry, 0);
        awaitStatus(job, "COMPLETED");
    }

    @Test
    void deadlinesFireWithinTwoSeconds() throws Exception {
        String region = region();
        SimulatedNode n = node(region, 2, List.of());
        // assign timeout: no node in this job's region can ever take 3 CPUs; its deadline is moved to now.
        String waiting = create(job(region, "\"cpu_count\":3")).get("uuid").asText();
        long t0 = System.currentTimeMillis();
        sql("UPDATE jobs SET timeout_assign_at_ms = " + t0 + " WHERE uuid = '" + waiting + "'");
        JsonNode failed = awaitStatus(waiting, "FAILED");
        assertThat(failed.get("status_reason_code").asText()).isEqualTo("ASSIGN_TIMEOUT");
        assertThat(System.currentTimeMillis() - t0).isLessThan(2_500);

        // start timeout: an assigned run that never reaches RUNNING.
        String starting = create(job(region, "")).get("uuid").asText();
        JsonNode a = n.next(5_000);
        n.reportOk(a.at("/job_run/uuid").asText(), "{\"status\":\"PREPARING\"}");
        long t1 = System.currentTimeMillis();
        sql("UPDATE job_runs SET start_deadline_ms = " + t1 + " WHERE uuid = '" + a.at("/job_run/uuid").asText() + "'");
        awaitStatus(starting, "FAILED");
        assertThat(System.currentTimeMillis() - t1).isLessThan(2_500);
        JsonNode run = consumer.ok("GET", "/v1/job-runs/" + a.at("/job_run/uuid").asText(), null, 200);
        assertThat(run.get("status_reason_code").asText()).isEqualTo("START_TIMEOUT");
        assertThat(n.heartbeat(List.of(a.at("/job_run/uuid").asText()))).as("the node is told to stop it")
                .anySatisfy(c -> assertThat(c.get("type").asText()).isEqualTo("stop_run"));

        // run timeout enforced by the server when the node stays silent about it.
        String running = create(job(region, "")).get("uuid").asText();
        JsonNode b = n.next(5_000);
        n.reportOk(b.at("/job_run/uuid").asText(), "{\"status\":\"RUNNING\"}");
        long t2 = System.currentTimeMillis();
        sql("UPDATE job_runs SET run_deadline_ms = " + t2 + " WHERE uuid = '" + b.at("/job_run/uuid").asText() + "'");
        JsonNode timedOut = awaitStatus(running, "FAILED");
        assertThat(System.currentTimeMillis() - t2).isLessThan(2_500);
        assertThat(timedOut.get("status_reason_code").asText()).isIn("RUN_TIMEOUT", "RETRIES_EXHAUSTED");
    }

    @Test
    void aDrainingNodeGetsNoNewRunsWhileItsRunningRunGoesOnToTheEnd() throws Exception {
        String region = region();
        SimulatedNode n = node(region, 4, List.of());
        String first = create(job(region, "\"cpu_count\":2")).get("uuid").asText();
        JsonNode a = n.next(5_000);
        String run = a.at("/job_run/uuid").asText();
        n.reportOk(run, "{\"status\":\"RUNNING\"}");
        awaitStatus(first, "RUNNING");

        // Drained (by SQL here; operators use PATCH /v1/nodes/{uuid}): a job that fits its free capacity waits.
        sql("UPDATE nodes SET status = 'DRAINING' WHERE uuid = '" + n.uuid + "'");
        String second = create(job(region, "\"cpu_count\":1")).get("uuid").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode j = getJob(second);
            assertThat(j.get("status").asText()).isEqualTo("PENDING");
            assertThat(j.get("status_reason_code").asText()).isEqualTo("NO_MATCHING_NODE");
            assertThat(j.get("status_reason").asText()).endsWith("; 1 draining node(s) could run it");
        });
        assertThat(n.poll(0)).as("nothing new for the draining node").isEmpty();
        assertThat(count("SELECT count(*) FROM job_runs WHERE node_uuid = '" + n.uuid + "'")).isEqualTo(1);

        // Its running run is not disturbed: the node is told to stop nothing, and it completes.
        assertThat(n.heartbeat(List.of(run))).isEmpty();
        n.log(run, "still here\n");
        n.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        awaitStatus(first, "COMPLETED");
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM job_runs WHERE node_uuid = '" + n.uuid + "'"))
                        .as("capacity freed on a draining node is not handed out").isEqualTo(1));
        assertThat(getJob(second).get("status").asText()).isEqualTo("PENDING");

        // Back ONLINE, it takes the waiting job.
        sql("UPDATE nodes SET status = 'ONLINE' WHERE uuid = '" + n.uuid + "'");
        assertThat(n.next(10_000).at("/job_run/job_uuid").asText()).isEqualTo(second);
    }

    /** Writes the database directly: moves a deadline into the past, drains a node. */
    static void sql(String statement) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void twoReplicasPlacingConcurrentlyNeverOverCommitANode() throws Exception {
        String region = region();
        int nodes = 20;
        List<SimulatedNode> all = new ArrayList<>();
        for (int i = 0; i < nodes; i++) all.add(node(region, 1, List.of()));
        try (GalleyServer second = TestServer.start(db, TTL_MS)) {
            GalleyClient onSecond = TestServer.client(second, consumer.keyPair());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                GalleyClient via = i % 2 == 0 ? consumer.client() : onSecond;
                fs.add(pool.submit(() -> assertThat(via.send("POST", "/v1/jobs", job(region, "\"cpu_count\":1").getBytes(), java.util.Map.of()).status()).isEqualTo(201)));
            }
            for (var f : fs) f.get();
            pool.shutdown();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count("""
                    SELECT count(*) FROM job_runs r JOIN nodes n ON n.uuid = r.node_uuid WHERE n.region_code = '%s' AND r.is_active""".formatted(region)))
                    .isEqualTo(nodes));
            // The 40 jobs that did not fit keep both schedulers trying: no node may be over-committed meanwhile.
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(count("""
                            SELECT count(*) FROM (SELECT r.node_uuid FROM job_runs r JOIN nodes n ON n.uuid = r.node_uuid
                            WHERE n.region_code = '%s' AND r.is_active GROUP BY r.node_uuid HAVING sum(r.cpu_count) > 1) x""".formatted(region)))
                            .as("no node holds more CPU than it has").isZero());
            assertThat(count("SELECT count(*) FROM (SELECT job_uuid FROM job_runs GROUP BY job_uuid, node_index, attempt HAVING count(*) > 1) x"))
                    .as("no run slot placed twice").isZero();
        }
    }

    static long count(String query) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
