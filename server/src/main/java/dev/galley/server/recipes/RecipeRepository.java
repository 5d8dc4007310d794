package dev.galley.server.recipes;

import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for job_recipes. */
public final class RecipeRepository {
    private static final String COLUMNS = """
            uuid, account_uuid, name, description, visibility, payload, secrets, input_schema, quickstart_md,
            thumbnail_url, is_official AS official, forked_from_recipe_uuid, created_at, updated_at, last_used_at,
            share_credentials""";
    private static final RowMapper<RecipeRow> ROW = ConstructorMapper.of(RecipeRow.class);

    public void insert(Handle h, RecipeRow r) {
        h.createUpdate("""
                INSERT INTO job_recipes (uuid, account_uuid, name, description, visibility, payload, secrets,
                    input_schema, quickstart_md, thumbnail_url, is_official, forked_from_recipe_uuid, created_at, updated_at,
                    share_credentials)
                VALUES (:uuid, :accountUuid, :name, :description, :visibility, CAST(:payload AS jsonb), :secrets,
                    CAST(:inputSchema AS jsonb), :quickstartMd, :thumbnailUrl, :official, :forkedFromRecipeUuid, :createdAt,
                    :createdAt, :shareCredentials)""")
                .bindMethods(r).execute();
    }

    public void update(Handle h, RecipeRow r) {
        h.createUpdate("""
                UPDATE job_recipes SET name = :name, description = :description, visibility = :visibility,
                    payload = CAST(:payload AS jsonb), secrets = :secrets, input_schema = CAST(:inputSchema AS jsonb),
                    quickstart_md = :quickstartMd, thumbnail_url = :thumbnailUrl, is_official = :official,
                    share_credentials = :shareCredentials, updated_at = :updatedAt
                WHERE uuid = :uuid""")
                .bindMethods(r).execute();
    }

    public Optional<RecipeRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM job_recipes WHERE uuid = :uuid").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    public boolean delete(Handle h, UUID uuid) {
        return h.createUpdate("DELETE FROM job_recipes WHERE uuid = :uuid").bind("uuid", uuid).execute() == 1;
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
        for (Filter f : q.filters()) {
            if (f instanceof Filter.Bool owner && f.field().equals("is_owner")) {
                sql.where(owner.value() ? "account_uuid = :me" : "account_uuid <> :me", "me", caller);
            } else {
                sql.filter(f.field(), f);
            }
        }
        if (q.filter("visibility", Filter.WordSet.class).isEmpty()) sql.where("visibility <> 'ARCHIVED'");
        return sql.run(h, q, ROW);
    }
}
