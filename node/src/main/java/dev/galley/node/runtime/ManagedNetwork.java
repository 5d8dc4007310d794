package dev.galley.node.runtime;

import java.time.Instant;

/**
 * A network an agent created for a run (it carries {@code galley.managed=true}), found again after a
 * restart so that networks of runs that are gone can be removed. On an engine several agents share it
 * may be another node's.
 *
 * @param jobRunUuid the run it was made for, from its {@value ContainerRuntime#LABEL_JOB_RUN_UUID} label, or null
 * @param nodeUuid   the node whose agent made it, from its {@value ContainerRuntime#LABEL_NODE_UUID} label, or
 *                   null when an agent from before that label did
 * @param createdAt  when the runtime created it, or null when it does not say
 */
public record ManagedNetwork(String name, String jobRunUuid, String nodeUuid, Instant createdAt) {}
