package dev.galley.node.protocol;

/** What the agent keeps from the node object the server returns on registration. */
public record RegisteredNode(String uuid, String name, String regionCode, String status, boolean created) {}
