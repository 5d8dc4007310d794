package dev.galley.node.protocol;

import dev.galley.core.lifecycle.NodeStatus;

/** What the agent keeps from the node object the server returns on registration; {@code status} null when unknown. */
public record RegisteredNode(String uuid, String name, String regionCode, NodeStatus status, boolean created) {}
