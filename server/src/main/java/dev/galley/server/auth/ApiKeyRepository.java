package dev.galley.server.auth;

import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for api_keys. */
public final class ApiKeyRepository {
    private static final String COLUMNS = """
            uuid, account_uuid, name, public_key, secret_ciphertext, permissions, allowed_ips, expires_at,
            is_revoked AS revoked, created_at, updated_at, last_used_at, created_by_key_uuid""";
    private static final RowMapper<ApiKeyRow> ROW = ConstructorMapper.of(ApiKeyRow.class);

    public void insert(Handle h, ApiKeyRow k) {
        h.createUpdate("""
                INSERT INTO api_keys (uuid, account_uuid, name, public_key, secret_ciphertext, permissions,
                                      allowed_ips, expires_at, is_revoked, created_at, updated_at, created_by_key_uuid)
                VALUES (:uuid, :accountUuid, :name, :publicKey, :secretCiphertext, :permissions, :allowedIps, :expiresAt,
                        false, :createdAt, :createdAt, :createdByKeyUuid)""")
                .bindMethods(k).execute();
    }

    public Optional<ApiKeyRow> byPublicKey(Handle h, String publicKey) {
        return h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE public_key = :pk")
                .bind("pk", publicKey).map(ROW).findOne();
    }

    public Optional<ApiKeyRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE uuid = :uuid")
                .bind("uuid", uuid).map(ROW).findOne();
    }

    /**
     * The key about to mint a child, share-locked until the caller's transaction ends: a concurrent revocation of it
     * waits for the child to be committed (and then revokes it too), or the minter sees it revoked.
     */
    public Optional<ApiKeyRow> lockForMinting(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE uuid = :uuid FOR SHARE")
                .bind("uuid", uuid).map(ROW).findOne();
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
                    .bind("uuid", uuid).bind("now", now).map(ROW).list();
            if (round.isEmpty()) return revoked;
            revoked.addAll(round);
        }
    }

    /** Serialises concurrent bootstraps of the operator key (two replicas starting at once). */
    public void lockForBootstrap(Handle h) {
        h.execute("SELECT pg_advisory_xact_lock(7346001)");
    }

    /** The bootstrap key, unrevoked, unexpiring and allowed everything again. */
    public void restoreAsOperatorKey(Handle h, UUID uuid) {
        h.createUpdate("UPDATE api_keys SET is_revoked = false, permissions = '{*}', expires_at = NULL WHERE uuid = :u")
                .bind("u", uuid).execute();
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
        q.filters().forEach(f -> sql.filter(f.field().equals("account") ? "account_uuid" : f.field(), f)); // Dispersed's alias
        return sql.run(h, q, ROW);
    }
}
