package dev.galley.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end with real containers (podman, set up by scripts/setup-containers.sh): a real server on a real
 * PostgreSQL, real `galley node` agents in their own JVMs, real HTTP with real signatures, and an image
 * built locally from busybox. Each test has its own region and agents, so none takes another's jobs.
 */
@Tag("containers")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealContainersIT {
    /**
     * Short enough that a killed agent's run is lost and retried within a test, long enough that restarting an
     * agent process (a JVM start, slow on a loaded 2-core CI machine) stays well inside it.
     */
    static final long NODE_TTL_MS = 30_000;
    static GalleyServer server;
    static String url;
    static Tenant consumer;
    /** One compute_node key per node name (a key registers at most one node); a restarted agent reuses its node's. */
    static final java.util.Map<String, String> nodeKeys = new java.util.concurrent.ConcurrentHashMap<>();
    static Path work;
    static final List<AgentProcess> agents = new ArrayList<>();
    static String timeoutJob;

    @BeforeAll
    static void start() throws Exception {
        TestImages.build();
        server = TestServer.start(TestDatabase.fresh(), NODE_TTL_MS);
        url = "http://127.0.0.1:" + server.port();
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        work = Files.createTempDirectory("galley-e2e");
        // The run-timeout job needs a minute (the smallest max_timeout_run_ms); it runs while the other tests do.
        agent("timeout-node", "ap-south-2");
        timeoutJob = create("ap-south-2", "BATCH", "\"max_timeout_run_ms\":60000", "\"SLEEP\":\"600\"");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AgentProcess a : agents) a.close();
        if (server == null) return;
        // Only what this class's agents left, by their node uuids: other test runs may use the same engine
        // at the same time, and their containers and networks carry other nodes' uuids.
        for (String node : nodeUuids()) {
            String label = "label=galley.node_uuid=" + node;
            List<String> containers = TestImages.output(List.of("podman", "ps", "-a", "-q", "--no-trunc", "--filter", label))
                    .lines().map(String::strip).filter(id -> id.matches("[0-9a-f]{64}")).toList();
            TestImages.run(List.of("podman", "rm", "-f", "-t", "0", "--filter", label));
            // A killed agent's runs keep their networks; without this every test run would leave some behind.
            TestImages.run(List.of("podman", "network", "prune", "-f", "--filter", label));
            // A SIGKILLed agent leaves its `podman logs -f` child behind, and podman 4.3 keeps it waiting even
            // after the container is gone: end those of these containers, so later tests get the CPU back.
            for (String id : containers) TestImages.run(List.of("pkill", "-f", "podman logs -f .*" + id));
        }
        server.close();
    }

    /** Every node on this class's server: the database is its own, so these are its agents' nodes. */
    static List<String> nodeUuids() {
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        List<String> uuids = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode nodes = TestServer.ok(TestServer.call(op, "GET", "/v1/nodes?limit=50&page=" + page, null), 200);
            nodes.get("data").forEach(n -> uuids.add(n.get("uuid").asText()));
            if (nodes.get("data").isEmpty() || uuids.size() >= nodes.get("total").asInt()) return uuids;
        }
    }

    static AgentProcess agent(String name, String region) throws Exception {
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        String nodeKey = nodeKeys.computeIfAbsent(name, n -> {
            JsonNode key = TestServer.ok(TestServer.call(op, "POST", "/v1/api-keys", "{\"name\":\"e2e " + n
                    + "\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + consumer.accountUuid() + "\"}"), 201);
            return key.get("public_key").asText() + ":" + key.get("secret_key").asText();
        });
        AgentProcess a = AgentProcess.start(url, nodeKey, name, region, work.resolve(name));
        agents.add(a);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode nodes = TestServer.ok(TestServer.call(op, "GET", "/v1/nodes?filter[name]=" + name + "&filter[status]=ONLINE", null), 200);
            assertThat(nodes.get("total").asInt()).as("agent %s registered; its log:\n%s", name, a.output()).isEqualTo(1);
        });
        return a;
    }

    static String create(String region, String task, String extra, String env) {
        return create(region, task, extra, env, "");
    }

    /** @param params more fields of parameters.parameters, e.g. {@code "ports":[8080]} */
    static String create(String region, String task, String extra, String env, String params) {
        String body = """
                {"title":"e2e","task":"%s","cpu_count":1,"min_ram_gb":0.125,"allowed_region_codes":["%s"]%s,
                 "parameters":{"parameters":{"image":"%s","tag":"%s","env":{"WHO":"e2e"%s}%s}}}"""
                .formatted(task, region, extra.isEmpty() ? "" : "," + extra, TestImages.IMAGE, TestImages.TAG,
                        env.isEmpty() ? "" : "," + env, params.isEmpty() ? "" : "," + params);
        return consumer.ok("POST", "/v1/jobs", body, 201).get("uuid").asText();
    }

    static JsonNode job(String uuid) {
        return consumer.ok("GET", "/v1/jobs/" + uuid, null, 200);
    }

    static JsonNode awaitJob(String uuid, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(job(uuid).get("status").asText()).as("job %s: %s", uuid, job(uuid)).isEqualTo(status));
        return job(uuid);
    }

    static List<JsonNode> runs(String job) {
        List<JsonNode> out = new ArrayList<>();
        consumer.ok("GET", "/v1/job-runs?sort=created_at&filter[job_uuid]=" + job, null, 200).get("data").forEach(out::add);
        return out;
    }

    static String nodeUuid(String name) {
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        return TestServer.ok(TestServer.call(op, "GET", "/v1/nodes?filter[name]=" + name, null), 200)
                .get("data").get(0).get("uuid").asText();
    }

    static JsonNode run(String uuid) {
        return consumer.ok("GET", "/v1/job-runs/" + uuid, null, 200);
    }

    static String containersOf(String runUuid) throws Exception {
        return TestImages.output(List.of("podman", "ps", "-a", "-q", "--filter", "label=galley.job_run_uuid=" + runUuid)).trim();
    }

    @Test
    @Order(1)
    void aBatchJobThatExitsZeroCompletesWithItsOutputInTheLogs() throws Exception {
        agent("batch-node", "eu-west-1");
        String job = create("eu-west-1", "BATCH", "\"max_timeout_run_ms\":600000", "");
        JsonNode done = awaitJob(job, "COMPLETED", Duration.ofSeconds(90));
        assertThat(done.get("started_at").isNull()).isFalse();
        assertThat(done.get("image_size_bytes").asLong()).as("the node reports the image's size").isPositive();
        JsonNode r = run(runs(job).getFirst().get("uuid").asText());
        assertThat(r.get("exit_code").asInt()).isZero();
        assertThat(r.get("logs").asText()).contains("hello e2e from node 0 of 1").contains("bye");
        assertThat(containersOf(r.get("uuid").asText())).as("the finished container is removed").isEmpty();
    }

    @Test
    @Order(2)
    void aJobThatExits3WithOneRetryRunsTwiceThenFails() throws Exception {
        agent("failing-node", "eu-west-2");
        String job = create("eu-west-2", "BATCH", "\"max_timeout_run_ms\":600000,\"max_retry_count\":1", "\"EXIT_CODE\":\"3\"");
        JsonNode failed = awaitJob(job, "FAILED", Duration.ofSeconds(120));
        assertThat(failed.get("status_reason_code").asText()).isEqualTo("RETRIES_EXHAUSTED");
        List<JsonNode> rs = runs(job);
        assertThat(rs).hasSize(2);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.get("status").asText()).isEqualTo("FAILED");
            assertThat(r.get("exit_code").asInt()).isEqualTo(3);
            assertThat(r.get("status_reason_code").asText()).isEqualTo("EXIT_NONZERO");
        });
        assertThat(rs.get(1).get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aPersistentJobsPortAnswersThroughNodeUrlsAndRefusesOtherAddresses() throws Exception {
        agent("web-node", "eu-west-3");
        String open = create("eu-west-3", "PERSISTENT", "\"max_timeout_run_ms\":null", "\"HTTPD\":\"1\"",
                "\"ports\":[8080],\"allowed_ips\":[\"127.0.0.1\"]");
        awaitJob(open, "RUNNING", Duration.ofSeconds(90));
        JsonNode url = runs(open).getFirst().get("node_urls").get(0);
        assertThat(url.get("description").asText()).isEqualTo("8080");
        assertThat(url.get("protocol").asText()).isEqualTo("tcp");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(httpGet(url.get("hostname").asText(), url.get("port").asInt())).contains("galley e2e says hi"));

        String closed = create("eu-west-3", "PERSISTENT", "\"max_timeout_run_ms\":null", "\"HTTPD\":\"1\"",
                "\"ports\":[8080],\"allowed_ips\":[\"10.0.0.0/8\"]");
        awaitJob(closed, "RUNNING", Duration.ofSeconds(90));
        JsonNode refused = runs(closed).getFirst().get("node_urls").get(0);
        Thread.sleep(1_000);
        assertThat(httpGet(refused.get("hostname").asText(), refused.get("port").asInt()))
                .as("127.0.0.1 is outside 10.0.0.0/8: the proxy closes the connection").doesNotContain("galley e2e says hi");
        consumer.ok("PUT", "/v1/jobs/" + open + "/cancel", null, 200);
        consumer.ok("PUT", "/v1/jobs/" + closed + "/cancel", null, 200);
        awaitJob(open, "CANCELLED", Duration.ofSeconds(60));
        awaitJob(closed, "CANCELLED", Duration.ofSeconds(60));
    }

    static String httpGet(String host, int port) {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(3_000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "connection failed: " + e.getMessage();
        }
    }

    @Test
    @Order(4)
    void cancelStopsARunningContainer() throws Exception {
        agent("cancel-node", "eu-north-1");
        String job = create("eu-north-1", "BATCH", "\"max_timeout_run_ms\":600000", "\"SLEEP\":\"600\"");
        awaitJob(job, "RUNNING", Duration.ofSeconds(90));
        String run = runs(job).getFirst().get("uuid").asText();
        assertThat(containersOf(run)).isNotEmpty();
        JsonNode cancelling = consumer.ok("PUT", "/v1/jobs/" + job + "/cancel", "{\"reason\":\"e2e\"}", 200);
        assertThat(cancelling.get("status").asText()).isEqualTo("CANCELLING");
        awaitJob(job, "CANCELLED", Duration.ofSeconds(60));
        assertThat(run(run).get("status").asText()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(containersOf(run)).as("container stopped and removed").isEmpty());
    }

    @Test
    @Order(5)
    void aKilledAgentLosesItsRunWhichIsRetriedOnAnotherAgent() throws Exception {
        // Both agents are up before the job exists: however slow an agent's start, the run cannot finish on its
        // first node before that node's agent is killed.
        Map<String, AgentProcess> byNode = new java.util.HashMap<>();
        for (String name : List.of("doomed-node", "rescue-node")) {
            AgentProcess a = agent(name, "us-west-1");
            byNode.put(nodeUuid(name), a);
        }
        // Long enough to outlive the node TTL on the first node, short enough to finish on the retry.
        String job = create("us-west-1", "BATCH", "\"max_timeout_run_ms\":600000", "\"SLEEP\":\"20\"");
        awaitJob(job, "RUNNING", Duration.ofSeconds(90));
        JsonNode first = runs(job).getFirst();
        String firstRun = first.get("uuid").asText();
        byNode.get(first.get("node_uuid").asText()).kill();
        JsonNode done = awaitJob(job, "COMPLETED", Duration.ofSeconds(NODE_TTL_MS / 1000 + 120));
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        List<JsonNode> rs = runs(job);
        assertThat(rs).hasSize(2);
        assertThat(rs.get(0).get("status_reason_code").asText()).isEqualTo("NODE_LOST");
        assertThat(rs.get(1).get("node_uuid").asText()).isNotEqualTo(rs.get(0).get("node_uuid").asText());
        TestImages.run(List.of("podman", "rm", "-f", "--filter", "label=galley.job_run_uuid=" + firstRun));
    }

    @Test
    @Order(6)
    void anAgentRestartReattachesToItsRunningContainer() throws Exception {
        AgentProcess first = agent("phoenix-node", "us-west-2");
        String job = create("us-west-2", "PERSISTENT", "\"max_timeout_run_ms\":null", "\"SLEEP\":\"600\"");
        awaitJob(job, "RUNNING", Duration.ofSeconds(90));
        String run = runs(job).getFirst().get("uuid").asText();
        String container = containersOf(run);
        assertThat(container).isNotEmpty();
        first.close(); // SIGTERM: the agent leaves its containers running
        agent("phoenix-node", "us-west-2");
        // For longer than the node TTL: a node the server thought lost would have failed the run meanwhile.
        await().during(Duration.ofMillis(NODE_TTL_MS + 2_000)).atMost(Duration.ofMillis(NODE_TTL_MS + 10_000))
                .untilAsserted(() -> assertThat(run(run).get("status").asText()).isEqualTo("RUNNING"));
        assertThat(job(job).get("status").asText()).isEqualTo("RUNNING");
        assertThat(containersOf(run)).as("the same container, not a new one").isEqualTo(container);
        consumer.ok("PUT", "/v1/jobs/" + job + "/cancel", null, 200);
        awaitJob(job, "CANCELLED", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(containersOf(run)).isEmpty());
    }

    @Test
    @Order(7)
    void aVolumeMountsTheFilesOfAnImageReadOnlyAndAnUnpullableOneFailsTheRun() throws Exception {
        agent("volume-node", "eu-south-1");
        String volume = "\"volumes\":[{\"image\":\"%s\",\"tag\":\"%s\",\"mount\":\"/data\"}]"
                .formatted(TestImages.IMAGE, TestImages.TAG);
        String job = create("eu-south-1", "BATCH", "\"max_timeout_run_ms\":600000", "\"SLEEP\":\"600\"", volume);
        awaitJob(job, "RUNNING", Duration.ofSeconds(90));
        String container = containersOf(runs(job).getFirst().get("uuid").asText());
        assertThat(container).isNotEmpty();
        assertThat(TestImages.output(List.of("podman", "exec", container, "/bin/sh", "-c",
                "if [ -x /data/bin/busybox ]; then echo present; else echo absent; fi")))
                .as("the volume image's files are at the mount").contains("present");
        assertThat(TestImages.output(List.of("podman", "exec", container, "/bin/sh", "-c",
                "if echo x > /data/written; then echo writable; else echo read-only; fi")))
                .as("and read-only").contains("read-only");
        consumer.ok("PUT", "/v1/jobs/" + job + "/cancel", null, 200);
        awaitJob(job, "CANCELLED", Duration.ofSeconds(60));

        String missing = "\"volumes\":[{\"image\":\"localhost/galley-test/no-such-volume\",\"tag\":\"1\",\"mount\":\"/data\"}]";
        String broken = create("eu-south-1", "BATCH", "\"max_timeout_run_ms\":600000", "", missing);
        JsonNode failed = awaitJob(broken, "FAILED", Duration.ofSeconds(90));
        JsonNode r = runs(broken).getFirst();
        assertThat(r.get("status_reason_code").asText()).isEqualTo("IMAGE_PULL_FAILED");
        assertThat(r.get("status_reason").asText()).contains("volumes[0]").contains("no-such-volume");
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    @Order(100)
    void theRunTimeoutStopsTheContainerAndFailsTheJob() throws Exception {
        JsonNode failed = awaitJob(timeoutJob, "FAILED", Duration.ofSeconds(120));
        JsonNode r = runs(timeoutJob).getFirst();
        assertThat(r.get("status_reason_code").asText()).isEqualTo("RUN_TIMEOUT");
        assertThat(failed.get("status_reason").asText()).contains("RUN_TIMEOUT");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(containersOf(r.get("uuid").asText())).isEmpty());
    }

}
