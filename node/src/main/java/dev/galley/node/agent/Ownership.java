package dev.galley.node.agent;

import java.util.Set;

/**
 * Whose a container or network on the engine is, as this agent sees it. Several agents may share one
 * engine (two {@code galley node} processes on a machine, or the end-to-end tests), so finding a
 * {@code galley.managed} object does not make it this agent's: its node label does.
 */
enum Ownership {
    /** Labelled with this node's uuid, or unlabelled and the server places its run on this node. */
    THIS_NODE,
    /** Labelled with another node's uuid: another agent's, never touched. */
    OTHER_NODE,
    /**
     * No node label (an agent from before it started it) and the server does not place its run on this
     * node, or could not be asked: it may be another agent's, so it is not touched either.
     */
    UNKNOWN;

    /**
     * @param labelledNodeUuid  the object's node label, or null (blank counts as missing)
     * @param runUuid           the run it belongs to, or null
     * @param serverPlacesHere  runs the server says are on this node; consulted only for unlabelled objects
     */
    static Ownership of(String labelledNodeUuid, String runUuid, String thisNodeUuid, Set<String> serverPlacesHere) {
        if (labelledNodeUuid != null && !labelledNodeUuid.isBlank()) {
            return labelledNodeUuid.equals(thisNodeUuid) ? THIS_NODE : OTHER_NODE;
        }
        return runUuid != null && serverPlacesHere.contains(runUuid) ? THIS_NODE : UNKNOWN;
    }
}
