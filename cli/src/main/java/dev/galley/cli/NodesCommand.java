package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.core.lifecycle.NodeStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code galley nodes …}: the machines that run jobs. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List, show, drain and resume nodes.",
        subcommands = {NodesCommand.ListNodes.class, NodesCommand.GetNode.class, NodesCommand.DrainNode.class,
                NodesCommand.ResumeNode.class},
        footer = {"", "Examples:", "  galley nodes list --status ONLINE", "  galley nodes get 3f9a…", "  galley nodes drain 3f9a…"})
public final class NodesCommand extends CommandGroup {
    static Table table() {
        return new Table("UUID", "NAME", "STATUS", "REGION", "CPUS", "GPUS", "RAM GB", "LAST SEEN");
    }

    static Object[] row(JsonNode n) {
        int cores = 0;
        for (JsonNode cpu : n.path("cpus")) cores += cpu.path("num_cores").asInt();
        double ram = 0;
        for (JsonNode r : n.path("rams")) ram += r.path("memory_gb_max").asDouble();
        return new Object[] {Cells.text(n, "uuid"), Cells.text(n, "name"), Cells.text(n, "status"), Cells.text(n, "region_code"),
                cores, n.path("gpus").size(), Math.round(ram), Cells.time(n, "last_seen_at")};
    }

    @Command(name = "list", description = "List nodes.",
            footer = {"", "Examples:", "  galley nodes list", "  galley nodes list --status ONLINE --region eu-west-1"})
    static final class ListNodes extends ClientCommand {
        @Mixin PageOptions paging = new PageOptions();

        @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "any of ${COMPLETION-CANDIDATES}")
        List<NodeStatus> statuses;

        @Option(names = "--region", paramLabel = "CODE", description = "region code, e.g. eu-west-1")
        String region;

        @Override
        protected int run(Galley galley) {
            var query = paging.query().filterAnyOf("status", statuses).filter("region_code", region);
            printPage(galley.nodes().list(query), table(), NodesCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Show one node with its hardware.", footer = {"", "Examples:", "  galley nodes get 3f9a…"})
    static final class GetNode extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "node uuid")
        String node;

        @Override
        protected int run(Galley galley) {
            printDetail(galley.nodes().get(node).json(), Set.of());
            return ExitCodes.OK;
        }
    }

    @Command(name = "drain", description = {"Give a node no new runs; the runs it has keep running.",
            "Needs nodes.update: the node's own key, a key of its account, or an operator key."},
            footer = {"", "Examples:", "  galley nodes drain 3f9a…", "  galley nodes resume 3f9a…"})
    static final class DrainNode extends SetNodeStatus {
        DrainNode() {
            super(NodeStatus.DRAINING);
        }
    }

    @Command(name = "resume", description = "Let a drained node take new runs again.",
            footer = {"", "Examples:", "  galley nodes resume 3f9a…"})
    static final class ResumeNode extends SetNodeStatus {
        ResumeNode() {
            super(NodeStatus.ONLINE);
        }
    }

    /** PATCH /v1/nodes/{uuid} with the status; an OFFLINE node answers 409 (only its heartbeat brings it back). */
    abstract static class SetNodeStatus extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "node uuid")
        String node;

        private final NodeStatus status;

        SetNodeStatus(NodeStatus status) {
            this.status = status;
        }

        @Override
        protected int run(Galley galley) {
            UUID uuid;
            try {
                uuid = UUID.fromString(node);
            } catch (IllegalArgumentException e) {
                throw new UsageException("NODE must be a node uuid, not '" + node + "'");
            }
            JsonNode n = galley.transport().call("PATCH", "/v1/nodes/" + uuid, Map.of("status", status.name()), Map.of());
            printOne(n, table().row(row(n)));
            return ExitCodes.OK;
        }
    }
}
