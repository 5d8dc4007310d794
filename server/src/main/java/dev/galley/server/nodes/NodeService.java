package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.gpu.GpuModel;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.list.ListQuery;
import dev.galley.core.providers.HardwareEventRetention;
import dev.galley.core.providers.HardwareSample;
import dev.galley.core.spec.Secrets;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Signals;
import dev.galley.server.db.Transactions;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.gpus.GpuRepository;
import dev.galley.server.http.ApiException;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.lifecycle.JobRow;
import dev.galley.server.lifecycle.RunRepository;
import dev.galley.server.lifecycle.RunRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes as their agents see them (registration, heartbeats, assignments) and as their owners do (list, get, drain).
 * Registering writes the node, its key binding and its GPUs matched to the registry (which a node may grow by a few
 * models) in one transaction.
 */
public final class NodeService {
    private static final Logger log = LoggerFactory.getLogger(NodeService.class);

    private final Transactions tx;
    private final NodeRepository nodes;
    private final GpuRepository gpuRepo;
    private final RunRepository runs;
    private final JobRepository jobs;
    private final NodeKeys nodeKeys;
    private final GpuCatalogCache gpus;
    private final SecretCodec secrets;
    private final Signals signals;
    private final Clock clock;
    private final int maxNewGpuModelsPerNode;
    private final HardwareEventRepository events;
    private final HardwareEventRetention telemetry;

    public NodeService(Transactions tx, NodeRepository nodes, GpuRepository gpuRepo, RunRepository runs, JobRepository jobs,
                       NodeKeys nodeKeys, GpuCatalogCache gpus, SecretCodec secrets, Signals signals, Clock clock,
                       int maxNewGpuModelsPerNode, HardwareEventRepository events, HardwareEventRetention telemetry) {
        this.events = events;
        this.telemetry = telemetry;
        this.tx = tx;
        this.nodes = nodes;
        this.gpuRepo = gpuRepo;
        this.runs = runs;
        this.jobs = jobs;
        this.nodeKeys = nodeKeys;
        this.gpus = gpus;
        this.secrets = secrets;
        this.signals = signals;
        this.clock = clock;
        this.maxNewGpuModelsPerNode = maxNewGpuModelsPerNode;
    }

    /**
     * Registers the node {@code reg} describes, or (same account and name) replaces its hardware. Operator keys are bound
     * to no node (see {@link NodeKeys}); every other key to the one node it registers: registering a second name is 409,
     * and so is a node still bound to another valid key.
     */
    public Registered register(Caller caller, NodeRegistration reg) {
        Instant now = clock.instant();
        UUID key = caller.canAll(Resource.NODES, Action.UPDATE) ? null : caller.keyUuid();
        GpuCatalog catalog = catalogKnowing(reg.gpus());
        Written result;
        try {
            result = tx.inTransaction(h -> {
                if (key != null) {
                    var bound = nodes.boundTo(h, key);
                    if (bound.isPresent() && !bound.get().name().equals(reg.name())) throw keyBoundElsewhere(bound.get().name());
                }
                var up = nodes.upsert(h, caller.accountUuid(), key, reg.name(), reg.regionCode(), reg.publicHost(),
                        reg.agentVersion(), reg.hardware(), reg.cpuCores(), reg.ramGb(), reg.storageGb(), now)
                        .orElseThrow(() -> ApiException.conflict("node '" + reg.name() + "' of this account is bound to another API key"
                                + " that is still valid; a node keeps its key until that key is revoked or expires, so revoke it"
                                + " to move the node to this key, or register this machine under another --name"));
                List<NodeGpu> nodeGpus = gpusOf(h, reg, up.uuid(), catalog);
                nodes.replaceGpus(h, up.uuid(), nodeGpus);
                signals.jobsWaiting(h); // new capacity: let the scheduler look again
                return new Written(up, nodeGpus);
            });
        } catch (RuntimeException e) {
            if (!NodeKeys.isUniqueViolation(e)) throw e;
            // This key registered another node at the same moment (the index allows one node per key).
            throw keyBoundElsewhere(tx.withHandle(h -> nodes.boundTo(h, key)).map(NodeRepository.NodeName::name).orElse("another node"));
        }
        if (result.gpus().stream().anyMatch(g -> catalog.byUuid(g.gpuUuid()).isEmpty())) gpus.reload();
        log.info("node {} ({}) registered in {}: {} cores, {} GB RAM, {} GB storage, {} GPU(s)", reg.name(), result.node().uuid(),
                reg.regionCode(), reg.cpuCores(), reg.ramGb(), reg.storageGb(), result.gpus().size());
        UUID uuid = result.node().uuid();
        NodeRow row = tx.withHandle(h -> nodes.byUuid(h, uuid)).orElseThrow();
        return new Registered(new NodeDetail(row, result.gpus()), result.node().created());
    }

