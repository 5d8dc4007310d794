package dev.galley.server.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.KeyLimits;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.auth.PermissionSet;
import dev.galley.core.error.ValidationException;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.core.net.IpRange;
import dev.galley.server.accounts.AccountRepository;
import dev.galley.server.auth.ApiKeyCache;
import dev.galley.server.auth.ApiKeyRepository;
import dev.galley.server.auth.ApiKeyRow;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.ApiKeyGenerator;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Signals;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.JsonFields;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** API keys: minted by a key and never out-reaching it, listed, revoked with every key below. */
public final class ApiKeyService {
    /** A key as just minted: its secret is shown this once. */
    public record Minted(ApiKeyRow key, String secretKey) {}

    private final Transactions tx;
    private final ApiKeyRepository keys;
    private final AccountRepository accounts;
    private final SecretBox secrets;
    private final Clock clock;
    private final ApiKeyCache cache;
    private final Signals signals;

    public ApiKeyService(Transactions tx, ApiKeyRepository keys, AccountRepository accounts, SecretBox secrets, Clock clock,
                         ApiKeyCache cache, Signals signals) {
        this.tx = tx;
        this.keys = keys;
        this.accounts = accounts;
        this.secrets = secrets;
        this.clock = clock;
        this.cache = cache;
        this.signals = signals;
    }

    /**
     * POST /v1/api-keys. The new key is minted by the calling key and never out-reaches it (spec §8): its expiry and
     * allowed IPs are at most the caller's ({@link KeyLimits}), and revoking the caller revokes it. That holds for a
     * key an operator mints for another account too.
     */
    public Minted create(Caller caller, ObjectNode body) {
        var f = new JsonFields(body, Set.of("name", "permissions", "allowed_ips", "expires_at", "account_uuid"));
        String name = f.string("name", true, 1, 200);
        List<String> rawPerms = f.strings("permissions", true, 64, 100);
        List<String> ips = f.strings("allowed_ips", false, 100, 64);
        Instant expiresAt = f.instant("expires_at");
        UUID account = f.uuid("account_uuid");
        PermissionSet perms = null;
        if (rawPerms != null) {
            if (rawPerms.isEmpty()) f.errors().add("permissions", "must list at least one permission");
            try {
                perms = PermissionSet.parse(rawPerms);
            } catch (ValidationException e) {
                f.errors().addAll(e.errors());
            }
        }
        List<IpRange> ranges = ips == null ? null : new ArrayList<>();
        for (int i = 0; ips != null && i < ips.size(); i++) {
            try {
                ranges.add(IpRange.parse(ips.get(i)));
            } catch (IllegalArgumentException e) {
                f.errors().add("allowed_ips[" + i + "]", "must be an IP address or CIDR range");
            }
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) f.errors().add("expires_at", "must be in the future");
        f.finish();

        UUID target = account == null ? caller.accountUuid() : account;
        if (!target.equals(caller.accountUuid())) {
            caller.requireAll(Resource.API_KEYS, Action.CREATE);
            if (tx.withHandle(h -> accounts.byUuid(h, target)).isEmpty()) {
                throw ApiException.badRequest("account_uuid", "does not name an existing account");
            }
        }
        if (!caller.permissions().covers(perms)) {
            throw ApiException.forbidden("a key cannot grant permissions its creator lacks: " + String.join(", ", perms.asStrings()));
        }
        String secretKey = ApiKeyGenerator.secretKey();
        PermissionSet granted = perms;
        ApiKeyRow row = tx.inTransaction(h -> {
            ApiKeyRow parent = keys.lockForMinting(h, caller.keyUuid())
                    .orElseThrow(() -> ApiException.unauthenticated("unknown API key " + caller.publicKey()));
            // The caller was authenticated from the key cache; the locked row is the word that counts.
            if (parent.revoked()) throw ApiException.unauthenticated("API key " + caller.publicKey() + " has been revoked");
            if (parent.expiresAt() != null && !parent.expiresAt().isAfter(now)) {
                throw ApiException.unauthenticated("API key " + caller.publicKey() + " expired at " + parent.expiresAt());
            }
            KeyLimits limits = new KeyLimits(parent.expiresAt(), parent.allowedIps().stream().map(IpRange::parse).toList())
                    .mint(expiresAt, ranges);
            var child = new ApiKeyRow(UUID.randomUUID(), target, name, ApiKeyGenerator.publicKey(), secrets.encrypt(secretKey),
                    granted.asStrings(), limits.allowedIps().stream().map(IpRange::toString).toList(),
                    limits.expiresAt(), false, now, now, null, parent.uuid());
            keys.insert(h, child);
            return child;
        });
        return new Minted(row, secretKey);
    }

    /** The caller's account's keys (api_keys.read.all: every account's); naming another account needs .all. */
    public ListSql.Page<ApiKeyRow> list(Caller caller, ListQuery q) {
        boolean all = caller.canAll(Resource.API_KEYS, Action.READ);
        for (String filter : List.of("account_uuid", "account")) {
            var asked = q.filter(filter, Filter.UuidSet.class);
            if (!all && asked.isPresent() && asked.get().values().stream().anyMatch(a -> !caller.owns(a))) {
                throw ApiException.forbidden("filter[" + filter + "] naming another account needs api_keys.read.all");
            }
        }
        return tx.withHandle(h -> keys.list(h, all ? null : caller.accountUuid(), q));
    }

    public ApiKeyRow get(Caller caller, UUID uuid) {
        return visible(caller, uuid, Action.READ);
    }

    /**
     * Action.DELETE /v1/api-keys/{uuid}: revokes the key and every key below it (spec §8), and evicts them all from the key
     * cache of every replica: here at once, elsewhere through NOTIFY when the revocation commits.
     */
    public ApiKeyRow revoke(Caller caller, UUID uuid) {
        ApiKeyRow key = visible(caller, uuid, Action.DELETE);
        Instant now = clock.instant();
        var revoked = tx.inTransaction(h -> {
            List<ApiKeyRow> rows = keys.revokeWithDescendants(h, key.uuid(), now);
            signals.keysChanged(h, rows.stream().map(ApiKeyRow::publicKey).toList());
            return rows;
        });
        revoked.forEach(r -> cache.invalidate(r.publicKey()));
        return tx.withHandle(h -> keys.byUuid(h, key.uuid())).orElseThrow(() -> ApiException.notFound("api key"));
    }

    /** A key of the caller's account, or any with api_keys.{action}.all; else it does not exist (404). */
    private ApiKeyRow visible(Caller caller, UUID uuid, Action action) {
        ApiKeyRow key = tx.withHandle(h -> keys.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("api key"));
        if (!caller.owns(key.accountUuid()) && !caller.canAll(Resource.API_KEYS, action)) throw ApiException.notFound("api key");
        return key;
    }
}
