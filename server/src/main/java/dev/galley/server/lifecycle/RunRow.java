package dev.galley.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job run as stored. */
public record RunRow(
        UUID uuid,
        UUID jobUuid,
        UUID accountUuid,
        UUID nodeUuid,
        UUID nodeAccountUuid,
        int nodeIndex,
        int attempt,
        RunStatus status,
        String statusReason,
        ReasonCode statusReasonCode,
        Integer exitCode,
        int cpuCount,
        double ramGb,
        double storageGb,
        List<Integer> gpuDevices,
        JsonNode nodeUrls,
        boolean active,
        boolean stopRequested,
        Instant createdAt,
        Instant updatedAt,
        Instant assignedAt,
        Instant startedAt,
        Instant completedAt,
        /** Bytes of output the run ever printed. */
        long logBytes,
        /** Where its kept output starts: the bytes dropped from the front to keep it under the cap. */
        long logStartOffset) {}
