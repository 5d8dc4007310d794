package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.gpu.GpuModel;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.core.spec.Secrets;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.gpus.GpuRepository;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import dev.galley.server.jobs.JobRepository;
import dev.galley.server.jobs.JobRow;
import dev.galley.server.runs.RunRepository;
import dev.galley.server.runs.RunRow;
import dev.galley.server.runs.RunView;
import dev.galley.server.scheduler.Signals;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** /v1/nodes: registration, heartbeats and assignment long-polls (agents); list and get (everyone). */
public final class NodeHandlers {
    private static final Logger log = LoggerFactory.getLogger(NodeHandlers.class);
    public static final long MAX_WAIT_MS = 60_000;
    public static final int MAX_METADATA_BYTES = 16 * 1024;
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("status", FilterKind.WORD_SET, "region_code", FilterKind.SUBSTRING, "uuid", FilterKind.UUID_SET,
                    "name", FilterKind.SUBSTRING, "created_at", FilterKind.DATE_RANGE),
            Map.of("status", Set.of("ONLINE", "OFFLINE", "DRAINING")), Set.of());
    private static final ListQueryParser WAIT = new ListQueryParser(Map.of(), Map.of(), Set.of("wait_ms"));

    private final Jdbi jdbi;
    private final NodeRepository nodes;
    private final GpuRepository gpuRepo;
    private final GpuCatalogCache gpus;
    private final RunRepository runs;
    private final JobRepository jobs;
    private final SecretCodec secrets;
    private final Signals signals;
    private final Clock clock;
    private final NodeKeys nodeKeys;
    private final int maxNewGpuModelsPerNode;

    public NodeHandlers(Jdbi jdbi, NodeRepository nodes, GpuRepository gpuRepo, GpuCatalogCache gpus, RunRepository runs,
                        JobRepository jobs, SecretCodec secrets, Signals signals, Clock clock, NodeKeys nodeKeys,
                        int maxNewGpuModelsPerNode) {
        this.nodeKeys = nodeKeys;
        this.maxNewGpuModelsPerNode = maxNewGpuModelsPerNode;
        this.jdbi = jdbi;
        this.nodes = nodes;
        this.gpuRepo = gpuRepo;
        this.gpus = gpus;
        this.runs = runs;
        this.jobs = jobs;
        this.secrets = secrets;
        this.signals = signals;
        this.clock = clock;
    }

    public void register(Context ctx, Caller caller) {
        caller.require("nodes", "update");
        NodeRegistration reg = NodeRegistration.parse(Json.parseObject(ctx.bodyAsBytes(), false));
        Instant now = now();
        // Operator keys are bound to no node (see NodeKeys); every other key to the one node it registers.
        UUID key = caller.canAll("nodes", "update") ? null : caller.keyUuid();
        GpuCatalog catalog = catalogKnowing(reg.gpus());
        Registered result;
        try {
            result = jdbi.inTransaction(h -> {
                if (key != null) {
                    var bound = nodes.boundTo(h, key);
                    if (bound.isPresent() && !bound.get().getValue().equals(reg.name())) throw keyBoundElsewhere(bound.get().getValue());
                }
                var up = nodes.upsert(h, caller.accountUuid(), key, reg.name(), reg.regionCode(), reg.publicHost(),
                        reg.agentVersion(), reg.hardware(), reg.cpuCores(), reg.ramGb(), reg.storageGb(), now)
                        .orElseThrow(() -> ApiException.conflict("node '" + reg.name() + "' of this account is bound to another API key"
                                + " that is still valid; a node keeps its key until that key is revoked or expires, so revoke it"
                                + " to move the node to this key, or register this machine under another --name"));
                List<NodeGpu> nodeGpus = gpusOf(h, reg, up.uuid(), catalog);
                nodes.replaceGpus(h, up.uuid(), nodeGpus);
                signals.jobsWaiting(h); // new capacity: let the scheduler look again
                return new Registered(up, nodeGpus);
            });
        } catch (JdbiException e) {
            if (!NodeKeys.isUniqueViolation(e)) throw e;
            // This key registered another node at the same moment (the index allows one node per key).
            throw keyBoundElsewhere(jdbi.withHandle(h -> nodes.boundTo(h, key)).map(Map.Entry::getValue).orElse("another node"));
        }
        if (result.gpus().stream().anyMatch(g -> catalog.byUuid(g.gpuUuid()).isEmpty())) gpus.reload();
        log.info("node {} ({}) registered in {}: {} cores, {} GB RAM, {} GB storage, {} GPU(s)", reg.name(), result.node().uuid(),
                reg.regionCode(), reg.cpuCores(), reg.ramGb(), reg.storageGb(), result.gpus().size());
        Responses.json(ctx, result.node().created() ? 201 : 200, view(result.node().uuid()));
    }

    private record Registered(NodeRepository.Upserted node, List<NodeGpu> gpus) {}

    private static ApiException keyBoundElsewhere(String node) {
        return ApiException.conflict("this API key is already bound to node '" + node + "': a key registers at most one"
                + " node. Create one compute_node key per node (galley keys create --name NODE --permission"
                + " preset:compute_node) and start each node's agent with its own key");
    }

    /** The registry, reloaded first when a reported model is not in the cached copy (another replica may have added it). */
    private GpuCatalog catalogKnowing(List<NodeRegistration.ReportedGpu> reported) {
        GpuCatalog catalog = gpus.current();
        boolean allKnown = reported.stream().allMatch(g -> catalog.byNameOrAlias(g.name()).isPresent());
        return allKnown ? catalog : gpus.reload();
    }

    /**
     * The node's GPUs, each matched to a registry model. A model the registry does not know is added, at most
     * {@code maxNewGpuModelsPerNode} per node over its lifetime (the registry is shared by every tenant); a
     * report that would add more is a 400 naming each GPU past the limit, and nothing is written.
     */
    private List<NodeGpu> gpusOf(org.jdbi.v3.core.Handle h, NodeRegistration reg, UUID node, GpuCatalog catalog) {
        var unknown = new java.util.LinkedHashSet<String>(); // normalized names, in the order reported
        for (var g : reg.gpus()) {
            if (catalog.byNameOrAlias(g.name()).isEmpty()) unknown.add(GpuModel.normalize(g.name()));
        }
        if (!unknown.isEmpty()) {
            int room = Math.max(0, maxNewGpuModelsPerNode - gpuRepo.countAddedBy(h, node));
            var refused = unknown.stream().skip(room).collect(java.util.stream.Collectors.toSet());
            var errors = new FieldErrors();
            for (int i = 0; i < reg.gpus().size(); i++) {
                if (refused.contains(GpuModel.normalize(reg.gpus().get(i).name()))) {
                    errors.add("hardware.gpus[" + i + "].name", "is not in the GPU registry, and a node may add at most "
                            + maxNewGpuModelsPerNode + " models to it (this node has no room left; the operator sets"
                            + " GALLEY_MAX_NEW_GPU_MODELS_PER_NODE)");
                }
            }
            errors.throwIfAny();
        }
        List<NodeGpu> out = new ArrayList<>();
        var added = new java.util.HashMap<String, UUID>();
        for (int i = 0; i < reg.gpus().size(); i++) {
            var g = reg.gpus().get(i);
            var known = catalog.byNameOrAlias(g.name());
            if (known.isPresent()) {
                out.add(new NodeGpu(i, known.get().uuid(), g.name(), vram(g.vramGb(), known.get())));
                continue;
            }
            UUID model = added.computeIfAbsent(GpuModel.normalize(g.name()), n -> {
                log.info("GPU model '{}' ({} GB) reported by node {} was added to the registry", g.name(), g.vramGb(), reg.name());
                return gpuRepo.ensure(h, g.name(), g.vramGb(), node);
            });
            out.add(new NodeGpu(i, model, g.name(), g.vramGb()));
        }
        return out;
    }

    /**
     * nvidia-smi reports MiB, which agents turn into binary GB (an H100 80GB shows 79.6). Within 10% below
     * the registry's size, the registry's number is used, so "min_vram_gb: 80" fits the card sold as 80 GB.
     */
    static double vram(double reported, GpuModel model) {
        return reported < model.vramGb() && reported >= model.vramGb() * 0.9 ? model.vramGb() : reported;
    }

    public void heartbeat(Context ctx, Caller caller) {
        caller.require("nodes", "update");
        UUID node = ownNode(ctx, caller);
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), true), Set.of("metadata", "active_run_uuids"));
        JsonNode metadata = f.raw("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) f.errors().add("metadata", "must be an object");
        else if (metadata != null && Json.bytes(metadata).length > MAX_METADATA_BYTES) {
            // Stored on every heartbeat (every few seconds per node): kept small.
            f.errors().add("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes as JSON");
        }
        List<String> active = f.strings("active_run_uuids", false, 10_000, 64);
        Set<UUID> reported = new HashSet<>();
        if (active != null) {
            for (int i = 0; i < active.size(); i++) {
                try {
                    reported.add(dev.galley.core.list.ListQueryParser.parseUuid(active.get(i)));
                } catch (IllegalArgumentException e) {
                    f.errors().add("active_run_uuids[" + i + "]", "must be a UUID");
                }
            }
        }
        f.finish();
        Instant now = now();
        ArrayNode commands = Json.array();
        jdbi.useTransaction(h -> {
            nodes.heartbeat(h, node, metadata, now);
            for (RunRow r : runs.stopRequestedOn(h, node)) {
                commands.addObject().put("type", "stop_run").put("job_run_uuid", r.uuid().toString())
                        .put("reason", r.statusReason() != null ? r.statusReason() : "stop requested");
            }
            // Runs the agent still runs that the server already finished (timed out, job failed): stop them. Only
            // this node's runs: a uuid of another node's run is nothing to this node, it hears nothing about it.
            for (RunRow r : runs.finishedOn(h, node, reported)) {
                commands.addObject().put("type", "stop_run").put("job_run_uuid", r.uuid().toString())
                        .put("reason", r.statusReason() == null ? "the run is no longer active" : r.statusReason());
            }
        });
        ObjectNode body = Json.object();
        body.set("commands", commands);
        Responses.json(ctx, 200, body);
    }

    /** Long-poll: returns at once when runs are ASSIGNED to this node, else waits up to wait_ms for one. */
    public void assignments(Context ctx, Caller caller) throws InterruptedException {
        caller.require("nodes", "update");
        UUID node = ownNode(ctx, caller);
        WAIT.parse(ctx.queryParamMap());
        long waitMs = 30_000;
        String raw = ctx.queryParam("wait_ms");
        if (raw != null) {
            try {
                waitMs = Long.parseLong(raw);
                if (waitMs < 0 || waitMs > MAX_WAIT_MS) throw ApiException.badRequest("wait_ms", "must be between 0 and 60000");
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("wait_ms", "must be a whole number of milliseconds");
            }
        }
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            long seen = signals.nodeVersion(node);
            List<RunRow> assigned = jdbi.withHandle(h -> runs.assignedTo(h, node));
            long left = deadline - System.currentTimeMillis();
            if (!assigned.isEmpty() || left <= 0) {
                ObjectNode body = Json.object();
                ArrayNode list = body.putArray("assignments");
                for (RunRow r : assigned) list.add(assignment(r));
                Responses.json(ctx, 200, body);
                return;
            }
            signals.awaitNode(node, seen, left);
        }
    }

    private ObjectNode assignment(RunRow run) {
        JobRow job = jdbi.withHandle(h -> jobs.byUuid(h, run.jobUuid())).orElseThrow();
        ObjectNode spec = Secrets.revealed(job.spec(), secrets.open(job.secrets()));
        ObjectNode jobNode = Json.object();
        jobNode.put("uuid", job.uuid().toString()).put("object", "job");
        jobNode.setAll(spec);
        ObjectNode env = Json.object();
        env.put("CONTAINER_ACCESS_TOKEN", job.containerAccessToken());
        env.put("GALLEY_JOB_UUID", job.uuid().toString());
        env.put("GALLEY_JOB_RUN_UUID", run.uuid().toString());
        env.put("GALLEY_NODE_INDEX", Integer.toString(run.nodeIndex()));
        env.put("GALLEY_NODE_COUNT", Integer.toString(job.nodeCount() == null ? 1 : job.nodeCount()));
        String sshkey = spec.at("/parameters/parameters/sshkey").asText(null);
        if (sshkey != null && !sshkey.isEmpty()) env.put("SSH_PUBKEY", sshkey);
        ObjectNode a = Json.object();
        a.set("job_run", RunView.of(run));
        a.set("job", jobNode);
        a.set("env", env);
        return a;
    }

    public void list(Context ctx, Caller caller) {
        caller.require("nodes", "read");
        var q = LIST.parse(ctx.queryParamMap());
        UUID account = caller.canAll("nodes", "read") ? null : caller.accountUuid();
        var page = jdbi.withHandle(h -> nodes.list(h, account, q));
        Responses.page(ctx, q, page, n -> NodeView.of(n, jdbi.withHandle(h -> nodes.gpus(h, n.uuid()))));
    }

    public void get(Context ctx, Caller caller) {
        caller.require("nodes", "read");
        UUID uuid = Responses.pathUuid(ctx, "node");
        NodeRow n = jdbi.withHandle(h -> nodes.byUuid(h, uuid))
                .filter(row -> caller.owns(row.accountUuid()) || caller.canAll("nodes", "read"))
                .orElseThrow(() -> ApiException.notFound("node"));
        Responses.json(ctx, 200, NodeView.of(n, jdbi.withHandle(h -> nodes.gpus(h, uuid))));
    }

    private ObjectNode view(UUID uuid) {
        return jdbi.withHandle(h -> NodeView.of(nodes.byUuid(h, uuid).orElseThrow(), nodes.gpus(h, uuid)));
    }

    /** The path's node, which must be the one the caller's key is bound to (see {@link NodeKeys}); else 404. */
    private UUID ownNode(Context ctx, Caller caller) {
        UUID uuid = Responses.pathUuid(ctx, "node");
        if (!nodeKeys.actsForNode(caller, uuid)) throw ApiException.notFound("node");
        return uuid;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
