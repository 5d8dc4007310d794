package dev.galley.server.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.providers.EpochStatus;
import dev.galley.server.http.Json;

/** The {@code compute_epoch} and {@code node_epoch_reward} objects (spec §10); hours and amounts as decimal strings. */
public final class EpochView {
    private EpochView() {}

    public static ObjectNode epoch(EpochRepository.EpochRow e, EpochStatus status) {
        ObjectNode o = Json.object();
        o.put("uuid", e.uuid().toString()).put("object", "compute_epoch")
                .put("starts_at", Json.timestamp(e.startsAt())).put("ends_at", Json.timestamp(e.endsAt()))
                .put("status", status.name())
                .put("finalized_at", e.finalizedAt() == null ? null : Json.timestamp(e.finalizedAt()));
        return o;
    }

    public static ObjectNode reward(EpochRepository.RewardRow r) {
        ObjectNode o = Json.object();
        o.put("uuid", r.uuid().toString()).put("object", "node_epoch_reward").put("epoch_uuid", r.epochUuid().toString())
                .put("node_uuid", r.nodeUuid().toString()).put("account_uuid", r.accountUuid().toString())
                .put("assignable_hours", r.assignableHours().toPlainString()).put("worked_hours", r.workedHours().toPlainString())
                .put("prep_hours", r.prepHours().toPlainString()).put("multiplier", r.multiplier().toPlainString())
                .put("availability_reward", r.availabilityReward().toPlainString())
                .put("execution_reward", r.executionReward().toPlainString())
                .put("preparation_reward", r.preparationReward().toPlainString()).put("total", r.total().toPlainString())
                .put("created_at", Json.timestamp(r.createdAt()));
        return o;
    }
}
