package dev.galley.node.agent;

import dev.galley.node.runtime.ManagedNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Each run gets a network of its own (spec §8), so its container cannot reach another run's ports
 * except through the node's {@code allowed_ips} proxy. The network is made just before the container
 * and removed with it; these are the naming and clean-up rules.
 */
final class RunNetworks {
    static final String PREFIX = "galley-run-";
    /**
     * A network younger than this is never collected: an agent may have just made it and be about to
     * start its container. Other nodes' agents on the engine never get here (see {@link Ownership}); this
     * is the margin for two processes mistakenly running as the same node.
     */
    static final Duration MIN_AGE_TO_COLLECT = Duration.ofMinutes(1);

    private RunNetworks() {}

    static String nameFor(String runUuid) {
        return PREFIX + runUuid;
    }

    /**
     * Of this node's networks ({@link Reattachment} picks them), the ones a starting agent removes: made
     * for a run (their name is that run's network name, so nothing Galley did not name is touched) whose
     * container no longer exists, and old enough. Removal of one that still has a container is refused
     * by the runtime anyway.
     */
    static List<String> toCollect(List<ManagedNetwork> networks, Set<String> runsWithContainers, Instant now) {
        return networks.stream()
                .filter(n -> n.jobRunUuid() != null && n.name().equals(nameFor(n.jobRunUuid())))
                .filter(n -> !runsWithContainers.contains(n.jobRunUuid()))
                .filter(n -> n.createdAt() == null || !n.createdAt().isAfter(now.minus(MIN_AGE_TO_COLLECT)))
                .map(ManagedNetwork::name)
                .toList();
    }
}
