package dev.galley.server.gpus;

import dev.galley.core.gpu.GpuModel;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for the GPU registry. */
public final class GpuRepository {
    // Live counts come from gpu_inventory, a view over ONLINE nodes' GPUs (created with the node tables).
    private static final String COLUMNS = """
            uuid, name, vendor, vram_gb, aliases, reward_multiplier, created_at, created_at AS updated_at,
            COALESCE((SELECT count(*) FROM gpu_inventory i WHERE i.gpu_uuid = g.uuid), 0) AS total_count,
            COALESCE((SELECT count(*) FROM gpu_inventory i WHERE i.gpu_uuid = g.uuid AND i.is_free), 0) AS available_count""";

    public List<GpuModel> all(Handle h) {
        return h.createQuery("SELECT uuid, name, vendor, vram_gb, aliases, reward_multiplier FROM gpu_models")
                .map((rs, ctx) -> model(rs)).list();
    }

    public Optional<GpuRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM gpu_models g WHERE uuid = :uuid").bind("uuid", uuid)
                .map(GpuRepository::map).findOne();
    }

    public ListSql.Page<GpuRow> list(Handle h, ListQuery q) {
        var sql = new ListSql("(SELECT " + COLUMNS + " FROM gpu_models g) AS gpus", "*");
        for (Filter f : q.filters()) {
            switch (f.field()) {
                case "only_available" -> { if (((Filter.Bool) f).value()) sql.where("available_count > 0"); }
                case "min_vram_gb" -> {
                    var r = (Filter.NumberRange) f;
                    // min_vram_gb=N means "at least N GB"; a range a,b bounds the VRAM both ways.
                    if (r.from() == r.to()) sql.where("vram_gb >= :minvram", "minvram", r.from());
                    else sql.numberRange("vram_gb", r);
                }
                case "name" -> sql.where("(strpos(lower(name), lower(:gname)) > 0 OR EXISTS (SELECT 1 FROM unnest(aliases) a WHERE strpos(lower(a), lower(:gname)) > 0))",
                        "gname", ((Filter.Substring) f).text());
                case "uuid" -> sql.uuidSet("uuid", (Filter.UuidSet) f);
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, GpuRepository::map);
    }

    /**
     * Adds a model node {@code node} reported that the registry does not know yet; returns its uuid. The node is
     * recorded as the one that added it (see {@link #countAddedBy}). A model another node added meanwhile is found.
     */
    public UUID ensure(Handle h, String name, double vramGb, UUID node) {
        return h.createQuery("""
                WITH ins AS (
                    INSERT INTO gpu_models (uuid, name, vendor, vram_gb, added_by_node_uuid) VALUES (:uuid, :name, :vendor, :vram, :node)
                    ON CONFLICT (name) DO NOTHING RETURNING uuid)
                SELECT uuid FROM ins UNION ALL SELECT uuid FROM gpu_models WHERE name = :name LIMIT 1""")
                .bind("uuid", UUID.randomUUID()).bind("name", name)
                .bind("vendor", name.toUpperCase().contains("NVIDIA") || name.startsWith("Tesla") ? "NVIDIA" : "unknown")
                .bind("vram", vramGb).bind("node", node).mapTo(UUID.class).one();
    }

    /** How many models node {@code node} has added to the registry so far. */
    public int countAddedBy(Handle h, UUID node) {
        return h.createQuery("SELECT count(*) FROM gpu_models WHERE added_by_node_uuid = :node").bind("node", node)
                .mapTo(Integer.class).one();
    }

    static GpuModel model(ResultSet rs) throws SQLException {
        return new GpuModel(rs.getObject("uuid", UUID.class), rs.getString("name"), rs.getString("vendor"),
                rs.getBigDecimal("vram_gb").doubleValue(), Arrays.asList((String[]) rs.getArray("aliases").getArray()),
                rs.getBigDecimal("reward_multiplier"));
    }

    static GpuRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new GpuRow(model(rs), rs.getInt("total_count"), rs.getInt("available_count"));
    }
}
