package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.server.fuzz.FuzzTargets.Kind;
import java.util.SplittableRandom;

/**
 * Every write endpoint of the API (see {@code ApiRoutes}), with the key that may call it and a valid body to start
 * mutating from: the full body (every documented field) or a minimal one, so optional fields are covered both ways.
 */
enum WriteEndpoint {
    CREATE_ACCOUNT("POST", "/v1/accounts", Kind.NONE, Signer.OPERATOR),
    CREATE_API_KEY("POST", "/v1/api-keys", Kind.NONE, Signer.TENANT),
    REVOKE_API_KEY("DELETE", "/v1/api-keys/{uuid}", Kind.API_KEY, Signer.TENANT),
    CREATE_RECIPE("POST", "/v1/job-recipes", Kind.NONE, Signer.TENANT),
    PATCH_RECIPE("PATCH", "/v1/job-recipes/{uuid}", Kind.RECIPE, Signer.TENANT),
    DELETE_RECIPE("DELETE", "/v1/job-recipes/{uuid}", Kind.RECIPE_TO_DELETE, Signer.TENANT),
    FORK_RECIPE("POST", "/v1/job-recipes/{uuid}/fork", Kind.RECIPE, Signer.TENANT),
    COOK_RECIPE("POST", "/v1/job-recipes/{uuid}/cook", Kind.RECIPE, Signer.TENANT),
    CREATE_JOB("POST", "/v1/jobs", Kind.NONE, Signer.TENANT),
    CANCEL_JOB("PUT", "/v1/jobs/{uuid}/cancel", Kind.JOB_TO_CANCEL, Signer.TENANT),
    REGISTER_NODE("POST", "/v1/nodes/register", Kind.NONE, Signer.TENANT_NODE),
    HEARTBEAT("POST", "/v1/nodes/{uuid}/heartbeat", Kind.NODE, Signer.TENANT_NODE),
    REPORT_RUN("PATCH", "/v1/job-runs/{uuid}", Kind.RUN, Signer.TENANT_NODE),
    APPEND_LOGS("POST", "/v1/job-runs/{uuid}/logs", Kind.RUN, Signer.TENANT_NODE);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final String method;
    final String pathTemplate;
    final Kind target;
    final Signer signer;

    WriteEndpoint(String method, String pathTemplate, Kind target, Signer signer) {
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.target = target;
        this.signer = signer;
    }

    /** The path with {@code {uuid}} replaced (as is: the caller encodes what needs encoding). */
    String path(String uuid) {
        return pathTemplate.replace("{uuid}", uuid == null ? "" : uuid);
    }

    boolean hasJsonBody() {
        return this != REVOKE_API_KEY && this != DELETE_RECIPE && this != APPEND_LOGS;
    }

    boolean hasTextBody() {
        return this == APPEND_LOGS;
    }

    /** A valid JSON body for this endpoint aimed at {@code t}, or null for an endpoint without one. */
    JsonNode validBody(FuzzTargets t, SplittableRandom random) {
        boolean full = random.nextInt(3) > 0;
        String suffix = Long.toHexString(random.nextLong() >>> 16);
        return switch (this) {
            case CREATE_ACCOUNT -> read("{\"name\":\"fuzz-account-" + suffix + "\"}");
            case CREATE_API_KEY -> full
                    ? read("""
                        {"name":"fuzz key","permissions":["jobs.read.own","preset:compute_consumer"],"allowed_ips":["127.0.0.1","::1/128"],
                         "expires_at":"2030-01-01T00:00:00Z","account_uuid":"%s"}""".formatted(t.account()))
                    : read("{\"name\":\"k\",\"permissions\":[\"jobs.read.own\"]}");
            case CREATE_RECIPE -> full ? recipe(suffix) : read("{\"name\":\"r\",\"payload\":" + minimalJob() + "}");
            case PATCH_RECIPE -> recipePatch(suffix, random);
            case FORK_RECIPE -> full ? read("{\"name\":\"fork " + suffix + "\"}") : read("{}");
            case COOK_RECIPE -> full
                    ? read("""
                        {"title":"cooked","description":"d","task":"BATCH","cpu_count":1,"max_timeout_run_ms":600000,
                         "allowed_region_codes":["eu-west-1"],"inputs":{"who":"me","size":"s"},
                         "parameters":{"type":"docker","parameters":{"tag":"v2","env":{"A":"b","DROP":null},"ports":[8080],"allowed_ips":["10.0.0.1"]}}}""")
                    : read("{\"inputs\":{\"who\":\"me\"}}");
            case CREATE_JOB -> read(full ? job() : minimalJob());
            case CANCEL_JOB -> full ? read("{\"reason\":\"no longer needed\"}") : read("{}");
            case REGISTER_NODE -> node(t, full);
            case HEARTBEAT -> full
                    ? read("{\"metadata\":{\"cpu_load\":0.5,\"ram_gb_used\":3.25,\"note\":\"n\"},\"active_run_uuids\":[\"" + t.run() + "\"]}")
                    : read("{}");
            case REPORT_RUN -> full
                    ? read("""
                        {"status":"RUNNING","status_reason":"started","exit_code":null,"image_size_bytes":1048576,
                         "node_urls":[{"description":"ssh","hostname":"127.0.0.1","port":2222,"protocol":"tcp","tls":false}]}""")
                    : read("{\"status\":\"RUNNING\"}");
            case REVOKE_API_KEY, DELETE_RECIPE, APPEND_LOGS -> null;
        };
    }

