package dev.galley.core.lifecycle;

import java.util.UUID;

/** Object mother for run records: {@code Runs.run(index, attempt, status)} with a fresh run and node uuid. */
final class Runs {
    private Runs() {}

    static RunRecord run(int nodeIndex, int attempt, RunStatus status) {
        return new RunRecord(UUID.randomUUID(), UUID.randomUUID(), nodeIndex, attempt, status, null, null);
    }

    static RunRecord failed(int nodeIndex, int attempt, ReasonCode code) {
        return new RunRecord(UUID.randomUUID(), UUID.randomUUID(), nodeIndex, attempt, RunStatus.FAILED, code, null);
    }

    static RunRecord failedOn(UUID node, int nodeIndex, int attempt, ReasonCode code, String reason) {
        return new RunRecord(UUID.randomUUID(), node, nodeIndex, attempt, RunStatus.FAILED, code, reason);
    }
}
