package dev.galley.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as stored; the secret stays encrypted until the authenticator needs it. {@code createdByKeyUuid} is
 * the key that minted it (null for the bootstrap key and keys older than that column): revoking that key revokes
 * this one too.
 */
public record ApiKeyRow(
        UUID uuid,
        UUID accountUuid,
        String name,
        String publicKey,
        byte[] secretCiphertext,
        List<String> permissions,
        List<String> allowedIps,
        Instant expiresAt,
        boolean revoked,
        Instant createdAt,
        Instant updatedAt,
        Instant lastUsedAt,
        UUID createdByKeyUuid) {}