    /** Text a node uploads as a run's output. */
    static String validLogText() {
        return "step 1 of 3: downloading\nstep 2 of 3: rendering ✓\n";
    }

    static String job() {
        return """
                {"title":"render frames","description":"d","task":"BATCH","cpu_count":2,"gpu_count":0,"min_ram_gb":0.5,
                 "min_vram_gb":0,"min_storage_gb":1.5,"max_node_count":1,"max_retry_count":1,"max_timeout_assign_ms":300000,
                 "max_timeout_start_ms":300000,"max_timeout_run_ms":600000,"allowed_region_codes":["eu-west-1"],
                 "parameters":{"type":"docker","parameters":{"image":"ghcr.io/org/app","tag":"v1","host":"ghcr.io",
                   "user":"u","secret":"s","imagesrc":"https://example.com/src",
                   "sshkey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host",
                   "allowed_ips":["10.0.0.0/8"],"env":{"A":"b","WHO":"{{who}}"},"ports":[8080,22],
                   "volumes":[{"image":"ghcr.io/org/data","tag":"1","registry":"ghcr.io","user":"vu","secret":"vs","mount":"/data"}]}}}""";
    }

    static String minimalJob() {
        return "{\"title\":\"t\",\"task\":\"PERSISTENT\",\"max_timeout_run_ms\":null,\"parameters\":{\"parameters\":{\"image\":\"busybox\"}}}";
    }

    static JsonNode recipe(String suffix) {
        ObjectNode body = (ObjectNode) read("""
                {"name":"fuzz recipe","description":"d","visibility":"PRIVATE","quickstart_md":"# hi","share_credentials":false,
                 "thumbnail_url":"https://example.com/t.png",
                 "input_schema":[{"key":"who","type":"string","label":"Who","required":false,"description":"d","placeholder":"p","default_value":"x"},
                                 {"key":"size","type":"select","options":[{"label":"Small","value":"s"},{"label":"Large","value":"l"}],"default_value":"s"},
                                 {"key":"count","type":"number","default_value":2},{"key":"verbose","type":"boolean","default_value":"false"},
                                 {"key":"token","type":"secret","required":false}]}""");
        body.put("name", "fuzz recipe " + suffix);
        body.set("payload", read(job()));
        return body;
    }

    private static JsonNode recipePatch(String suffix, SplittableRandom random) {
        ObjectNode full = (ObjectNode) recipe(suffix);
        full.remove("visibility");
        ObjectNode patch = MAPPER.createObjectNode();
        full.properties().forEach(e -> {
            if (random.nextInt(3) == 0) patch.set(e.getKey(), e.getValue());
        });
        if (patch.isEmpty()) patch.put("description", "patched " + suffix);
        return patch;
    }

    private static JsonNode node(FuzzTargets t, boolean full) {
        ObjectNode body = MAPPER.createObjectNode().put("name", t.nodeName()).put("region_code", "af-south-1");
        if (full) body.put("public_host", "127.0.0.1").put("agent_version", "fuzz-1");
        body.set("hardware", hardware(t.gpuName()));
        return body;
    }

    /** Room for every job the fuzzer makes, and eight GPUs of a model only this node has. */
    static ObjectNode hardware(String gpuName) {
        ObjectNode hw = MAPPER.createObjectNode();
        hw.putArray("cpus").addObject().put("name", "Fuzz CPU").put("num_cores", 256);
        hw.putArray("rams").addObject().put("memory_gb_max", 1024).put("memory_gb_available", 1024);
        hw.putArray("hard_drives").addObject().put("name", "/").put("max_capacity_gb", 4096).put("available_capacity_gb", 4096);
        ArrayNode gpus = hw.putArray("gpus");
        for (int i = 0; i < 8; i++) gpus.addObject().put("name", gpuName).put("vram_gb_max", 80).put("vram_gb_available", 80);
        return hw;
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