    /** The node as registered; {@code created} when it is new. */
    public record Registered(NodeDetail node, boolean created) {}

    private record Written(NodeRepository.Upserted node, List<NodeGpu> gpus) {}

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
    private List<NodeGpu> gpusOf(Handle h, NodeRegistration reg, UUID node, GpuCatalog catalog) {
        var unknown = new LinkedHashSet<String>(); // normalized names, in the order reported
        for (var g : reg.gpus()) {
            if (catalog.byNameOrAlias(g.name()).isEmpty()) unknown.add(GpuModel.normalize(g.name()));
        }
        if (!unknown.isEmpty()) {
            int room = Math.max(0, maxNewGpuModelsPerNode - gpuRepo.countAddedBy(h, node));
            var refused = unknown.stream().skip(room).collect(Collectors.toSet());
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
        var added = new HashMap<String, UUID>();
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

    /** Node {@code uuid}, which must be the one the caller's key is bound to (see {@link NodeKeys}); else 404. */
    public UUID actingAs(Caller caller, UUID uuid) {
        if (!nodeKeys.actsForNode(caller, uuid)) throw ApiException.notFound("node");
        return uuid;
    }

    /** Stopping one run: a cancel, a timeout, a job that failed, or a run the server no longer holds active. */
    public record StopRun(UUID run, String reason) {}

    /**
     * Records the heartbeat of node {@code uuid}, which must be the one the caller's key is bound to (else 404), and
     * answers what the agent must stop: runs asked to stop, and runs it still reports that the server already
     * finished. Only this node's runs: another node's run uuid is nothing to this node.
     *
     * <p>A heartbeat is the most frequent request of a fleet, so it is one transaction of two statements: the node's
     * UPDATE checks the key's binding itself (the first heartbeat of a key not bound yet takes the slower path through
     * {@link NodeKeys}, which binds it), and its commit does not wait for the disk: a heartbeat lost in a crash is
     * repeated by the next one.
     */
    public List<StopRun> heartbeat(Caller caller, UUID uuid, HardwareSample sample, Set<UUID> activeRuns) {
        Instant now = clock.instant();
        UUID boundKey = NodeKeys.bindingRequired(caller) ? caller.keyUuid() : null;
        return beat(uuid, boundKey, sample, activeRuns, now).orElseGet(() -> {
            actingAs(caller, uuid); // 404 unless the key acts for the node; binds a key not bound yet
            return beat(uuid, null, sample, activeRuns, now).orElseThrow(() -> ApiException.notFound("node"));
        });
    }

    private Optional<List<StopRun>> beat(UUID node, UUID boundKey, HardwareSample sample, Set<UUID> activeRuns, Instant now) {
        return tx.inTransactionNotWaitingForDisk(h -> nodes.heartbeat(h, node, boundKey, now).map(beat -> {
            if (sample != null) keep(h, node, beat.latestHardwareEventMs(), sample, now);
            return runs.stopsFor(h, node, activeRuns).stream().map(stop -> new StopRun(stop.uuid(),
                    stop.statusReason() != null ? stop.statusReason()
                            : stop.stopRequested() ? "stop requested" : "the run is no longer active")).toList();
        }));
    }

    /**
     * Stores the heartbeat's load sample when {@link HardwareEventRetention} keeps it (at most one per node per
     * telemetry interval): one statement, and none for the repeats the agent sends with every heartbeat.
     */
    private void keep(Handle h, UUID node, Long lastKeptMs, HardwareSample sample, Instant now) {
        var decision = telemetry.decide(lastKeptMs, sample.timestampMs(), now.toEpochMilli());
        if (!decision.keep()) return;
        ObjectNode fields = sample.toJson();
        fields.remove("timestamp_ms");
        events.store(h, node, lastKeptMs, new HardwareEventRepository.HardwareEventRow(UUID.randomUUID(), node, decision.timestampMs(), fields));
    }

    /** A run assigned to the node, its job, and the job's spec with its secrets revealed. */
    public record Assignment(RunRow run, JobRow job, ObjectNode revealedSpec) {}

    /** Returns at once when runs are ASSIGNED to the node, else waits up to {@code waitMs} for one (maybe none). */
    public List<Assignment> awaitAssignments(UUID node, long waitMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            long seen = signals.nodeVersion(node);
            List<RunRow> assigned = tx.withHandle(h -> runs.assignedTo(h, node));
            long left = deadline - System.currentTimeMillis();
            if (!assigned.isEmpty() || left <= 0) {
                return tx.withHandle(h -> assigned.stream().map(run -> {
                    var job = jobs.byUuid(h, run.jobUuid()).orElseThrow();
                    return new Assignment(run, job, Secrets.revealed(job.spec(), secrets.open(job.secrets())));
                }).toList());
            }
            signals.awaitNode(node, seen, left);
        }
    }

    /** The caller's account's nodes (nodes.read.all: every account's), with their GPUs. */
    public ListSql.Page<NodeDetail> list(Caller caller, ListQuery q) {
        UUID account = caller.canAll(Resource.NODES, Action.READ) ? null : caller.accountUuid();
        return tx.withHandle(h -> {
            var page = nodes.list(h, account, q);
            var gpus = nodes.gpus(h, page.data().stream().map(NodeRow::uuid).toList());
            return new ListSql.Page<>(page.data().stream().map(n -> new NodeDetail(n, gpus.get(n.uuid()))).toList(), page.total());
        });
    }

    /** A node of the caller's account, or any with nodes.read.all; else it does not exist (404). */
    public NodeDetail get(Caller caller, UUID uuid) {
        NodeRow n = tx.withHandle(h -> nodes.byUuid(h, uuid))
                .filter(row -> caller.owns(row.accountUuid()) || caller.canAll(Resource.NODES, Action.READ))
                .orElseThrow(() -> ApiException.notFound("node"));
        return detail(n);
    }

    /**
     * Drains a node (DRAINING: it keeps its runs and gets no new ones) or resumes it (ONLINE). Operators may change any
     * node, a key of the node's account its account's nodes, except that a key bound to a node changes that node
     * only; to every other key the node does not exist (404). An OFFLINE node is 409: its next heartbeat brings it
     * back ONLINE, and it can be drained then.
     */
    public NodeDetail setStatus(Caller caller, UUID uuid, NodeStatus status) {
        NodeRow node = tx.withHandle(h -> nodes.byUuid(h, uuid))
                .filter(n -> nodeKeys.manages(caller, n.uuid(), n.accountUuid()))
                .orElseThrow(() -> ApiException.notFound("node"));
        boolean set = tx.inTransaction(h -> {
            if (!nodes.setSchedulable(h, uuid, status, clock.instant())) return false;
            if (status == NodeStatus.ONLINE && node.status() != NodeStatus.ONLINE) signals.jobsWaiting(h); // capacity is back
            return true;
        });
        if (!set) {
            throw ApiException.conflict("node " + uuid + " is OFFLINE and cannot be set " + status
                    + " until it heartbeats again (a heartbeat brings it back ONLINE)");
        }
        if (node.status() != status) log.info("node {} ({}) is {} now (was {})", node.name(), uuid, status, node.status());
        return detail(tx.withHandle(h -> nodes.byUuid(h, uuid)).orElseThrow());
    }

    /** A page of a node's hardware events; the node as {@link #get} finds it (another account's is 404). */
    public ListSql.Page<HardwareEventRepository.HardwareEventRow> hardwareEvents(Caller caller, UUID uuid, ListQuery q) {
        get(caller, uuid);
        return tx.withHandle(h -> events.list(h, uuid, q));
    }

    /** Deletes hardware events older than the retention, in batches; returns how many. */
    public int sweepHardwareEvents() {
        long cutoff = telemetry.cutoffMs(clock.millis());
        int total = 0;
        int n;
        do {
            n = tx.inTransaction(h -> events.sweep(h, cutoff, 10_000));
            total += n;
        } while (n == 10_000);
        return total;
    }

    private NodeDetail detail(NodeRow n) {
        return new NodeDetail(n, tx.withHandle(h -> nodes.gpus(h, List.of(n.uuid()))).get(n.uuid()));
    }
}
