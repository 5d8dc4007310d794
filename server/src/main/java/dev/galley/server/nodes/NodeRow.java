package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.NodeStatus;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A node as stored, with what its active runs hold (for the free-capacity fields of the node object). */
public record NodeRow(
        UUID uuid,
        UUID accountUuid,
        String name,
        String regionCode,
        String publicHost,
        String agentVersion,
        NodeStatus status,
        JsonNode hardware,
        int cpuCores,
        double ramGb,
        double storageGb,
        double reputation,
        JsonNode latestHardwareEvent,
        Instant lastSeenAt,
        Instant createdAt,
        Instant updatedAt,
        int heldCpu,
        double heldRamGb,
        double heldStorageGb,
        Set<Integer> heldGpus) {}
