package dev.galley.server.nodes;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.server.auth.Caller;
import dev.galley.server.db.Transactions;
import java.util.Optional;
import java.util.UUID;

/**
 * Which node a key acts for (spec §8: "a node acts only on its own runs"). A compute_node key is bound to the
 * one node it registered: it heartbeats, polls, reports on and uploads output for that node's runs only, and
 * every other node (of its own account or another) and their runs do not exist for it (404).
 *
 * <p>Operator keys, holding {@code nodes.update.all} (for nodes) or {@code job_runs.update.all} (for runs),
 * are bound to nothing and act on every node and run: that is admin tooling, and such a key already holds
 * every account.
 *
 * <p>A node with no key yet (registered before keys were bound, or by an operator key) is bound to the first
 * key of its own account that acts for it, if that key is bound to no other node: so agents running across
 * the upgrade keep working, and the first one to touch each node keeps it.
 */
public final class NodeKeys {
    private final Transactions tx;
    private final NodeRepository nodes;

    public NodeKeys(Transactions tx, NodeRepository nodes) {
        this.tx = tx;
        this.nodes = nodes;
    }

    /** True when the caller may act as node {@code node} (heartbeat, poll); false also when there is no such node. */
    public boolean actsForNode(Caller caller, UUID node) {
        Optional<NodeRepository.Binding> binding = tx.withHandle(h -> nodes.binding(h, node));
        if (binding.isEmpty()) return false;
        return caller.canAll(Resource.NODES, Action.UPDATE) || actsFor(caller, binding.get());
    }

    /** True when the caller may report on or upload output for run {@code run}; false also when there is no such run. */
    public boolean actsForRun(Caller caller, UUID run) {
        Optional<NodeRepository.Binding> binding = tx.withHandle(h -> nodes.bindingOfRun(h, run));
        if (binding.isEmpty()) return false;
        return caller.canAll(Resource.JOB_RUNS, Action.UPDATE) || actsFor(caller, binding.get());
    }

    /**
     * The node whose runs this key may see from the node side, for keys that act as a node agent (holding
     * {@code nodes.update}); empty for such a key not bound yet. Other keys of a node-owning account (dashboards)
     * are not node agents and see the runs of all of their account's nodes.
     */
    public Optional<UUID> agentNode(Caller caller) {
        return tx.withHandle(h -> nodes.boundTo(h, caller.keyUuid())).map(NodeRepository.NodeName::uuid);
    }

    /**
     * True when the caller may manage node {@code node} of {@code account} (drain it, resume it): operators
     * ({@code nodes.update.all}) every node; a key of the node's account its account's nodes, except that a key
     * bound to a node manages that node only. Binds nothing.
     */
    public boolean manages(Caller caller, UUID node, UUID account) {
        if (caller.canAll(Resource.NODES, Action.UPDATE)) return true;
        return caller.owns(account) && agentNode(caller).map(node::equals).orElse(true);
    }

    /**
     * False for keys that act for every node (operators, {@code nodes.update.all}); true for every other key, which
     * acts only for the node it is bound to.
     */
    public static boolean bindingRequired(Caller caller) {
        return !caller.canAll(Resource.NODES, Action.UPDATE);
    }

    /** True when the caller is a node agent's key: its node-side view is limited to its own node. */
    public static boolean isAgentKey(Caller caller) {
        return caller.can(Resource.NODES, Action.UPDATE) && !caller.canAll(Resource.NODES, Action.UPDATE);
    }

    private boolean actsFor(Caller caller, NodeRepository.Binding binding) {
        if (caller.keyUuid().equals(binding.apiKeyUuid())) return true;
        if (binding.apiKeyUuid() != null || !caller.owns(binding.accountUuid())) return false;
        try {
            return tx.withHandle(h -> nodes.claim(h, binding.nodeUuid(), binding.accountUuid(), caller.keyUuid()));
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) return false; // this key claimed another node at the same moment
            throw e;
        }
    }

    /** True when {@code e} is PostgreSQL's unique_violation (23505), e.g. a key bound to a second node. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) return true;
        }
        return false;
    }
}
