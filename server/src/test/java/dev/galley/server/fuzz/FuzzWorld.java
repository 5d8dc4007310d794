package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyClient;
import dev.galley.client.RequestSigning;
import dev.galley.server.GalleyServer;
import dev.galley.server.fuzz.WireClient.Header;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real objects the fuzzer aims at, on a server of its own: the fuzzing tenant with a node running one of its
 * jobs (a "scene", made again every few hundred cases because the fuzzer's valid requests finish runs, cancel jobs
 * and delete recipes), and another tenant with the same, made once, which the fuzzer must never change.
 */
final class FuzzWorld {
    /** A key of one of the {@link Signer}s: the pair and the account it acts for. */
    record Key(String pair, UUID account) {
        ApiKeyPair parsed() {
            return ApiKeyPair.parse(pair);
        }
    }

    /** A node that runs one job: its key, its uuid and name, the GPU model only it has, and the job's run. */
    private record Stage(Key nodeKey, UUID node, String nodeName, String gpuName, UUID job, UUID run) {}

    private static final String USED_NONCE = "f0220000000000000000000000000001";

    private final GalleyServer server;
    private final WireClient wire;
    private final Tenant tenant;
    private final Tenant foreignTenant;
    private final Map<Signer, Key> keys = new EnumMap<>(Signer.class);
    private final Set<String> tenantPermissions;
    private final Stage foreignStage;
    private final UUID foreignRecipe;
    private final UUID foreignApiKey;
    private int scenes;

    FuzzWorld(GalleyServer server, int timeoutMs) {
        this.server = server;
        this.wire = new WireClient(server.port(), timeoutMs);
        this.tenant = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        this.foreignTenant = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        keys.put(Signer.OPERATOR, new Key(TestServer.OPERATOR_KEY, null));
        keys.put(Signer.TENANT, new Key(tenant.keyPair(), tenant.accountUuid()));
        keys.put(Signer.FOREIGN_TENANT, new Key(foreignTenant.keyPair(), foreignTenant.accountUuid()));
        keys.put(Signer.REVOKED, revokedKey());
        tenantPermissions = permissionsOf(tenant);

        foreignStage = stage(foreignTenant, "foreign");
        keys.put(Signer.FOREIGN_NODE, foreignStage.nodeKey());
        foreignRecipe = UUID.fromString(foreignTenant.ok("POST", "/v1/job-recipes",
                WriteEndpoint.recipe("foreign").toString(), 201).get("uuid").asText());
        foreignApiKey = UUID.fromString(foreignTenant.ok("POST", "/v1/api-keys",
                "{\"name\":\"foreign\",\"permissions\":[\"jobs.read.own\"]}", 201).get("uuid").asText());
        burnNonce();
    }

    Key key(Signer signer) {
        return keys.get(signer);
    }

    /** The permissions the fuzzing tenant's consumer key holds (a key it creates may hold no more). */
    Set<String> tenantPermissions() {
        return tenantPermissions;
    }

    /** Fresh objects of the fuzzing tenant to aim at, with its node key as {@link Signer#TENANT_NODE} from now on. */
    FuzzTargets newScene() {
        int n = ++scenes;
        Stage stage = stage(tenant, "scene-" + n);
        keys.put(Signer.TENANT_NODE, stage.nodeKey());
        UUID recipe = created(tenant.ok("POST", "/v1/job-recipes", WriteEndpoint.recipe("scene " + n).toString(), 201));
        UUID recipeToDelete = created(tenant.ok("POST", "/v1/job-recipes", WriteEndpoint.recipe("doomed " + n).toString(), 201));
        UUID jobToCancel = created(tenant.ok("POST", "/v1/jobs", WriteEndpoint.job(), 201));
        UUID keyToRevoke = created(tenant.ok("POST", "/v1/api-keys", "{\"name\":\"doomed\",\"permissions\":[\"jobs.read.own\"]}", 201));
        return new FuzzTargets(tenant.accountUuid(), recipe, recipeToDelete, stage.job(), jobToCancel, stage.node(), stage.run(),
                keyToRevoke, stage.nodeName(), stage.gpuName(), USED_NONCE,
                foreignTenant.accountUuid(), foreignRecipe, foreignStage.job(), foreignStage.node(), foreignStage.run(), foreignApiKey);
    }

