package dev.galley.server.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.KeyLimits;
import dev.galley.core.auth.PermissionSet;
import dev.galley.core.error.ValidationException;
import dev.galley.core.list.Filter;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.core.net.IpRange;
import dev.galley.server.accounts.AccountRepository;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** /v1/api-keys: create (secret shown once), list, get, revoke (with every key below the revoked one). */
public final class ApiKeyHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "name", FilterKind.SUBSTRING, "is_revoked", FilterKind.BOOLEAN,
                    "created_at", FilterKind.DATE_RANGE, "expires_at", FilterKind.DATE_RANGE,
                    "account_uuid", FilterKind.UUID_SET, "account", FilterKind.UUID_SET), // account: Dispersed's alias
            Map.of(), Set.of());
    private final Jdbi jdbi;
    private final ApiKeyRepository keys;
    private final AccountRepository accounts;
    private final SecretBox secrets;
    private final Clock clock;
    private final dev.galley.server.auth.ApiKeyCache cache;
    private final dev.galley.server.scheduler.Signals signals;

    public ApiKeyHandlers(Jdbi jdbi, ApiKeyRepository keys, AccountRepository accounts, SecretBox secrets, Clock clock,
                          dev.galley.server.auth.ApiKeyCache cache, dev.galley.server.scheduler.Signals signals) {
        this.cache = cache;
        this.signals = signals;
        this.jdbi = jdbi;
        this.keys = keys;
        this.accounts = accounts;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * POST /v1/api-keys. The new key is minted by the calling key and never out-reaches it (spec §8): its expiry and
     * allowed IPs are at most the caller's ({@link KeyLimits}), and revoking the caller revokes it. That holds for a
     * key an operator mints for another account too.
     */
    public void create(Context ctx, Caller caller) {
        caller.require("api_keys", "create");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false),
                Set.of("name", "permissions", "allowed_ips", "expires_at", "account_uuid"));
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
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (expiresAt != null && !expiresAt.isAfter(now)) f.errors().add("expires_at", "must be in the future");
        f.finish();

        UUID target = account == null ? caller.accountUuid() : account;
        if (!target.equals(caller.accountUuid())) {
            caller.requireAll("api_keys", "create");
            if (jdbi.withHandle(h -> accounts.byUuid(h, target)).isEmpty()) {
                throw ApiException.badRequest("account_uuid", "does not name an existing account");
            }
        }
        if (!caller.permissions().covers(perms)) {
            throw ApiException.forbidden("a key cannot grant permissions its creator lacks: "
                    + String.join(", ", perms.asStrings()));
        }
        String publicKey = ApiKeyGenerator.publicKey();
        String secretKey = ApiKeyGenerator.secretKey();
        PermissionSet granted = perms;
        ApiKeyRow row = jdbi.inTransaction(h -> {
            ApiKeyRow parent = keys.lockForMinting(h, caller.keyUuid())
                    .orElseThrow(() -> ApiException.unauthenticated("unknown API key " + caller.publicKey()));
            // The caller was authenticated from the key cache; the locked row is the word that counts.
            if (parent.revoked()) throw ApiException.unauthenticated("API key " + caller.publicKey() + " has been revoked");
            if (parent.expiresAt() != null && !parent.expiresAt().isAfter(now)) {
                throw ApiException.unauthenticated("API key " + caller.publicKey() + " expired at " + parent.expiresAt());
            }
            KeyLimits limits = new KeyLimits(parent.expiresAt(), parent.allowedIps().stream().map(IpRange::parse).toList())
                    .mint(expiresAt, ranges);
            var child = new ApiKeyRow(UUID.randomUUID(), target, name, publicKey, secrets.encrypt(secretKey),
                    granted.asStrings(), limits.allowedIps().stream().map(IpRange::toString).toList(),
                    limits.expiresAt(), false, now, now, null, parent.uuid());
            keys.insert(h, child);
            return child;
        });
        ObjectNode body = view(row);
        body.put("secret_key", secretKey);
        Responses.json(ctx, 201, body);
    }

    public void list(Context ctx, Caller caller) {
        caller.require("api_keys", "read");
        var q = LIST.parse(ctx.queryParamMap());
        boolean all = caller.canAll("api_keys", "read");
        for (String filter : List.of("account_uuid", "account")) {
            var asked = q.filter(filter, Filter.UuidSet.class);
            if (!all && asked.isPresent() && asked.get().values().stream().anyMatch(a -> !caller.owns(a))) {
                throw ApiException.forbidden("filter[" + filter + "] naming another account needs api_keys.read.all");
            }
        }
        Responses.page(ctx, q, jdbi.withHandle(h -> keys.list(h, all ? null : caller.accountUuid(), q)), ApiKeyHandlers::view);
    }

    public void get(Context ctx, Caller caller) {
        caller.require("api_keys", "read");
        Responses.json(ctx, 200, view(visible(ctx, caller, "read")));
    }

    /**
     * DELETE /v1/api-keys/{uuid}: revokes the key and every key below it (spec §8), and evicts them all from the key
     * cache of every replica: here at once, elsewhere through NOTIFY when the revocation commits.
     */
    public void revoke(Context ctx, Caller caller) {
        caller.require("api_keys", "delete");
        ApiKeyRow key = visible(ctx, caller, "delete");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var revoked = jdbi.inTransaction(h -> {
            List<ApiKeyRow> rows = keys.revokeWithDescendants(h, key.uuid(), now);
            signals.keysChanged(h, rows.stream().map(ApiKeyRow::publicKey).toList());
            return rows;
        });
        revoked.forEach(r -> cache.invalidate(r.publicKey()));
        ApiKeyRow shown = jdbi.withHandle(h -> keys.byUuid(h, key.uuid())).orElseThrow(() -> ApiException.notFound("api key"));
        Responses.json(ctx, 200, view(shown));
    }

    private ApiKeyRow visible(Context ctx, Caller caller, String action) {
        UUID uuid = Responses.pathUuid(ctx, "api key");
        ApiKeyRow key = jdbi.withHandle(h -> keys.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("api key"));
        if (!caller.owns(key.accountUuid()) && !caller.canAll("api_keys", action)) throw ApiException.notFound("api key");
        return key;
    }

    public static ObjectNode view(ApiKeyRow k) {
        ObjectNode o = Json.object();
        o.put("uuid", k.uuid().toString()).put("object", "api_key").put("name", k.name())
                .put("public_key", k.publicKey());
        var perms = o.putArray("permissions");
        k.permissions().forEach(perms::add);
        var ips = o.putArray("allowed_ips");
        k.allowedIps().forEach(ips::add);
        o.put("expires_at", Json.timestamp(k.expiresAt())).put("is_revoked", k.revoked())
                .put("created_at", Json.timestamp(k.createdAt())).put("updated_at", Json.timestamp(k.updatedAt()))
                .put("last_used_at", Json.timestamp(k.lastUsedAt())).put("account_uuid", k.accountUuid().toString())
                .put("created_by_key_uuid", k.createdByKeyUuid() == null ? null : k.createdByKeyUuid().toString());
        return o;
    }
}
