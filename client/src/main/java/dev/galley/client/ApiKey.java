package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** An API key as the API returned it; {@link #json()} is the whole object. */
public record ApiKey(JsonNode json) implements ApiObject {
    public ApiKey {
        Objects.requireNonNull(json, "json");
    }

    public String name() {
        return JsonText.text(json, "name");
    }

    public String publicKey() {
        return JsonText.text(json, "public_key");
    }

    /** Only on the answer to a create; null everywhere else. */
    public String secretKey() {
        return JsonText.text(json, "secret_key");
    }

    public boolean isRevoked() {
        return json.path("is_revoked").asBoolean(false);
    }

    /** The pair a client signs with, when this is a freshly created key; null otherwise. */
    public ApiKeyPair keyPair() {
        return secretKey() == null ? null : new ApiKeyPair(publicKey(), secretKey());
    }
}