    /** Sends one case: signs it as it says, applies its header edits and framing, and returns the answer. */
    WireClient.Response send(FuzzRequest r) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("Host", "127.0.0.1:" + server.port()));
        if (r.signing() != null) headers.addAll(signingHeaders(r));
        headers.add(new Header("Accept", "application/json"));
        if (r.body().length > 0) headers.add(new Header("Content-Type", r.endpoint().hasTextBody() ? "text/plain; charset=utf-8" : "application/json"));
        List<Header> edited = WireClient.edit(headers, r.edits());
        return wire.exchange(wire.encode(r.method(), r.target(), edited, r.body(), r.wire()));
    }

    private List<Header> signingHeaders(FuzzRequest r) {
        FuzzRequest.Signing s = r.signing();
        ApiKeyPair pair = new ApiKeyPair(keys.get(s.key()).parsed().publicKey(), keys.get(s.secretOf()).parsed().secretKey());
        String method = s.signedMethod() != null ? s.signedMethod() : r.method();
        String target = s.signedTarget() != null ? s.signedTarget() : r.target();
        byte[] body = s.signedBody() != null ? s.signedBody() : r.body();
        long time = System.currentTimeMillis() + s.clockOffsetMs();
        Map<String, String> signed;
        try {
            signed = RequestSigning.headers(pair, method, target, body, time, s.nonce());
        } catch (IllegalArgumentException unsignable) { // e.g. a query with a broken %-escape: send a signature that cannot match
            signed = Map.of(RequestSigning.API_KEY, pair.publicKey(), RequestSigning.TIME, Long.toString(time),
                    RequestSigning.NONCE, s.nonce(), RequestSigning.SIGNATURE, "0".repeat(64));
        }
        List<Header> out = new ArrayList<>();
        for (String name : List.of(RequestSigning.API_KEY, RequestSigning.TIME, RequestSigning.NONCE, RequestSigning.SIGNATURE)) {
            out.add(new Header(name, signed.get(name)));
        }
        return out;
    }

    /** The tenant's consumer key signs one request with {@link #USED_NONCE}, so the corpus can send it again. */
    private void burnNonce() {
        FuzzRequest read = new FuzzRequest(0, -1, FuzzCorpus.Family.VALID, WriteEndpoint.CREATE_JOB, "GET", "/v1/jobs?limit=1",
                FuzzRequest.Signing.of(Signer.TENANT, USED_NONCE), List.of(), FuzzRequest.Wire.NORMAL, new byte[0], false, List.of());
        assertThat(send(read).status()).isEqualTo(200);
    }

    /**
     * A node of {@code owner} that runs one PERSISTENT job of {@code owner} (RUNNING, so reports and logs reach a live
     * run). The job asks for a GPU model only this node has, so no other node takes it.
     */
    private Stage stage(Tenant owner, String label) {
        Key nodeKey = nodeKey(owner);
        GalleyClient client = TestServer.client(server, nodeKey.pair());
        String gpuName = "Fuzz GPU " + label + " " + TestServer.randomHex(6);
        List<String[]> gpus = new ArrayList<>();
        for (int i = 0; i < 8; i++) gpus.add(new String[]{gpuName, "80"});
        String nodeName = "fuzz-" + label + "-" + TestServer.randomHex(6);
        SimulatedNode node = SimulatedNode.register(client, nodeName, "af-south-1", 256, 1024, 4096, gpus);
        ObjectNode job = (ObjectNode) WriteEndpoint.read(WriteEndpoint.minimalJob());
        job.put("gpu_count", 1).put("gpu_name", gpuName).putArray("allowed_region_codes").add("af-south-1");
        UUID jobUuid = created(owner.ok("POST", "/v1/jobs", job.toString(), 201));
        String run = runOf(node, jobUuid);
        node.reportOk(run, "{\"status\":\"PREPARING\"}");
        node.reportOk(run, "{\"status\":\"RUNNING\"}");
        return new Stage(nodeKey, UUID.fromString(node.uuid), nodeName, gpuName, jobUuid, UUID.fromString(run));
    }

    /** The run of {@code job} on {@code node}: the node long-polls until the scheduler has placed it. */
    private static String runOf(SimulatedNode node, UUID job) {
        for (int attempt = 0; attempt < 12; attempt++) {
            for (JsonNode a : node.poll(5_000)) {
                if (a.at("/job/uuid").asText().equals(job.toString())) return a.at("/job_run/uuid").asText();
            }
        }
        throw new AssertionError("job " + job + " was never assigned to node " + node.name);
    }

    private Key nodeKey(Tenant owner) {
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        JsonNode key = ok(TestServer.call(op, "POST", "/v1/api-keys",
                "{\"name\":\"fuzz node\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + owner.accountUuid() + "\"}"), 201);
        return new Key(key.get("public_key").asText() + ":" + key.get("secret_key").asText(), owner.accountUuid());
    }

    private Key revokedKey() {
        JsonNode key = tenant.ok("POST", "/v1/api-keys", "{\"name\":\"revoked\",\"permissions\":[\"jobs.read.own\"]}", 201);
        tenant.ok("DELETE", "/v1/api-keys/" + key.get("uuid").asText(), null, 200);
        return new Key(key.get("public_key").asText() + ":" + key.get("secret_key").asText(), tenant.accountUuid());
    }

    private static Set<String> permissionsOf(Tenant t) {
        JsonNode keys = t.ok("GET", "/v1/api-keys?limit=50", null, 200).get("data");
        Set<String> out = new HashSet<>();
        String publicKey = t.keyPair().substring(0, t.keyPair().indexOf(':'));
        for (JsonNode k : keys) {
            if (k.get("public_key").asText().equals(publicKey)) k.get("permissions").forEach(p -> out.add(p.asText()));
        }
        assertThat(out).as("the tenant's own key and its permissions").isNotEmpty();
        return out;
    }

    /** What the foreign tenant's objects look like, read with its own key (to compare before and after). */
    Map<String, JsonNode> foreignSnapshot() {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        out.put("recipe", foreignTenant.ok("GET", "/v1/job-recipes/" + foreignRecipe, null, 200));
        out.put("job", foreignTenant.ok("GET", "/v1/jobs/" + foreignStage.job(), null, 200));
        out.put("run", foreignTenant.ok("GET", "/v1/job-runs/" + foreignStage.run(), null, 200));
        out.put("api key", foreignTenant.ok("GET", "/v1/api-keys/" + foreignApiKey, null, 200));
        GalleyClient foreignNode = TestServer.client(server, foreignStage.nodeKey().pair()); // consumers cannot read nodes
        JsonNode node = ok(TestServer.call(foreignNode, "GET", "/v1/nodes/" + foreignStage.node(), null), 200).deepCopy();
        // Liveness and free capacity change as any tenant's jobs are placed on the node (nodes serve every tenant).
        ((ObjectNode) node).remove(List.of("last_seen_at", "status", "free_cpu_cores", "gpus", "rams", "hard_drives"));
        out.put("node", node);
        return out;
    }

    Tenant tenant() {
        return tenant;
    }

    private static UUID created(JsonNode object) {
        return UUID.fromString(object.get("uuid").asText());
    }
}
