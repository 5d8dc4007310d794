package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.core.lifecycle.NodeStatus;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code galley nodes …}: the machines that run jobs. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List and show nodes.",
        subcommands = {NodesCommand.ListNodes.class, NodesCommand.GetNode.class},
        footer = {"", "Examples:", "  galley nodes list --status ONLINE", "  galley nodes get 3f9a…"})
public final class NodesCommand extends CommandGroup {
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
            printPage(galley.nodes().list(query),
                    new Table("UUID", "NAME", "STATUS", "REGION", "CPUS", "GPUS", "RAM GB", "LAST SEEN"), NodesCommand::row);
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
}
