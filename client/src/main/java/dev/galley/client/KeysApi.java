package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code /v1/api-keys}: signing keys. A secret key is shown once, in the answer to its creation. */
public final class KeysApi {
    private final RetryingTransport transport;

    KeysApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /**
     * Creates a key for the caller's account.
     *
     * @param permissions e.g. {@code preset:compute_consumer} or {@code jobs.read.own}; never more than the caller holds
     */
    public ApiKey create(String name, List<String> permissions) {
        ObjectNode body = GalleyClient.MAPPER.createObjectNode().put("name", name);
        ArrayNode perms = body.putArray("permissions");
        permissions.forEach(perms::add);
        return create(body);
    }

    /** {@code {name, permissions[], allowed_ips?, expires_at?, account_uuid?}}. */
    public ApiKey create(JsonNode body) {
        Objects.requireNonNull(body, "body");
        // Not retried after a lost answer (no idempotency on this endpoint): a second key would be harmless
        // but its secret would be lost, which is worse than an error the caller sees.
        return new ApiKey(transport.call("POST", "/v1/api-keys", body, Map.of()));
    }

    /** Filters: {@code account_uuid, created_at, expires_at, is_revoked}. */
    public Page<ApiKey> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/api-keys" + query.toQueryString(), null, Map.of()), ApiKey::new);
    }

    public ApiKey get(String uuid) {
        return new ApiKey(transport.call("GET", "/v1/api-keys/" + Urls.segment(uuid), null, Map.of()));
    }

    /** Revokes the key (rejected from then on) and returns it; revoking a revoked key returns it unchanged. */
    public ApiKey revoke(String uuid) {
        return new ApiKey(transport.call("DELETE", "/v1/api-keys/" + Urls.segment(uuid), null, Map.of()));
    }
}
