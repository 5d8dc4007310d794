package dev.galley.core.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.gpu.GpuModelName;
import dev.galley.core.spec.Json;
import dev.galley.core.spec.JsonChecks;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One load sample of a node (spec §10), as the agent sends it with its heartbeats under
 * {@code metadata.hardware_event} and as the server reads it back: the one definition of that wire shape.
 *
 * <pre>
 * {"timestamp_ms": 1767225600000, "cpu_percent": 12.5, "cpu_cores": 32,
 *  "ram_used_gb": 11.21, "ram_total_gb": 62.81, "disk_used_gb": 120.4, "disk_total_gb": 915.82,
 *  "gpus": [{"index": 0, "name": "NVIDIA GeForce RTX 4090", "utilization_percent": 87, "vram_used_gb": 20.13,
 *            "vram_total_gb": 23.99, "temperature_c": 64, "power_w": 312.45}]}
 * </pre>
 *
 * A value the machine cannot report is null ({@code cpu_percent} in the first sample after the agent starts, a GPU
 * field nvidia-smi prints as {@code [N/A]}). {@code gpus} is {@code []} on a machine without nvidia-smi and null
 * when nvidia-smi failed this time. Readers ignore fields they do not know, so a newer agent can add some.
 */
public record HardwareSample(long timestampMs, Double cpuPercent, Integer cpuCores, Double ramUsedGb, Double ramTotalGb,
                             Double diskUsedGb, Double diskTotalGb, List<Gpu> gpus) {
    /** Where the sample sits in a heartbeat's {@code metadata}. */
    public static final String METADATA_FIELD = "hardware_event";
    public static final int MAX_GPUS = 64;

    private static final BigDecimal ZERO = BigDecimal.ZERO;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal MAX_GB = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MAX_VRAM_GB = BigDecimal.valueOf(100_000);
    private static final BigDecimal MIN_TEMPERATURE_C = BigDecimal.valueOf(-50);
    private static final BigDecimal MAX_TEMPERATURE_C = BigDecimal.valueOf(250);
    private static final BigDecimal MAX_POWER_W = BigDecimal.valueOf(100_000);

    public HardwareSample {
        if (timestampMs < 0) throw new IllegalArgumentException("timestamp_ms must be >= 0");
        gpus = gpus == null ? null : List.copyOf(gpus);
    }

    /** One GPU's load; {@code index} is nvidia-smi's device index. */
    public record Gpu(int index, String name, Double utilizationPercent, Double vramUsedGb, Double vramTotalGb,
                      Double temperatureC, Double powerW) {
        public Gpu {
            Objects.requireNonNull(name, "name");
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("timestamp_ms", timestampMs);
        o.put("cpu_percent", cpuPercent);
        o.put("cpu_cores", cpuCores);
        o.put("ram_used_gb", ramUsedGb);
        o.put("ram_total_gb", ramTotalGb);
        o.put("disk_used_gb", diskUsedGb);
        o.put("disk_total_gb", diskTotalGb);
        if (gpus == null) {
            o.putNull("gpus");
        } else {
            ArrayNode array = o.putArray("gpus");
            for (Gpu g : gpus) {
                array.addObject().put("index", g.index()).put("name", g.name())
                        .put("utilization_percent", g.utilizationPercent())
                        .put("vram_used_gb", g.vramUsedGb()).put("vram_total_gb", g.vramTotalGb())
                        .put("temperature_c", g.temperatureC()).put("power_w", g.powerW());
            }
        }
        return o;
    }

    /**
     * Reads a sample a node sent; {@code path} names it in errors ({@code metadata.hardware_event}). Every rule a
     * value breaks is recorded in {@code errors} and null returned; unknown fields are ignored.
     */
    public static HardwareSample fromJson(JsonNode json, String path, FieldErrors errors) {
        if (json == null || !json.isObject()) {
            errors.add(path, "must be an object");
            return null;
        }
        FieldErrors mine = new FieldErrors();
        Long timestamp = JsonChecks.integer(json.get("timestamp_ms"), JsonChecks.join(path, "timestamp_ms"), 0, Long.MAX_VALUE, mine);
        Double cpu = optionalNumber(json, "cpu_percent", path, ZERO, HUNDRED, mine);
        Long cores = Json.isAbsent(json.get("cpu_cores")) ? null
                : JsonChecks.integer(json.get("cpu_cores"), JsonChecks.join(path, "cpu_cores"), 1, 1_000_000, mine);
        Double ramUsed = optionalNumber(json, "ram_used_gb", path, ZERO, MAX_GB, mine);
        Double ramTotal = optionalNumber(json, "ram_total_gb", path, ZERO, MAX_GB, mine);
        Double diskUsed = optionalNumber(json, "disk_used_gb", path, ZERO, MAX_GB, mine);
        Double diskTotal = optionalNumber(json, "disk_total_gb", path, ZERO, MAX_GB, mine);
        List<Gpu> gpus = gpus(json.get("gpus"), JsonChecks.join(path, "gpus"), mine);
        errors.addAll(mine.list());
        if (!mine.isEmpty()) return null;
        return new HardwareSample(timestamp, cpu, cores == null ? null : cores.intValue(), ramUsed, ramTotal, diskUsed,
                diskTotal, gpus);
    }

    private static List<Gpu> gpus(JsonNode array, String path, FieldErrors errors) {
        if (Json.isAbsent(array)) return null;
        if (!array.isArray()) {
            errors.add(path, "must be an array or null");
            return null;
        }
        if (array.size() > MAX_GPUS) {
            errors.add(path, "must hold at most " + MAX_GPUS + " GPUs");
            return null;
        }
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode g = array.get(i);
            String at = JsonChecks.index(path, i);
            if (!g.isObject()) {
                errors.add(at, "must be an object");
                continue;
            }
            Long index = JsonChecks.integer(g.get("index"), JsonChecks.join(at, "index"), 0, 1023, errors);
            String name = gpuName(g.get("name"), JsonChecks.join(at, "name"), errors);
            Double utilization = optionalNumber(g, "utilization_percent", at, ZERO, HUNDRED, errors);
            Double vramUsed = optionalNumber(g, "vram_used_gb", at, ZERO, MAX_VRAM_GB, errors);
            Double vramTotal = optionalNumber(g, "vram_total_gb", at, ZERO, MAX_VRAM_GB, errors);
            Double temperature = optionalNumber(g, "temperature_c", at, MIN_TEMPERATURE_C, MAX_TEMPERATURE_C, errors);
            Double power = optionalNumber(g, "power_w", at, ZERO, MAX_POWER_W, errors);
            if (index != null && name != null) {
                gpus.add(new Gpu(index.intValue(), name, utilization, vramUsed, vramTotal, temperature, power));
            }
        }
        return gpus;
    }

    private static String gpuName(JsonNode value, String path, FieldErrors errors) {
        if (value == null || !value.isTextual()) {
            errors.add(path, "must be a string");
            return null;
        }
        var problem = GpuModelName.problem(value.textValue());
        problem.ifPresent(p -> errors.add(path, p));
        return problem.isPresent() ? null : value.textValue();
    }

    private static Double optionalNumber(JsonNode object, String field, String path, BigDecimal min, BigDecimal max,
                                         FieldErrors errors) {
        JsonNode value = object.get(field);
        if (Json.isAbsent(value)) return null;
        BigDecimal d = JsonChecks.number(value, JsonChecks.join(path, field), min, max, errors);
        return d == null ? null : d.doubleValue();
    }
}
