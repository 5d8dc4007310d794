package dev.galley.server.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.ReasonCode;
import java.time.Instant;
import java.util.UUID;

/** A job as stored: the normalised spec with secrets masked, plus lifecycle columns. */
public record JobRow(
        UUID uuid,
        UUID accountUuid,
        JobStatus status,
        String statusReason,
        ReasonCode statusReasonCode,
        ObjectNode spec,
        byte[] secrets,
        UUID sourceRecipeUuid,
        String containerAccessToken,
        Long timeoutAssignAtMs,
        Long imageSizeBytes,
        Integer nodeCount,
        String cancelReason,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt) {}
