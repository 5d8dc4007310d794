package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.gpu.GpuModelName;
import dev.galley.core.spec.RegionCodes;
import dev.galley.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates a register body: {name, region_code, public_host, agent_version, hardware}.
 * Capacity = the sum of the reported CPUs' cores, RAM, the free space of the first disk, and the GPUs.
 */
public record NodeRegistration(String name, String regionCode, String publicHost, String agentVersion,
                               ObjectNode hardware, int cpuCores, double ramGb, double storageGb, List<ReportedGpu> gpus) {

    public record ReportedGpu(String name, double vramGb) {}

    private static final Set<String> FIELDS = Set.of("name", "region_code", "public_host", "agent_version", "hardware");
    /** The hardware object is stored as sent and shown in every node object: it is held to a size. */
    public static final int MAX_HARDWARE_BYTES = 64 * 1024;
    private static final Set<String> HARDWARE = Set.of("cpus", "gpus", "hard_drives", "rams");

    public static NodeRegistration parse(ObjectNode body) {
        var f = new dev.galley.server.http.JsonFields(body, FIELDS);
        FieldErrors errors = f.errors();
        String name = f.string("name", true, 1, 200);
        String region = f.string("region_code", true, 1, 40);
        if (region != null && !RegionCodes.isValid(region)) errors.add("region_code", "must be one of the 36 region codes (spec §3.1)");
        String host = f.string("public_host", false, 0, 255);
        String agent = f.string("agent_version", false, 0, 100);
        JsonNode hw = f.raw("hardware");
        int cpu = 0;
        double ram = 0;
        double storage = 0;
        List<ReportedGpu> gpus = new ArrayList<>();
        if (hw == null || !hw.isObject()) {
            errors.add("hardware", "is required (an object with cpus, gpus, rams, hard_drives)");
        } else if (Json.bytes(hw).length > MAX_HARDWARE_BYTES) {
            errors.add("hardware", "must be at most " + MAX_HARDWARE_BYTES + " bytes as JSON");
        } else {
            hw.fieldNames().forEachRemaining(n -> { if (!HARDWARE.contains(n)) errors.add("hardware." + n, "is not a known field"); });
            JsonNode cpus = array(hw, "cpus", errors);
            for (int i = 0; i < cpus.size(); i++) cpu += (int) number(cpus.get(i), "num_cores", "hardware.cpus[" + i + "]", errors, 100_000);
            JsonNode rams = array(hw, "rams", errors);
            for (int i = 0; i < rams.size(); i++) ram += number(rams.get(i), "memory_gb_max", "hardware.rams[" + i + "]", errors, 1e7);
            JsonNode disks = array(hw, "hard_drives", errors);
            for (int i = 0; i < disks.size(); i++) {
                double available = number(disks.get(i), "available_capacity_gb", "hardware.hard_drives[" + i + "]", errors, 1e9);
                number(disks.get(i), "max_capacity_gb", "hardware.hard_drives[" + i + "]", errors, 1e9); // shown in the node object
                if (i == 0) storage = available; // the work directory's disk: where containers and images live
            }
            JsonNode gs = array(hw, "gpus", errors);
            if (gs.size() > 64) errors.add("hardware.gpus", "must have at most 64 items");
            for (int i = 0; i < gs.size(); i++) {
                JsonNode g = gs.get(i);
                String path = "hardware.gpus[" + i + "]";
                String gname = g.path("name").isTextual() ? g.path("name").asText().trim() : null;
                var problem = GpuModelName.problem(gname);
                problem.ifPresent(p -> errors.add(path + ".name", p));
                double vram = number(g, "vram_gb_max", path, errors, 10_000);
                if (problem.isEmpty()) gpus.add(new ReportedGpu(gname, vram));
            }
        }
        errors.throwIfAny();
        // agent_version is optional (and may be null) in the API but a NOT NULL column: an agent that does not say
        // its version is stored as "" rather than failing the insert with a 500.
        return new NodeRegistration(name, region, host == null || host.isBlank() ? "127.0.0.1" : host, agent == null ? "" : agent,
                (ObjectNode) hw, cpu, ram, storage, gpus);
    }

    private static JsonNode array(JsonNode hw, String field, FieldErrors errors) {
        JsonNode a = hw.get(field);
        if (a == null || a.isNull()) return Json.array();
        if (!a.isArray()) {
            errors.add("hardware." + field, "must be an array");
            return Json.array();
        }
        if (a.size() > 1024) errors.add("hardware." + field, "must have at most 1024 items");
        return a;
    }

    private static double number(JsonNode item, String field, String path, FieldErrors errors, double max) {
        JsonNode v = item.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 0 || v.asDouble() > max || !Double.isFinite(v.asDouble())) {
            errors.add(path + "." + field, "must be a number between 0 and " + (long) max);
            return 0;
        }
        return v.asDouble();
    }
}
