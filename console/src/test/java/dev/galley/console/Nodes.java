package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestServer;

/** Drives a job's run through the node API with a node key, as the server's integration tests do. */
final class Nodes {
    private Nodes() {}

    static SimulatedNode register(GalleyServer on, TestServer.Tenant owner, String name) {
        return SimulatedNode.register(SimulatedNode.nodeKey(on, owner), name, "eu-west-1", 64, 256, 1000, SimulatedNode.noGpus())
                .keepAlive();
    }

    /**
     * Sends one load sample in a heartbeat, as the agent does ({@code metadata.hardware_event}); the server keeps it
     * when it is at least its telemetry interval after the node's newest stored one.
     */
    static void sendLoad(SimulatedNode node, long timestampMs, double cpuPercent, double ramUsedGb) {
        String body = """
                {"metadata":{"hardware_event":{"timestamp_ms":%d,"cpu_percent":%s,"cpu_cores":64,"ram_used_gb":%s,
                 "ram_total_gb":256,"disk_used_gb":120,"disk_total_gb":1000,"gpus":[]}}}""".formatted(timestampMs, cpuPercent, ramUsedGb);
        TestServer.ok(TestServer.call(node.client, "POST", "/v1/nodes/" + node.uuid + "/heartbeat", body), 200);
    }

    /** Waits for the job's assignment on this node (finishing any other job it is handed) and returns its run. */
    static JsonNode assignmentFor(SimulatedNode node, String jobUuid) {
        for (int i = 0; i < 20; i++) {
            for (JsonNode a : node.poll(5_000)) {
                if (a.path("job_run").path("job_uuid").asText().equals(jobUuid)) return a;
                node.runToExit(a, 0);
            }
        }
        throw new AssertionError("job " + jobUuid + " was never assigned to node " + node.name);
    }
}
