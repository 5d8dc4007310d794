package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for node_hardware_events and the newest event kept on each node's row. */
public final class HardwareEventRepository {
    private static final String COLUMNS = "uuid, node_uuid, timestamp_ms, sample, created_at, updated_at";
    private static final RowMapper<HardwareEventRow> ROW = ConstructorMapper.of(HardwareEventRow.class);

    /**
     * Stores {@code event} (a {@link HardwareEventView} object) as the node's newest, in one statement: the event row
     * and the node row's copy. Nothing is written when the node's newest event is no longer {@code lastKeptMs}
     * (another request stored one in between); the heartbeat holds the node's row lock, so that does not happen there.
     */
    public boolean store(Handle h, UUID node, Long lastKeptMs, HardwareEventRow event) {
        Instant at = Instant.ofEpochMilli(event.timestampMs());
        ObjectNode object = HardwareEventView.of(event);
        return h.createUpdate("""
                WITH latest AS (
                    UPDATE nodes SET latest_hardware_event = CAST(:object AS jsonb), latest_hardware_event_ms = :ms
                    WHERE uuid = :node AND latest_hardware_event_ms IS NOT DISTINCT FROM CAST(:last AS bigint)
                    RETURNING uuid)
                INSERT INTO node_hardware_events (uuid, node_uuid, timestamp_ms, sample, created_at, updated_at)
                SELECT :uuid, uuid, :ms, CAST(:sample AS jsonb), :at, :at FROM latest""")
                .bind("object", Json.text(object)).bind("ms", event.timestampMs()).bind("node", node).bind("last", lastKeptMs)
                .bind("uuid", event.uuid()).bind("sample", Json.text(event.sample())).bind("at", at)
                .execute() == 1;
    }

    /** One page of a node's events; {@code timestamp_ms} is the only filter. */
    public ListSql.Page<HardwareEventRow> list(Handle h, UUID node, ListQuery q) {
        var sql = new ListSql("node_hardware_events", COLUMNS).where("node_uuid = :node", "node", node);
        for (Filter f : q.filters()) sql.filter(f.field(), f);
        return sql.run(h, q, ROW);
    }

    /** Deletes up to {@code batch} events older than {@code cutoffMs}; returns how many. */
    public int sweep(Handle h, long cutoffMs, int batch) {
        return h.createUpdate("""
                DELETE FROM node_hardware_events WHERE uuid IN (
                    SELECT uuid FROM node_hardware_events WHERE timestamp_ms < :cutoff LIMIT :batch)""")
                .bind("cutoff", cutoffMs).bind("batch", batch).execute();
    }

    /** A stored event: the sample's fields as the node sent them, with {@code timestamp_ms} the time it is kept at. */
    public record HardwareEventRow(UUID uuid, UUID nodeUuid, long timestampMs, JsonNode sample) {}
}
