package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for nodes and node_gpus. */
public final class NodeRepository {
    // Held resources are summed from active runs at read time: never stored, so they cannot drift.
    private static final String COLUMNS = """
            n.uuid, n.account_uuid, n.name, n.region_code, n.public_host, n.agent_version, n.status, n.hardware,
            n.cpu_cores, n.ram_gb, n.storage_gb, n.reputation, n.latest_hardware_event, n.last_seen_at,
            n.created_at, n.updated_at,
            COALESCE(h.cpu, 0) AS held_cpu, COALESCE(h.ram, 0) AS held_ram_gb, COALESCE(h.storage, 0) AS held_storage_gb,
            COALESCE(h.gpus, '{}') AS held_gpus""";
    private static final String FROM = """
            nodes n LEFT JOIN LATERAL (
                SELECT sum(r.cpu_count) AS cpu, sum(r.ram_gb) AS ram, sum(r.storage_gb) AS storage,
                       array(SELECT d FROM job_runs r2, unnest(r2.gpu_devices) d WHERE r2.node_uuid = n.uuid AND r2.is_active) AS gpus
                FROM job_runs r WHERE r.node_uuid = n.uuid AND r.is_active) h ON true""";
    private static final RowMapper<NodeRow> ROW = ConstructorMapper.of(NodeRow.class);
    private static final RowMapper<Binding> BINDING = ConstructorMapper.of(Binding.class);
    private static final RowMapper<NodeName> NODE_NAME = ConstructorMapper.of(NodeName.class);

    /** Inserts or (same account + name) updates a node; returns its uuid and whether it was new. */
    public record Upserted(UUID uuid, boolean created) {}

    /**
     * Inserts or (same account + name) updates a node, bound to {@code key} (null for an operator key, which
     * leaves the binding as it is). Empty when the node exists and is bound to another key that is still
     * valid: a node moves to a new key only once its old key is revoked or expired (key rotation).
     */
    public Optional<Upserted> upsert(Handle h, UUID account, UUID key, String name, String region, String publicHost,
                                     String agentVersion, JsonNode hardware, int cpu, double ram, double storage, Instant now) {
        return h.createQuery("""
                INSERT INTO nodes (uuid, account_uuid, name, region_code, public_host, agent_version, status, hardware,
                                   cpu_cores, ram_gb, storage_gb, last_seen_at, created_at, updated_at, api_key_uuid)
                VALUES (:uuid, :account, :name, :region, :host, :agent, :online, CAST(:hw AS jsonb), :cpu, :ram, :storage,
                        :now, :now, :now, :key)
                ON CONFLICT (account_uuid, name) DO UPDATE SET
                    region_code = EXCLUDED.region_code, public_host = EXCLUDED.public_host,
                    agent_version = EXCLUDED.agent_version, hardware = EXCLUDED.hardware,
                    cpu_cores = EXCLUDED.cpu_cores, ram_gb = EXCLUDED.ram_gb, storage_gb = EXCLUDED.storage_gb,
                    status = CASE WHEN nodes.status = :draining THEN :draining ELSE :online END,
                    last_seen_at = EXCLUDED.last_seen_at, updated_at = EXCLUDED.updated_at,
                    api_key_uuid = COALESCE(EXCLUDED.api_key_uuid, nodes.api_key_uuid)
                WHERE EXCLUDED.api_key_uuid IS NULL OR nodes.api_key_uuid IS NULL OR nodes.api_key_uuid = EXCLUDED.api_key_uuid
                   OR EXISTS (SELECT 1 FROM api_keys k WHERE k.uuid = nodes.api_key_uuid AND (k.is_revoked OR k.expires_at <= :now))
                RETURNING uuid, (xmax = 0) AS created""")
                .bind("uuid", UUID.randomUUID()).bind("account", account).bind("key", key).bind("name", name)
                .bind("region", region).bind("host", publicHost).bind("agent", agentVersion).bind("hw", Json.text(hardware))
                .bind("cpu", cpu).bind("ram", ram).bind("storage", storage).bind("now", now)
                .bind("online", NodeStatus.ONLINE).bind("draining", NodeStatus.DRAINING)
                .map(ConstructorMapper.of(Upserted.class)).findOne();
    }

    /** A node's owner and the key it is bound to (null: none yet). */
    public record Binding(UUID nodeUuid, UUID accountUuid, UUID apiKeyUuid) {}

    public Optional<Binding> binding(Handle h, UUID node) {
        return h.createQuery("SELECT uuid AS node_uuid, account_uuid, api_key_uuid FROM nodes WHERE uuid = :n").bind("n", node)
                .map(BINDING).findOne();
    }

    /** The binding of the node that runs {@code run}. */
    public Optional<Binding> bindingOfRun(Handle h, UUID run) {
        return h.createQuery("""
                SELECT n.uuid AS node_uuid, n.account_uuid, n.api_key_uuid FROM job_runs r JOIN nodes n ON n.uuid = r.node_uuid
                WHERE r.uuid = :r""").bind("r", run).map(BINDING).findOne();
    }

    /** A node by uuid and name. */
    public record NodeName(UUID uuid, String name) {}

    /** The node {@code key} is bound to. */
    public Optional<NodeName> boundTo(Handle h, UUID key) {
        return h.createQuery("SELECT uuid, name FROM nodes WHERE api_key_uuid = :k").bind("k", key)
                .map(NODE_NAME).findOne();
    }

