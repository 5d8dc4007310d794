package dev.galley.server.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for job_recipes. */
public final class RecipeRepository {
    private static final String COLUMNS = """
            uuid, account_uuid, name, description, visibility, payload, secrets, input_schema, quickstart_md,
            thumbnail_url, is_official, forked_from_recipe_uuid, created_at, updated_at, last_used_at, share_credentials""";

    public void insert(Handle h, RecipeRow r) {
        h.createUpdate("""
                INSERT INTO job_recipes (uuid, account_uuid, name, description, visibility, payload, secrets,
                    input_schema, quickstart_md, thumbnail_url, is_official, forked_from_recipe_uuid, created_at, updated_at,
                    share_credentials)
                VALUES (:uuid, :account, :name, :description, :visibility, CAST(:payload AS jsonb), :secrets,
                    CAST(:schema AS jsonb), :quickstart, :thumbnail, :official, :forked, :created, :created, :share)""")
                .bind("uuid", r.uuid()).bind("account", r.accountUuid()).bind("name", r.name())
                .bind("description", r.description()).bind("visibility", r.visibility())
                .bind("payload", Json.text(r.payload())).bind("secrets", r.secrets())
                .bind("schema", Json.text(r.inputSchema())).bind("quickstart", r.quickstartMd())
                .bind("thumbnail", r.thumbnailUrl()).bind("official", r.official())
                .bind("forked", r.forkedFromRecipeUuid()).bind("created", r.createdAt())
                .bind("share", r.shareCredentials())
                .execute();
    }

    public void update(Handle h, RecipeRow r) {
        h.createUpdate("""
                UPDATE job_recipes SET name = :name, description = :description, visibility = :visibility,
                    payload = CAST(:payload AS jsonb), secrets = :secrets, input_schema = CAST(:schema AS jsonb),
                    quickstart_md = :quickstart, thumbnail_url = :thumbnail, is_official = :official,
                    share_credentials = :share, updated_at = :updated
                WHERE uuid = :uuid""")
                .bind("uuid", r.uuid()).bind("name", r.name()).bind("description", r.description())
                .bind("visibility", r.visibility()).bind("payload", Json.text(r.payload()))
                .bind("secrets", r.secrets()).bind("schema", Json.text(r.inputSchema()))
                .bind("quickstart", r.quickstartMd()).bind("thumbnail", r.thumbnailUrl())
                .bind("official", r.official()).bind("share", r.shareCredentials()).bind("updated", r.updatedAt())
                .execute();
    }

    public Optional<RecipeRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM job_recipes WHERE uuid = :uuid").bind("uuid", uuid)
                .map(RecipeRepository::map).findOne();
    }

    public boolean delete(Handle h, UUID uuid) {
        return h.createUpdate("DELETE FROM job_recipes WHERE uuid = :uuid").bind("uuid", uuid).execute() == 1;
    }

    public void touchLastUsed(Handle h, UUID uuid, Instant now) {
        touchLastUsed(h, new UUID[]{uuid}, now);
    }

    public void touchLastUsed(Handle h, UUID[] uuids, Instant now) {
        if (uuids.length == 0) return;
        h.createUpdate("UPDATE job_recipes SET last_used_at = :now WHERE uuid = ANY(:uuids) AND (last_used_at IS NULL OR last_used_at < :now)")
                .bind("uuids", uuids).bind("now", now).execute();
    }

    /**
     * Recipes the caller may see: its own and everyone's PUBLIC ones ({@code seeAll}: every recipe).
     * ARCHIVED recipes only appear when the visibility filter asks for them.
     */
    public ListSql.Page<RecipeRow> list(Handle h, UUID caller, boolean seeAll, ListQuery q) {
        var sql = new ListSql("job_recipes", COLUMNS);
        // :me is bound only with a condition that uses it: JDBI refuses a binding the statement does not declare.
        if (!seeAll) sql.where("(account_uuid = :me OR visibility = 'PUBLIC')", "me", caller);
        boolean visibilityFiltered = false;
        for (Filter f : q.filters()) {
            switch (f.field()) {
                case "visibility" -> { sql.wordSet("visibility", (Filter.WordSet) f); visibilityFiltered = true; }
                case "is_official" -> sql.bool("is_official", (Filter.Bool) f);
                case "is_owner" -> sql.where(((Filter.Bool) f).value() ? "account_uuid = :me" : "account_uuid <> :me", "me", caller);
                case "name" -> sql.substring("name", (Filter.Substring) f);
                case "uuid" -> sql.uuidSet("uuid", (Filter.UuidSet) f);
                case "created_at" -> sql.dateRange("created_at", (Filter.DateRange) f);
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        if (!visibilityFiltered) sql.where("visibility <> 'ARCHIVED'");
        return sql.run(h, q, RecipeRepository::map);
    }

    static RecipeRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RecipeRow(
                rs.getObject("uuid", UUID.class),
                rs.getObject("account_uuid", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("visibility"),
                (ObjectNode) Json.read(rs.getString("payload")),
                rs.getBytes("secrets"),
                Json.read(rs.getString("input_schema")),
                rs.getString("quickstart_md"),
                rs.getString("thumbnail_url"),
                rs.getBoolean("is_official"),
                rs.getObject("forked_from_recipe_uuid", UUID.class),
                ListSql.instant(rs, "created_at"),
                ListSql.instant(rs, "updated_at"),
                ListSql.instant(rs, "last_used_at"),
                rs.getBoolean("share_credentials"));
    }
}
