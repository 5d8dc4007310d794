package dev.galley.server.idempotency;

/** A response as first sent: replayed byte for byte for a retried Idempotency-Key. */
public record IdempotentResponse(int status, byte[] body) {}