    /**
     * Binds a node that has no key yet to {@code key}, if the node belongs to {@code account} and the key is bound
     * to no other node. Returns false when either is not so. A concurrent claim by the same key of another node
     * can still fail on the unique index; callers run this in a transaction of its own.
     */
    public boolean claim(Handle h, UUID node, UUID account, UUID key) {
        return h.createUpdate("""
                UPDATE nodes SET api_key_uuid = :k
                WHERE uuid = :n AND account_uuid = :a AND api_key_uuid IS NULL
                  AND NOT EXISTS (SELECT 1 FROM nodes WHERE api_key_uuid = :k)""")
                .bind("n", node).bind("a", account).bind("k", key).execute() == 1;
    }

    /** Replaces the node's GPUs; device indexes still held by active runs keep their rows' meaning. */
    public void replaceGpus(Handle h, UUID node, List<NodeGpu> gpus) {
        h.createUpdate("DELETE FROM node_gpus WHERE node_uuid = :n").bind("n", node).execute();
        var batch = h.prepareBatch("INSERT INTO node_gpus (node_uuid, device_index, gpu_uuid, name, vram_gb) VALUES (:n, :i, :g, :name, :vram)");
        for (NodeGpu g : gpus) {
            batch.bind("n", node).bind("i", g.deviceIndex()).bind("g", g.gpuUuid()).bind("name", g.name()).bind("vram", g.vramGb()).add();
        }
        if (!gpus.isEmpty()) batch.execute();
    }

    /** The GPUs of each of {@code nodes}, in device order, in one query (a page of nodes needs them all). */
    public Map<UUID, List<NodeGpu>> gpus(Handle h, Collection<UUID> nodes) {
        Map<UUID, List<NodeGpu>> gpus = new HashMap<>();
        nodes.forEach(n -> gpus.put(n, new ArrayList<>()));
        h.createQuery("""
                SELECT node_uuid, device_index, gpu_uuid, name, vram_gb FROM node_gpus WHERE node_uuid = ANY(:nodes)
                ORDER BY node_uuid, device_index""")
                .bind("nodes", nodes.toArray(UUID[]::new))
                .map((rs, ctx) -> gpus.get(rs.getObject(1, UUID.class))
                        .add(new NodeGpu(rs.getInt(2), rs.getObject(3, UUID.class), rs.getString(4), rs.getDouble(5))))
                .list();
        return gpus;
    }

    public Optional<NodeRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM " + FROM + " WHERE n.uuid = :uuid").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    /** What a heartbeat read back: the time of the node's newest stored hardware event (null: none). */
    public record Beat(Long latestHardwareEventMs) {}

    /**
     * Records a heartbeat (an OFFLINE node comes back ONLINE) and reads back, in the same statement, the time of the
     * node's newest stored hardware event, which decides whether the heartbeat's sample is kept. {@code boundKey}
     * non-null: only if the node is bound to that key. Empty: no such node, or not bound to {@code boundKey}.
     */
    public Optional<Beat> heartbeat(Handle h, UUID uuid, UUID boundKey, Instant now) {
        return h.createQuery("""
                UPDATE nodes SET last_seen_at = :now, updated_at = CASE WHEN status = :offline THEN :now ELSE updated_at END,
                       status = CASE WHEN status = :offline THEN :online ELSE status END
                WHERE uuid = :uuid AND (CAST(:key AS uuid) IS NULL OR api_key_uuid = :key)
                RETURNING latest_hardware_event_ms""")
                .bind("uuid", uuid).bind("key", boundKey).bind("now", now)
                .bind("offline", NodeStatus.OFFLINE).bind("online", NodeStatus.ONLINE)
                .map((rs, ctx) -> new Beat(rs.getObject(1, Long.class))).findOne();
    }

    /**
     * Sets a node that heartbeats (ONLINE or DRAINING) to {@code status}; {@code updated_at} moves only when the status
     * changes. False, and nothing written, when the node is OFFLINE: only its heartbeat brings it back.
     */
    public boolean setSchedulable(Handle h, UUID uuid, NodeStatus status, Instant now) {
        return h.createUpdate("""
                UPDATE nodes SET status = :status, updated_at = CASE WHEN status <> :status THEN :now ELSE updated_at END
                WHERE uuid = :uuid AND status IN (:online, :draining)""")
                .bind("uuid", uuid).bind("status", status).bind("now", now)
                .bind("online", NodeStatus.ONLINE).bind("draining", NodeStatus.DRAINING).execute() == 1;
    }

    /** Nodes by status, for the gauges. */
    public Map<NodeStatus, Long> countByStatus(Handle h) {
        return h.createQuery("SELECT status, count(*) FROM nodes GROUP BY status")
                .map((rs, ctx) -> Map.entry(NodeStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Marks ONLINE/DRAINING nodes silent since {@code before} OFFLINE; returns their uuids. Rows are locked in
     * uuid order, the order the plan applier locks nodes in, so the two can never deadlock.
     */
    public List<UUID> markSilentOffline(Handle h, Instant before, Instant now) {
        return h.createQuery("""
                UPDATE nodes SET status = :offline, updated_at = :now
                WHERE uuid IN (SELECT uuid FROM nodes WHERE status IN (:online, :draining) AND last_seen_at < :before
                               ORDER BY uuid FOR UPDATE)
                RETURNING uuid""")
                .bind("before", before).bind("now", now).bind("offline", NodeStatus.OFFLINE)
                .bind("online", NodeStatus.ONLINE).bind("draining", NodeStatus.DRAINING).mapTo(UUID.class).list();
    }

    public ListSql.Page<NodeRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql(FROM, COLUMNS);
        if (accountOrNull != null) sql.where("n.account_uuid = :account", "account", accountOrNull);
        for (Filter f : q.filters()) {
            // region_code is a comma list of exact codes, not a substring
            if (f instanceof Filter.Substring s && f.field().equals("region_code")) sql.where("n.region_code = ANY(:regions)", "regions", s.text().split(","));
            else sql.filter("n." + f.field(), f);
        }
        return sql.run(h, q, ROW);
    }
}
