package dev.galley.node.agent;

import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.ManagedNetwork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a starting agent does with the {@code galley.managed} containers and networks it finds on the
 * engine: it adopts the containers of its own node (a supervisor each, which reports them), removes its
 * own networks whose run has no container any more ({@link RunNetworks#toCollect}), and leaves everything
 * else alone, see {@link Ownership}. Pure: the agent lists, asks the server and acts.
 *
 * <p>Objects an agent from before the node label left have no owner on them. For those the agent asks the
 * server which of their runs it placed on this node ({@link #runsToAskTheServerAbout}) and treats the
 * answer as the label; a run the server does not place here (another node's, another account's, or one
 * it no longer has) is not touched, because it cannot be told apart from another agent's.
 */
final class Reattachment {
    /** What the server's run uuids look like; other label values are not worth a question. */
    private static final Pattern RUN_UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * @param adopt            this node's containers with a run, each to be supervised again
     * @param networksToRemove this node's run networks whose run has no container any more (and old enough)
     * @param leftAlone        what is not touched and why, for the log
     */
    record Plan(List<ManagedContainer> adopt, List<String> networksToRemove, List<LeftAlone> leftAlone) {}

    /** @param what e.g. "container galley-<run>" or "network galley-run-<run>" */
    record LeftAlone(String what, Ownership ownership, String why) {}

    private Reattachment() {}

    /** Runs of containers and run networks without a node label: only the server can say whether they are this node's. */
    static Set<String> runsToAskTheServerAbout(List<ManagedContainer> containers, List<ManagedNetwork> networks) {
        Stream<String> ofContainers = containers.stream().filter(c -> unlabelled(c.nodeUuid())).map(ManagedContainer::jobRunUuid);
        Stream<String> ofNetworks = networks.stream().filter(n -> unlabelled(n.nodeUuid()) && isRunNetwork(n)).map(ManagedNetwork::jobRunUuid);
        return Stream.concat(ofContainers, ofNetworks).filter(r -> r != null && RUN_UUID.matcher(r).matches())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * @param serverPlacesHere those of {@link #runsToAskTheServerAbout} the server places on this node
     *                         (empty when it could not be asked)
     */
    static Plan plan(String thisNodeUuid, List<ManagedContainer> containers, List<ManagedNetwork> networks,
                     Set<String> serverPlacesHere, Instant now) {
        List<ManagedContainer> adopt = new ArrayList<>();
        List<LeftAlone> leftAlone = new ArrayList<>();
        for (ManagedContainer container : containers) {
            String run = container.jobRunUuid();
            Ownership owner = Ownership.of(container.nodeUuid(), run, thisNodeUuid, serverPlacesHere);
            String what = "container " + container.name();
            if (owner != Ownership.THIS_NODE) {
                leftAlone.add(new LeftAlone(what, owner, whyNotMine(owner, container.nodeUuid(), run)));
            } else if (run == null || run.isBlank()) {
                leftAlone.add(new LeftAlone(what, owner, "it is marked as Galley's but names no run"));
            } else {
                adopt.add(container);
            }
        }
        List<ManagedNetwork> ours = new ArrayList<>();
        for (ManagedNetwork network : networks) {
            Ownership owner = Ownership.of(network.nodeUuid(), network.jobRunUuid(), thisNodeUuid, serverPlacesHere);
            if (owner == Ownership.THIS_NODE) ours.add(network);
            else leftAlone.add(new LeftAlone("network " + network.name(), owner, whyNotMine(owner, network.nodeUuid(), network.jobRunUuid())));
        }
        // Every container on the engine counts here, whoever's: a network with a container is never collected.
        Set<String> runsWithContainers = containers.stream().map(ManagedContainer::jobRunUuid).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        return new Plan(List.copyOf(adopt), RunNetworks.toCollect(ours, runsWithContainers, now), List.copyOf(leftAlone));
    }

    private static String whyNotMine(Ownership owner, String labelledNode, String run) {
        return owner == Ownership.OTHER_NODE
                ? "it is node " + labelledNode + "'s (another agent on this engine)"
                : "an agent from before node labels left it, and the server does not place run " + run + " on this node";
    }

    private static boolean unlabelled(String nodeUuid) {
        return nodeUuid == null || nodeUuid.isBlank();
    }

    private static boolean isRunNetwork(ManagedNetwork network) {
        return network.jobRunUuid() != null && network.name().equals(RunNetworks.nameFor(network.jobRunUuid()));
    }
}
