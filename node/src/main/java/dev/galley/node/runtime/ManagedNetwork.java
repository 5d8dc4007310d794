package dev.galley.node.runtime;

import java.time.Instant;

/**
 * A network this agent created for a run (it carries {@code galley.managed=true}), found again after a
 * restart so that networks of runs that are gone can be removed.
 *
 * @param jobRunUuid the run it was made for, from its {@value ContainerRuntime#LABEL_JOB_RUN_UUID} label, or null
 * @param createdAt  when the runtime created it, or null when it does not say
 */
public record ManagedNetwork(String name, String jobRunUuid, Instant createdAt) {}
