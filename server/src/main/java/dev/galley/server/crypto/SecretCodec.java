package dev.galley.server.crypto;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Seals a document's secret values (JSON Pointer → value) into one encrypted column, and opens it again. */
public final class SecretCodec {
    /** Sealed secrets are a flat map of strings: the plain mapper writes and reads them exactly. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SecretBox box;

    public SecretCodec(SecretBox box) {
        this.box = box;
    }

    /** @return null when there is nothing secret, so rows without secrets carry no ciphertext */
    public byte[] seal(Map<String, String> secrets) {
        if (secrets.isEmpty()) return null;
        try {
            return box.encrypt(MAPPER.writeValueAsString(secrets));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, String> open(byte[] sealed) {
        if (sealed == null) return Map.of();
        try {
            return MAPPER.readValue(box.decrypt(sealed), new TypeReference<Map<String, String>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("sealed secrets are unreadable", e);
        }
    }
}
