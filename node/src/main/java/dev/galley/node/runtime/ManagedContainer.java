package dev.galley.node.runtime;

/** A container this agent started (it carries {@code galley.managed=true}), found again after a restart. */
public record ManagedContainer(String id, String name, String jobRunUuid, ContainerState state) {}
