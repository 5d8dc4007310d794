package dev.galley.core.spec;

import static dev.galley.core.spec.JsonChecks.DEFAULT_MAX_STRING;
import static dev.galley.core.spec.JsonChecks.index;
import static dev.galley.core.spec.JsonChecks.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.error.ValidationException;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.net.IpRange;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validates a complete job spec (spec §3: the body of {@code POST /v1/jobs}, a recipe's {@code payload}, the result
 * of a cook) and returns it normalized: every field present in {@link #FIELDS} order, defaults applied, whole
 * numbers as integers, IP ranges in canonical form. Every failure is collected and thrown together as a
 * {@link ValidationException} whose paths are JSON paths as sent.
 *
 * <p>Decisions where spec §3 is silent (also in docs/job-spec.md): strings without a documented length are capped
 * at {@value JsonChecks#DEFAULT_MAX_STRING} characters ({@code secret} at {@value #MAX_SECRET}); {@code min_*_gb}
 * at {@value #MAX_GB}; {@code allowed_ips} at {@value #MAX_ALLOWED_IPS} entries. In {@code parameters.parameters}
 * null or an empty string counts as absent for the optional fields (so a template filled with an empty optional
 * input means "not set"); {@code title} must not be blank; volume mounts must be unique, absolute, not {@code /}
 * and free of {@code .}/{@code ..} segments.
 */
public final class JobSpecValidator {
    public static final List<String> FIELDS = List.of(
            "title", "description", "task", "cpu_count", "gpu_count", "gpu_name", "gpu_registry_uuid", "min_vram_gb",
            "min_ram_gb", "min_storage_gb", "max_node_count", "max_retry_count", "max_timeout_assign_ms",
            "max_timeout_start_ms", "max_timeout_run_ms", "allowed_region_codes", "parameters");
    /** Top-level fields that accept an explicit JSON null. */
    public static final Set<String> NULLABLE_FIELDS = Set.of("description", "gpu_name", "gpu_registry_uuid", "max_timeout_run_ms");
    public static final List<String> PARAMETERS_FIELDS = List.of("type", "parameters");
    public static final List<String> CONTAINER_FIELDS = List.of(
            "image", "tag", "host", "user", "secret", "imagesrc", "sshkey", "allowed_ips", "env", "ports", "volumes");
    public static final List<String> VOLUME_FIELDS = List.of("image", "tag", "registry", "user", "secret", "mount");

    public static final long MAX_TIMEOUT_MS = 2_592_000_000L;
    public static final int MAX_SECRET = 16_384;
    public static final int MAX_GB = 1_048_576;
    public static final int MAX_ALLOWED_IPS = 256;
    public static final int MAX_PORTS = 32;
    public static final int MAX_VOLUMES = 16;
    public static final int MAX_REGIONS = 36;
    public static final int MAX_ENV_BYTES = 64 * 1024;
    public static final String RESERVED_ENV_PREFIX = "GALLEY_";
    public static final String DEFAULT_TAG = "latest";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String REGISTRY_HINT = "GET /v1/gpu-registry lists the known models";

    private final GpuCatalog catalog;

    public JobSpecValidator(GpuCatalog catalog) {
        this.catalog = catalog == null ? GpuCatalog.empty() : catalog;
    }

    public ObjectNode validate(JsonNode body) {
        return validate(body, "");
    }

    /** As {@link #validate(JsonNode)}, with every error path under {@code pathPrefix} (e.g. {@code payload}). */
    public ObjectNode validate(JsonNode body, String pathPrefix) {
        String prefix = pathPrefix == null ? "" : pathPrefix;
        if (body == null || !body.isObject())
            throw ValidationException.of(prefix, prefix.isEmpty() ? "request body must be a JSON object" : "must be a JSON object");
        var in = (ObjectNode) body;
        var errors = new FieldErrors();
        JsonChecks.rejectUnknownFields(in, FIELDS, prefix, errors);

        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (field.equals("max_timeout_run_ms")) continue; // depends on task, below
            JsonNode raw = in.get(field);
            String path = join(prefix, field);
            if (raw == null) {
                JsonNode fallback = defaultValue(field);
                if (fallback == null) errors.add(path, "is required");
                out.put(field, fallback);
            } else {
                out.put(field, checkField(field, raw, path, errors));
            }
        }
        out.put("max_timeout_run_ms", checkRunTimeout(in.get("max_timeout_run_ms"), out.get("task"), join(prefix, "max_timeout_run_ms"), errors));
        checkGpuRules(out, prefix, errors);
        errors.throwIfAny();

        ObjectNode spec = Json.object();
        for (String field : FIELDS) spec.set(field, out.get(field));
        return spec;
    }

    /**
     * Checks one top-level field on its own (range, type, registry lookups; no cross-field rules) and returns its
     * normalized value: {@link NullNode} for an allowed null, Java {@code null} when it failed (errors recorded).
     * Cook uses this to check overrides as sent.
     */
    public JsonNode checkField(String field, JsonNode value, String path, FieldErrors errors) {
        if (value == null || value.isMissingNode()) throw new IllegalArgumentException("no value for " + field);
        if (value.isNull()) {
            if (NULLABLE_FIELDS.contains(field)) return NullNode.getInstance();
            errors.add(path, "must not be null");
            return null;
        }
        return switch (field) {
            case "title" -> checkTitle(value, path, errors);
            case "description" -> text(JsonChecks.string(value, path, 0, 10_000, errors));
            case "task" -> checkTask(value, path, errors);
            case "cpu_count" -> integer(value, path, 0, 4096, errors);
            case "gpu_count" -> integer(value, path, 0, 64, errors);
            case "gpu_name" -> checkGpuName(value, path, errors);
            case "gpu_registry_uuid" -> checkGpuUuid(value, path, errors);
            case "min_vram_gb", "min_ram_gb", "min_storage_gb" -> gigabytes(value, path, errors);
            case "max_node_count" -> integer(value, path, 1, 1024, errors);
            case "max_retry_count" -> integer(value, path, 0, 100, errors);
            case "max_timeout_assign_ms" -> integer(value, path, 300_000, MAX_TIMEOUT_MS, errors);
            case "max_timeout_start_ms" -> integer(value, path, 120_000, MAX_TIMEOUT_MS, errors);
            case "max_timeout_run_ms" -> integer(value, path, 60_000, MAX_TIMEOUT_MS, errors);
            case "allowed_region_codes" -> checkRegions(value, path, errors);
            case "parameters" -> checkParameters(value, path, errors);
            default -> throw new IllegalArgumentException("not a job spec field: " + field);
        };
    }

    /** The value an absent field takes; Java null for the required ones. */
    public static JsonNode defaultValue(String field) {
        return switch (field) {
            case "cpu_count", "max_node_count" -> Json.NODES.numberNode(1);
            case "gpu_count", "min_vram_gb", "min_ram_gb", "min_storage_gb", "max_retry_count" -> Json.NODES.numberNode(0);
            case "max_timeout_assign_ms", "max_timeout_start_ms" -> Json.NODES.numberNode(300_000);
            case "description", "gpu_name", "gpu_registry_uuid", "max_timeout_run_ms" -> NullNode.getInstance();
            case "allowed_region_codes" -> Json.NODES.arrayNode();
            default -> null;
        };
    }

    private static JsonNode checkRunTimeout(JsonNode raw, JsonNode task, String path, FieldErrors errors) {
        boolean given = !Json.isAbsent(raw);
        if (task != null && task.textValue().equals("PERSISTENT")) {
            if (given) {
                errors.add(path, "must be null for PERSISTENT jobs (they run until cancelled; only BATCH jobs have a run timeout)");
                return null;
            }
            return NullNode.getInstance();
        }
        if (!given) {
            if (task != null) errors.add(path, "is required for BATCH jobs (60000.." + MAX_TIMEOUT_MS + " ms)");
            return NullNode.getInstance();
        }
        return integer(raw, path, 60_000, MAX_TIMEOUT_MS, errors);
    }

    private static void checkGpuRules(Map<String, JsonNode> out, String prefix, FieldErrors errors) {
        JsonNode name = out.get("gpu_name");
        JsonNode uuid = out.get("gpu_registry_uuid");
        if (!Json.isAbsent(name) && !Json.isAbsent(uuid))
            errors.add(join(prefix, "gpu_name"), "cannot be combined with gpu_registry_uuid; set only one of them");
        JsonNode gpuCount = out.get("gpu_count");
        if (gpuCount == null || gpuCount.longValue() >= 1) return; // invalid count is reported already
        if (!Json.isAbsent(name)) errors.add(join(prefix, "gpu_name"), "needs gpu_count >= 1 (gpu_count is 0)");
        if (!Json.isAbsent(uuid)) errors.add(join(prefix, "gpu_registry_uuid"), "needs gpu_count >= 1 (gpu_count is 0)");
        JsonNode vram = out.get("min_vram_gb");
        if (vram != null && vram.decimalValue().signum() > 0)
            errors.add(join(prefix, "min_vram_gb"), "must be 0 when gpu_count is 0 (it is the VRAM per assigned GPU)");
    }

    private static JsonNode checkTitle(JsonNode value, String path, FieldErrors errors) {
        String title = JsonChecks.string(value, path, 1, 200, errors);
        if (title != null && title.isBlank()) {
            errors.add(path, "must not be blank");
            return null;
        }
        return text(title);
    }

    private static JsonNode checkTask(JsonNode value, String path, FieldErrors errors) {
        if (!value.isTextual()) {
            errors.add(path, "must be a string");
            return null;
        }
        if (!value.textValue().equals("BATCH") && !value.textValue().equals("PERSISTENT")) {
            errors.add(path, "must be BATCH or PERSISTENT");
            return null;
        }
        return value.deepCopy();
    }

    private JsonNode checkGpuName(JsonNode value, String path, FieldErrors errors) {
        String name = JsonChecks.string(value, path, 1, 200, errors);
        if (name == null) return null;
        if (catalog.byNameOrAlias(name).isEmpty()) {
            errors.add(path, "unknown GPU model \"" + name + "\"; " + REGISTRY_HINT);
            return null;
        }
        return text(name);
    }

    private JsonNode checkGpuUuid(JsonNode value, String path, FieldErrors errors) {
        String text = JsonChecks.string(value, path, 1, 36, errors);
        if (text == null) return null;
        if (!UUID_TEXT.matcher(text).matches()) {
            errors.add(path, "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a");
            return null;
        }
        UUID uuid = UUID.fromString(text);
        if (catalog.byUuid(uuid).isEmpty()) {
            errors.add(path, "no GPU registry entry has uuid " + uuid + "; " + REGISTRY_HINT);
            return null;
        }
        return text(uuid.toString());
    }

    private static JsonNode checkRegions(JsonNode value, String path, FieldErrors errors) {
        if (!value.isArray()) {
            errors.add(path, "must be an array of region codes");
            return null;
        }
        if (value.size() > MAX_REGIONS) {
            errors.add(path, "must have at most " + MAX_REGIONS + " items");
            return null;
        }
        ArrayNode out = Json.NODES.arrayNode();
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = index(path, i);
            if (!item.isTextual()) {
                errors.add(itemPath, "must be a string");
                ok = false;
            } else if (!RegionCodes.isValid(item.textValue())) {
                errors.add(itemPath, "unknown region code \"" + item.textValue() + "\"; valid codes: " + String.join(", ", RegionCodes.ALL));
                ok = false;
            } else if (!seen.add(item.textValue())) {
                errors.add(itemPath, "duplicate region code \"" + item.textValue() + "\"");
                ok = false;
            } else {
                out.add(item.textValue());
            }
        }
        return ok ? out : null;
    }

    private static JsonNode checkParameters(JsonNode value, String path, FieldErrors errors) {
        if (!value.isObject()) {
            errors.add(path, "must be an object {\"type\": \"docker\", \"parameters\": {...}}");
            return null;
        }
        JsonChecks.rejectUnknownFields((ObjectNode) value, PARAMETERS_FIELDS, path, errors);
        JsonNode type = value.get("type");
        boolean ok = true;
        if (type != null && !(type.isTextual() && type.textValue().equals("docker"))) {
            errors.add(join(path, "type"), "must be \"docker\"");
            ok = false;
        }
        JsonNode container = value.get("parameters");
        String containerPath = join(path, "parameters");
        JsonNode checked = null;
        if (Json.isAbsent(container)) errors.add(containerPath, "is required");
        else checked = checkContainer(container, containerPath, errors);
        if (!ok || checked == null) return null;
        ObjectNode out = Json.object();
        out.put("type", "docker");
        out.set("parameters", checked);
        return out;
    }

    private static JsonNode checkContainer(JsonNode value, String path, FieldErrors errors) {
        if (!value.isObject()) {
            errors.add(path, "must be an object");
            return null;
        }
        var in = (ObjectNode) value;
        boolean ok = JsonChecks.rejectUnknownFields(in, CONTAINER_FIELDS, path, errors);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("image", checkImage(in.get("image"), join(path, "image"), errors));
        out.put("tag", checkTag(in.get("tag"), join(path, "tag"), errors));
        out.put("host", optionalString(in.get("host"), join(path, "host"), DEFAULT_MAX_STRING, errors));
        out.put("user", optionalString(in.get("user"), join(path, "user"), DEFAULT_MAX_STRING, errors));
        out.put("secret", optionalString(in.get("secret"), join(path, "secret"), MAX_SECRET, errors));
        out.put("imagesrc", optionalString(in.get("imagesrc"), join(path, "imagesrc"), DEFAULT_MAX_STRING, errors));
        out.put("sshkey", checkSshKey(in.get("sshkey"), join(path, "sshkey"), errors));
        out.put("allowed_ips", checkAllowedIps(in.get("allowed_ips"), join(path, "allowed_ips"), errors));
        out.put("env", checkEnv(in.get("env"), join(path, "env"), errors));
        out.put("ports", checkPorts(in.get("ports"), join(path, "ports"), errors));
        out.put("volumes", checkVolumes(in.get("volumes"), join(path, "volumes"), errors));
        if (!ok || out.containsValue(null)) return null;
        ObjectNode result = Json.object();
        out.forEach(result::set);
        return result;
    }

    private static JsonNode checkImage(JsonNode value, String path, FieldErrors errors) {
        if (Json.isAbsent(value)) {
            errors.add(path, "is required");
            return null;
        }
        String image = JsonChecks.string(value, path, 1, 1024, errors);
        if (image == null) return null;
        try {
            ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            errors.add(path, "must be a valid image reference such as \"ubuntu\" or \"ghcr.io/org/app\": " + e.getMessage());
            return null;
        }
        return text(image);
    }

    private static JsonNode checkTag(JsonNode value, String path, FieldErrors errors) {
        if (Json.isAbsent(value) || (value.isTextual() && value.textValue().isEmpty())) return text(DEFAULT_TAG);
        String tag = JsonChecks.string(value, path, 1, 128, errors);
        if (tag == null) return null;
        if (!ImageReference.isValidTag(tag)) {
            errors.add(path, "must be a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
            return null;
        }
        return text(tag);
    }

    /** An optional string: absent, null and "" all normalize to null. Returns Java null only on failure. */
    private static JsonNode optionalString(JsonNode value, String path, int maxLength, FieldErrors errors) {
        if (Json.isAbsent(value) || (value.isTextual() && value.textValue().isEmpty())) return NullNode.getInstance();
        return text(JsonChecks.string(value, path, 1, maxLength, errors));
    }

    private static JsonNode checkSshKey(JsonNode value, String path, FieldErrors errors) {
        JsonNode key = optionalString(value, path, SshPublicKey.MAX_LENGTH, errors);
        if (key == null || key.isNull()) return key;
        String problem = SshPublicKey.problem(key.textValue());
        if (problem != null) {
            errors.add(path, problem);
            return null;
        }
        return text(key.textValue().strip());
    }

    private static JsonNode checkAllowedIps(JsonNode value, String path, FieldErrors errors) {
        if (Json.isAbsent(value)) return Json.NODES.arrayNode();
        if (!value.isArray()) {
            errors.add(path, "must be an array of IP addresses or CIDRs");
            return null;
        }
        if (value.size() > MAX_ALLOWED_IPS) {
            errors.add(path, "must have at most " + MAX_ALLOWED_IPS + " items");
            return null;
        }
        ArrayNode out = Json.NODES.arrayNode();
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                errors.add(index(path, i), "must be a string");
                ok = false;
                continue;
            }
            try {
                out.add(IpRange.parse(item.textValue()).toString());
            } catch (IllegalArgumentException e) {
                errors.add(index(path, i), "must be an IP address or CIDR such as 203.0.113.0/24: " + e.getMessage());
                ok = false;
            }
        }
        return ok ? out : null;
    }

    private static JsonNode checkEnv(JsonNode value, String path, FieldErrors errors) {
        if (Json.isAbsent(value)) return Json.object();
        if (!value.isObject()) {
            errors.add(path, "must be an object of NAME: \"value\" strings");
            return null;
        }
        ObjectNode out = Json.object();
        boolean ok = true;
        long bytes = 0;
        for (var it = value.fields(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey();
            String entryPath = join(path, name);
            if (!ENV_NAME.matcher(name).matches()) {
                errors.add(entryPath, "is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
                ok = false;
                continue;
            }
            if (name.startsWith(RESERVED_ENV_PREFIX)) {
                errors.add(entryPath, "is reserved: names starting with " + RESERVED_ENV_PREFIX + " are set by Galley");
                ok = false;
                continue;
            }
            String text = JsonChecks.string(entry.getValue(), entryPath, 0, Integer.MAX_VALUE, errors);
            if (text == null) {
                ok = false;
                continue;
            }
            bytes += name.getBytes(StandardCharsets.UTF_8).length + 1 + text.getBytes(StandardCharsets.UTF_8).length;
            out.put(name, text);
        }
        if (bytes > MAX_ENV_BYTES) {
            errors.add(path, "must be at most 64 KiB in total (sum of NAME=value in UTF-8 is " + bytes + " bytes)");
            ok = false;
        }
        return ok ? out : null;
    }

    private static JsonNode checkPorts(JsonNode value, String path, FieldErrors errors) {
        if (Json.isAbsent(value)) return Json.NODES.arrayNode();
        if (!value.isArray()) {
            errors.add(path, "must be an array of port numbers");
            return null;
        }
        if (value.size() > MAX_PORTS) {
            errors.add(path, "must have at most " + MAX_PORTS + " items");
            return null;
        }
        ArrayNode out = Json.NODES.arrayNode();
        Set<Long> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            Long port = JsonChecks.integer(value.get(i), index(path, i), 1, 65_535, errors);
            if (port == null) {
                ok = false;
            } else if (!seen.add(port)) {
                errors.add(index(path, i), "duplicate port " + port);
                ok = false;
            } else {
                out.add(port.intValue());
            }
        }
        return ok ? out : null;
    }

    private static JsonNode checkVolumes(JsonNode value, String path, FieldErrors errors) {
        if (Json.isAbsent(value)) return Json.NODES.arrayNode();
        if (!value.isArray()) {
            errors.add(path, "must be an array of volumes");
            return null;
        }
        if (value.size() > MAX_VOLUMES) {
            errors.add(path, "must have at most " + MAX_VOLUMES + " items");
            return null;
        }
        ArrayNode out = Json.NODES.arrayNode();
        Set<String> mounts = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            JsonNode volume = checkVolume(value.get(i), index(path, i), mounts, errors);
            if (volume == null) ok = false;
            else out.add(volume);
        }
        return ok ? out : null;
    }

    private static JsonNode checkVolume(JsonNode value, String path, Set<String> mounts, FieldErrors errors) {
        if (!value.isObject()) {
            errors.add(path, "must be an object {image, tag, registry, user, secret, mount}");
            return null;
        }
        var in = (ObjectNode) value;
        boolean ok = JsonChecks.rejectUnknownFields(in, VOLUME_FIELDS, path, errors);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("image", checkImage(in.get("image"), join(path, "image"), errors));
        out.put("tag", checkTag(in.get("tag"), join(path, "tag"), errors));
        out.put("registry", optionalString(in.get("registry"), join(path, "registry"), DEFAULT_MAX_STRING, errors));
        out.put("user", optionalString(in.get("user"), join(path, "user"), DEFAULT_MAX_STRING, errors));
        out.put("secret", optionalString(in.get("secret"), join(path, "secret"), MAX_SECRET, errors));
        out.put("mount", checkMount(in.get("mount"), join(path, "mount"), mounts, errors));
        if (!ok || out.containsValue(null)) return null;
        ObjectNode result = Json.object();
        out.forEach(result::set);
        return result;
    }

    private static JsonNode checkMount(JsonNode value, String path, Set<String> mounts, FieldErrors errors) {
        if (Json.isAbsent(value)) {
            errors.add(path, "is required");
            return null;
        }
        String mount = JsonChecks.string(value, path, 1, DEFAULT_MAX_STRING, errors);
        if (mount == null) return null;
        if (!mount.startsWith("/")) {
            errors.add(path, "must be an absolute path such as /data");
            return null;
        }
        String trimmed = mount.length() > 1 && mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
        if (trimmed.equals("/")) {
            errors.add(path, "must not be the container's root directory");
            return null;
        }
        for (String segment : trimmed.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                errors.add(path, "must be a normalized absolute path (no empty, \".\" or \"..\" segments)");
                return null;
            }
        }
        if (!mounts.add(trimmed)) {
            errors.add(path, "duplicate mount path " + trimmed);
            return null;
        }
        return text(trimmed);
    }

    private static JsonNode integer(JsonNode value, String path, long min, long max, FieldErrors errors) {
        Long n = JsonChecks.integer(value, path, min, max, errors);
        return n == null ? null : JsonChecks.numberNode(BigDecimal.valueOf(n));
    }

    private static JsonNode gigabytes(JsonNode value, String path, FieldErrors errors) {
        BigDecimal d = JsonChecks.number(value, path, BigDecimal.ZERO, BigDecimal.valueOf(MAX_GB), errors);
        return d == null ? null : JsonChecks.numberNode(d);
    }

    private static JsonNode text(String s) {
        return s == null ? null : Json.NODES.textNode(s);
    }
}
