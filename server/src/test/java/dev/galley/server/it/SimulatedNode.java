package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that speaks the real node protocol over signed HTTP but runs no containers: tests drive each step
 * (poll, report PREPARING/RUNNING/exit, upload logs, heartbeat) explicitly.
 */
public final class SimulatedNode {
    public final String uuid;
    public final GalleyClient client;
    public final String name;

    private SimulatedNode(String uuid, GalleyClient client, String name) {
        this.uuid = uuid;
        this.client = client;
        this.name = name;
    }

    /** A compute_node key for the tenant's account, minted by the operator (consumers cannot grant node rights). */
    public static GalleyClient nodeKey(dev.galley.server.GalleyServer on, TestServer.Tenant owner) {
        GalleyClient op = TestServer.client(on, TestServer.OPERATOR_KEY);
        JsonNode key = TestServer.ok(TestServer.call(op, "POST", "/v1/api-keys",
                "{\"name\":\"node\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + owner.accountUuid() + "\"}"), 201);
        return TestServer.client(on, key.get("public_key").asText() + ":" + key.get("secret_key").asText());
    }

    public static SimulatedNode register(GalleyClient client, String name, String region, int cores, double ramGb,
                                         double diskGb, List<String[]> gpus) {
        ObjectNode body = Json.object().put("name", name).put("region_code", region).put("public_host", "127.0.0.1")
                .put("agent_version", "sim-1");
        ObjectNode hw = body.putObject("hardware");
        hw.putArray("cpus").addObject().put("name", "Sim CPU").put("num_cores", cores);
        hw.putArray("rams").addObject().put("memory_gb_max", ramGb).put("memory_gb_available", ramGb);
        hw.putArray("hard_drives").addObject().put("name", "/").put("max_capacity_gb", diskGb).put("available_capacity_gb", diskGb);
        var g = hw.putArray("gpus");
        for (String[] gpu : gpus) g.addObject().put("name", gpu[0]).put("vram_gb_max", Double.parseDouble(gpu[1]));
        ApiResponse r = TestServer.call(client, "POST", "/v1/nodes/register", body.toString());
        assertThat(r.status()).as(r.bodyText()).isIn(200, 201);
        return new SimulatedNode(r.json().get("uuid").asText(), client, name);
    }

    public JsonNode poll(long waitMs) {
        ApiResponse r = TestServer.call(client, "GET", "/v1/nodes/" + uuid + "/assignments?wait_ms=" + waitMs, null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return r.json().get("assignments");
    }

    /** Polls until at least one assignment arrives (or fails after the wait). */
    public JsonNode next(long waitMs) {
        JsonNode a = poll(waitMs);
        assertThat(a).as("an assignment for node %s", name).isNotEmpty();
        return a.get(0);
    }

    public ApiResponse report(String runUuid, String body) {
        return TestServer.call(client, "PATCH", "/v1/job-runs/" + runUuid, body);
    }

    public JsonNode reportOk(String runUuid, String body) {
        return TestServer.ok(report(runUuid, body), 200);
    }

    public void log(String runUuid, String text) {
        ApiResponse r = TestServer.call(client, "POST", "/v1/job-runs/" + runUuid + "/logs", text, Map.of("Content-Type", "text/plain"));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(204);
    }

    public JsonNode heartbeat(List<String> activeRuns) {
        ObjectNode body = Json.object();
        body.putObject("metadata").put("cpu_load", 0.5);
        var a = body.putArray("active_run_uuids");
        activeRuns.forEach(a::add);
        return TestServer.ok(TestServer.call(client, "POST", "/v1/nodes/" + uuid + "/heartbeat", body.toString()), 200).get("commands");
    }

    /** Runs an assignment to the end: PREPARING, RUNNING, some output, then the exit code. */
    public void runToExit(JsonNode assignment, int exitCode) {
        String run = assignment.get("job_run").get("uuid").asText();
        reportOk(run, "{\"status\":\"PREPARING\"}");
        reportOk(run, "{\"status\":\"RUNNING\"}");
        log(run, "hello from " + name + "\n");
        reportOk(run, exitCode == 0 ? "{\"status\":\"COMPLETED\",\"exit_code\":0}"
                : "{\"status\":\"FAILED\",\"exit_code\":" + exitCode + "}");
    }

    private static final java.util.concurrent.ScheduledExecutorService HEARTBEATS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "simulated-heartbeats");
                t.setDaemon(true);
                return t;
            });
    private volatile java.util.concurrent.ScheduledFuture<?> keepAlive;

    /** Heartbeats every 500 ms in the background, as a live agent would, until {@link #fallSilent()}. */
    public SimulatedNode keepAlive() {
        keepAlive = HEARTBEATS.scheduleWithFixedDelay(() -> {
            try {
                client.send("POST", "/v1/nodes/" + uuid + "/heartbeat", "{}".getBytes(), Map.of());
            } catch (RuntimeException ignored) {
                // the server may be shutting down at the end of a test class
            }
        }, 0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops the background heartbeats: the node looks dead to the server from now on. */
    public void fallSilent() {
        var k = keepAlive;
        if (k != null) k.cancel(false);
    }

    public static List<String[]> noGpus() {
        return new ArrayList<>();
    }
}
