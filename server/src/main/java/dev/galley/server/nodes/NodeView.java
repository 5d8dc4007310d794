package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.server.http.Json;

/**
 * The {@code node} object (spec §6): the Dispersed hardware fields with live availability, plus status,
 * region, account and agent version. "Available" = reported capacity minus what active runs hold.
 */
public final class NodeView {
    private NodeView() {}

    public static ObjectNode of(NodeDetail detail) {
        NodeRow n = detail.node();
        ObjectNode o = Json.object();
        o.put("uuid", n.uuid().toString()).put("object", "node").put("name", n.name()).put("reputation", n.reputation())
                .put("created_at", Json.timestamp(n.createdAt())).put("updated_at", Json.timestamp(n.updatedAt()))
                .put("last_seen_at", Json.timestamp(n.lastSeenAt()));
        ArrayNode cpus = o.putArray("cpus");
        n.hardware().path("cpus").forEach(c -> cpus.addObject().put("name", c.path("name").asText("cpu"))
                .put("num_cores", c.path("num_cores").asInt()));
        ArrayNode g = o.putArray("gpus");
        for (NodeGpu gpu : detail.gpus()) {
            boolean held = n.heldGpus().contains(gpu.deviceIndex());
            g.addObject().put("name", gpu.name()).put("vram_gb_available", held ? 0 : gpu.vramGb()).put("vram_gb_max", gpu.vramGb());
        }
        ArrayNode disks = o.putArray("hard_drives");
        double storageLeft = Math.max(0, n.storageGb() - n.heldStorageGb());
        JsonNode reportedDisks = n.hardware().path("hard_drives");
        for (int i = 0; i < reportedDisks.size(); i++) {
            JsonNode d = reportedDisks.get(i);
            double available = i == 0 ? Math.min(storageLeft, d.path("available_capacity_gb").asDouble()) : d.path("available_capacity_gb").asDouble();
            disks.addObject().put("name", d.path("name").asText("disk")).put("available_capacity_gb", round(available))
                    .put("max_capacity_gb", d.path("max_capacity_gb").asDouble());
        }
        o.putArray("rams").addObject().put("memory_gb_available", round(Math.max(0, n.ramGb() - n.heldRamGb())))
                .put("memory_gb_max", n.ramGb());
        o.set("latest_hardware_event", n.latestHardwareEvent() == null ? Json.MAPPER.nullNode() : n.latestHardwareEvent());
        o.put("status", n.status().name()).put("region_code", n.regionCode()).put("account_uuid", n.accountUuid().toString())
                .put("agent_version", n.agentVersion());
        o.put("public_host", n.publicHost());
        o.put("free_cpu_cores", Math.max(0, n.cpuCores() - n.heldCpu()));
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
