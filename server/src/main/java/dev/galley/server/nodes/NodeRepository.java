package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for nodes and node_gpus. */
public final class NodeRepository {
    // Held resources are summed from active runs at read time: never stored, so they cannot drift.
    private static final String COLUMNS = """
            n.uuid, n.account_uuid, n.name, n.region_code, n.public_host, n.agent_version, n.status, n.hardware,
            n.cpu_cores, n.ram_gb, n.storage_gb, n.reputation, n.latest_hardware_event, n.last_seen_at,
            n.created_at, n.updated_at,
            COALESCE(h.cpu, 0) AS held_cpu, COALESCE(h.ram, 0) AS held_ram, COALESCE(h.storage, 0) AS held_storage,
            COALESCE(h.gpus, '{}') AS held_gpus""";
    private static final String FROM = """
            nodes n LEFT JOIN LATERAL (
                SELECT sum(r.cpu_count) AS cpu, sum(r.ram_gb) AS ram, sum(r.storage_gb) AS storage,
                       array(SELECT d FROM job_runs r2, unnest(r2.gpu_devices) d WHERE r2.node_uuid = n.uuid AND r2.is_active) AS gpus
                FROM job_runs r WHERE r.node_uuid = n.uuid AND r.is_active) h ON true""";

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
                VALUES (:uuid, :account, :name, :region, :host, :agent, 'ONLINE', CAST(:hw AS jsonb), :cpu, :ram, :storage,
                        :now, :now, :now, :key)
                ON CONFLICT (account_uuid, name) DO UPDATE SET
                    region_code = EXCLUDED.region_code, public_host = EXCLUDED.public_host,
                    agent_version = EXCLUDED.agent_version, hardware = EXCLUDED.hardware,
                    cpu_cores = EXCLUDED.cpu_cores, ram_gb = EXCLUDED.ram_gb, storage_gb = EXCLUDED.storage_gb,
                    status = CASE WHEN nodes.status = 'DRAINING' THEN 'DRAINING' ELSE 'ONLINE' END,
                    last_seen_at = EXCLUDED.last_seen_at, updated_at = EXCLUDED.updated_at,
                    api_key_uuid = COALESCE(EXCLUDED.api_key_uuid, nodes.api_key_uuid)
                WHERE EXCLUDED.api_key_uuid IS NULL OR nodes.api_key_uuid IS NULL OR nodes.api_key_uuid = EXCLUDED.api_key_uuid
                   OR EXISTS (SELECT 1 FROM api_keys k WHERE k.uuid = nodes.api_key_uuid AND (k.is_revoked OR k.expires_at <= :now))
                RETURNING uuid, (xmax = 0) AS created""")
                .bind("uuid", UUID.randomUUID()).bind("account", account).bind("key", key).bind("name", name)
                .bind("region", region).bind("host", publicHost).bind("agent", agentVersion).bind("hw", Json.text(hardware))
                .bind("cpu", cpu).bind("ram", ram).bind("storage", storage).bind("now", now)
                .map((rs, ctx) -> new Upserted(rs.getObject("uuid", UUID.class), rs.getBoolean("created"))).findOne();
    }

    /** A node's owner and the key it is bound to (null: none yet). */
    public record Binding(UUID nodeUuid, UUID accountUuid, UUID apiKeyUuid) {}

    public Optional<Binding> binding(Handle h, UUID node) {
        return h.createQuery("SELECT uuid, account_uuid, api_key_uuid FROM nodes WHERE uuid = :n").bind("n", node)
                .map(NodeRepository::mapBinding).findOne();
    }

    /** The binding of the node that runs {@code run}. */
    public Optional<Binding> bindingOfRun(Handle h, UUID run) {
        return h.createQuery("""
                SELECT n.uuid, n.account_uuid, n.api_key_uuid FROM job_runs r JOIN nodes n ON n.uuid = r.node_uuid
                WHERE r.uuid = :r""").bind("r", run).map(NodeRepository::mapBinding).findOne();
    }

    private static Binding mapBinding(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Binding(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class));
    }

    /** The node {@code key} is bound to, as (uuid, name). */
    public Optional<Map.Entry<UUID, String>> boundTo(Handle h, UUID key) {
        return h.createQuery("SELECT uuid, name FROM nodes WHERE api_key_uuid = :k").bind("k", key)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2))).findOne();
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

    public List<NodeGpu> gpus(Handle h, UUID node) {
        return h.createQuery("SELECT device_index, gpu_uuid, name, vram_gb FROM node_gpus WHERE node_uuid = :n ORDER BY device_index")
                .bind("n", node)
                .map((rs, ctx) -> new NodeGpu(rs.getInt(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getDouble(4))).list();
    }

    public Optional<NodeRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM " + FROM + " WHERE n.uuid = :uuid").bind("uuid", uuid)
                .map(NodeRepository::map).findOne();
    }

    /** Records a heartbeat; an OFFLINE node comes back ONLINE. */
    public boolean heartbeat(Handle h, UUID uuid, JsonNode metadata, Instant now) {
        return h.createUpdate("""
                UPDATE nodes SET last_seen_at = :now, updated_at = CASE WHEN status = 'OFFLINE' THEN :now ELSE updated_at END,
                       status = CASE WHEN status = 'OFFLINE' THEN 'ONLINE' ELSE status END,
                       latest_hardware_event = COALESCE(CAST(:meta AS jsonb), latest_hardware_event)
                WHERE uuid = :uuid""")
                .bind("uuid", uuid).bind("now", now).bind("meta", metadata == null || metadata.isNull() ? null : Json.text(metadata))
                .execute() == 1;
    }

    /**
     * Marks ONLINE/DRAINING nodes silent since {@code before} OFFLINE; returns their uuids. Rows are locked in
     * uuid order, the order the plan applier locks nodes in, so the two can never deadlock.
     */
    public List<UUID> markSilentOffline(Handle h, Instant before, Instant now) {
        return h.createQuery("""
                UPDATE nodes SET status = 'OFFLINE', updated_at = :now
                WHERE uuid IN (SELECT uuid FROM nodes WHERE status IN ('ONLINE', 'DRAINING') AND last_seen_at < :before
                               ORDER BY uuid FOR UPDATE)
                RETURNING uuid""")
                .bind("before", before).bind("now", now).mapTo(UUID.class).list();
    }

    public ListSql.Page<NodeRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql(FROM, COLUMNS);
        if (accountOrNull != null) sql.where("n.account_uuid = :account", "account", accountOrNull);
        for (Filter f : q.filters()) {
            switch (f.field()) {
                case "status" -> sql.wordSet("n.status", (Filter.WordSet) f);
                case "region_code" -> sql.where("n.region_code = ANY(:regions)", "regions",
                        ((Filter.Substring) f).text().split(","));
                case "uuid" -> sql.uuidSet("n.uuid", (Filter.UuidSet) f);
                case "name" -> sql.substring("n.name", (Filter.Substring) f);
                case "created_at" -> sql.dateRange("n.created_at", (Filter.DateRange) f);
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, NodeRepository::map);
    }

    static NodeRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        Set<Integer> held = new HashSet<>(Arrays.asList((Integer[]) rs.getArray("held_gpus").getArray()));
        String event = rs.getString("latest_hardware_event");
        return new NodeRow(
                rs.getObject("uuid", UUID.class), rs.getObject("account_uuid", UUID.class), rs.getString("name"),
                rs.getString("region_code"), rs.getString("public_host"), rs.getString("agent_version"),
                rs.getString("status"), Json.read(rs.getString("hardware")), rs.getInt("cpu_cores"),
                rs.getDouble("ram_gb"), rs.getDouble("storage_gb"), rs.getInt("reputation"),
                event == null ? null : Json.read(event), ListSql.instant(rs, "last_seen_at"),
                ListSql.instant(rs, "created_at"), ListSql.instant(rs, "updated_at"),
                rs.getInt("held_cpu"), rs.getDouble("held_ram"), rs.getDouble("held_storage"), held);
    }
}
