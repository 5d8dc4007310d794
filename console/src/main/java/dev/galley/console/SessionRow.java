package dev.galley.console;

import java.time.Instant;

/** A row of console_sessions: who signed in (the key pair, its secret sealed), the CSRF token and the three times. */
record SessionRow(byte[] idSha256, String publicKey, byte[] sealedSecret, String csrfToken, Instant createdAt,
                  Instant lastSeenAt, Instant expiresAt) {}
