package dev.galley.server.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.ApiKeyRow;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.Json;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** /v1/api-keys: create (secret shown once), list, get, revoke (with every key below the revoked one). */
public final class ApiKeyHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "name", FilterKind.SUBSTRING, "is_revoked", FilterKind.BOOLEAN,
                    "created_at", FilterKind.DATE_RANGE, "expires_at", FilterKind.DATE_RANGE,
                    "account_uuid", FilterKind.UUID_SET, "account", FilterKind.UUID_SET), // account: Dispersed's alias
            Map.of(), Set.of());
    private final ApiKeyService keys;

    public ApiKeyHandlers(ApiKeyService keys) {
        this.keys = keys;
    }

    public void create(Context ctx, Caller caller) {
        caller.require(Resource.API_KEYS, Action.CREATE);
        var minted = keys.create(caller, Json.parseObject(ctx.bodyAsBytes(), false));
        Responses.json(ctx, 201, view(minted.key()).put("secret_key", minted.secretKey()));
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.API_KEYS, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, keys.list(caller, q), ApiKeyHandlers::view);
    }

    public void get(Context ctx, Caller caller) {
        caller.require(Resource.API_KEYS, Action.READ);
        Responses.json(ctx, 200, view(keys.get(caller, Responses.pathUuid(ctx, "api key"))));
    }

    public void revoke(Context ctx, Caller caller) {
        caller.require(Resource.API_KEYS, Action.DELETE);
        Responses.json(ctx, 200, view(keys.revoke(caller, Responses.pathUuid(ctx, "api key"))));
    }

    static ObjectNode view(ApiKeyRow k) {
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
