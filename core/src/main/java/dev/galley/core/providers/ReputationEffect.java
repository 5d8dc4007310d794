package dev.galley.core.providers;

import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;

/**
 * What a finished run says about the node it ran on (spec §10): it completed there, it failed through the node's
 * own fault, or it says nothing about the node (the job's command failed, it timed out running, a user cancelled it).
 */
public enum ReputationEffect {
    COMPLETED,
    NODE_FAULT,
    NEUTRAL;

    /**
     * Node faults: the node lost the run ({@code NODE_LOST}: it stopped heartbeating), did not start it in time
     * ({@code START_TIMEOUT}), or could not pull a public image ({@code IMAGE_PULL_FAILED} without registry
     * credentials: anyone can pull it, so the node's network or disk failed). A pull with credentials may fail
     * because the credentials are wrong, which is the job's doing.
     */
    public static ReputationEffect of(RunStatus status, ReasonCode reason, boolean pulledWithCredentials) {
        if (status == RunStatus.COMPLETED) return COMPLETED;
        if (status != RunStatus.FAILED || reason == null) return NEUTRAL;
        return switch (reason) {
            case NODE_LOST, START_TIMEOUT -> NODE_FAULT;
            case IMAGE_PULL_FAILED -> pulledWithCredentials ? NEUTRAL : NODE_FAULT;
            default -> NEUTRAL;
        };
    }
}
