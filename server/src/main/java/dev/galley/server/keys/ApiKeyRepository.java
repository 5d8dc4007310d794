package dev.galley.server.keys;

import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for api_keys. */
public final class ApiKeyRepository {
    private static final String COLUMNS = """
            uuid, account_uuid, name, public_key, secret_ciphertext, permissions, allowed_ips, expires_at,
            is_revoked, created_at, updated_at, last_used_at, created_by_key_uuid""";

    public void insert(Handle h, ApiKeyRow k) {
        h.createUpdate("""
                INSERT INTO api_keys (uuid, account_uuid, name, public_key, secret_ciphertext, permissions,
                                      allowed_ips, expires_at, is_revoked, created_at, updated_at, created_by_key_uuid)
                VALUES (:uuid, :account, :name, :pk, :secret, :perms, :ips, :expires, false, :created, :created, :parent)""")
                .bind("uuid", k.uuid()).bind("account", k.accountUuid()).bind("name", k.name())
                .bind("pk", k.publicKey()).bind("secret", k.secretCiphertext())
                .bind("perms", k.permissions().toArray(String[]::new))
                .bind("ips", k.allowedIps().toArray(String[]::new))
                .bind("expires", k.expiresAt()).bind("created", k.createdAt()).bind("parent", k.createdByKeyUuid())
                .execute();
    }

    public Optional<ApiKeyRow> byPublicKey(Handle h, String publicKey) {
        return h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE public_key = :pk")
                .bind("pk", publicKey).map(ApiKeyRepository::map).findOne();
    }

    public Optional<ApiKeyRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE uuid = :uuid")
                .bind("uuid", uuid).map(ApiKeyRepository::map).findOne();
    }

    /**
     * The key about to mint a child, share-locked until the caller's transaction ends: a concurrent revocation of it
     * waits for the child to be committed (and then revokes it too), or the minter sees it revoked.
     */
    public Optional<ApiKeyRow> lockForMinting(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE uuid = :uuid FOR SHARE")
                .bind("uuid", uuid).map(ApiKeyRepository::map).findOne();
    }

    /**
     * Revokes a key and every key below it (the keys it made, the keys those made, …) and returns the rows this
     * call revoked. The walk repeats until it finds nothing new: a key being minted from a descendant while the
     * walk runs holds a share lock on its parent, so the walk's update of that parent waits for the new key's commit,
     * and the next round (a new snapshot) sees and revokes it. Rows are locked in uuid order, so two revocations of
     * overlapping trees (a key and its parent at once) wait for each other instead of deadlocking.
     */
    public List<ApiKeyRow> revokeWithDescendants(Handle h, UUID uuid, Instant now) {
        List<ApiKeyRow> revoked = new ArrayList<>();
        while (true) {
            List<ApiKeyRow> round = h.createQuery("""
                    WITH RECURSIVE tree AS (
                        SELECT uuid FROM api_keys WHERE uuid = :uuid
                        UNION
                        SELECT k.uuid FROM api_keys k JOIN tree t ON k.created_by_key_uuid = t.uuid),
                    locked AS (
                        SELECT uuid FROM api_keys WHERE uuid IN (SELECT uuid FROM tree) AND NOT is_revoked
                        ORDER BY uuid FOR NO KEY UPDATE)
                    UPDATE api_keys SET is_revoked = true, updated_at = :now
                    WHERE uuid IN (SELECT uuid FROM locked)
                    RETURNING\s""" + COLUMNS)
                    .bind("uuid", uuid).bind("now", now).map(ApiKeyRepository::map).list();
            if (round.isEmpty()) return revoked;
            revoked.addAll(round);
        }
    }

    /** Records use at most once a minute per key, so authentication stays read-mostly. */
    public void touch(Handle h, UUID uuid, Instant now) {
        h.createUpdate("""
                UPDATE api_keys SET last_used_at = :now
                WHERE uuid = :uuid AND (last_used_at IS NULL OR last_used_at < CAST(:now AS timestamptz) - interval '1 minute')""")
                .bind("uuid", uuid).bind("now", now).execute();
    }

    public ListSql.Page<ApiKeyRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql("api_keys", COLUMNS);
        if (accountOrNull != null) sql.where("account_uuid = :account", "account", accountOrNull);
        for (Filter f : q.filters()) {
            switch (f.field()) {
                case "is_revoked" -> sql.bool("is_revoked", (Filter.Bool) f);
                case "name" -> sql.substring("name", (Filter.Substring) f);
                case "created_at" -> sql.dateRange("created_at", (Filter.DateRange) f);
                case "uuid" -> sql.uuidSet("uuid", (Filter.UuidSet) f);
                case "account_uuid", "account" -> sql.uuidSet("account_uuid", (Filter.UuidSet) f);
                case "expires_at" -> sql.dateRange("expires_at", (Filter.DateRange) f);
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, ApiKeyRepository::map);
    }

    static ApiKeyRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiKeyRow(
                rs.getObject("uuid", UUID.class),
                rs.getObject("account_uuid", UUID.class),
                rs.getString("name"),
                rs.getString("public_key"),
                rs.getBytes("secret_ciphertext"),
                Arrays.asList((String[]) rs.getArray("permissions").getArray()),
                Arrays.asList((String[]) rs.getArray("allowed_ips").getArray()),
                ListSql.instant(rs, "expires_at"),
                rs.getBoolean("is_revoked"),
                ListSql.instant(rs, "created_at"),
                ListSql.instant(rs, "updated_at"),
                ListSql.instant(rs, "last_used_at"),
                rs.getObject("created_by_key_uuid", UUID.class));
    }
}
