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
        subcommands = {NodesCommand.ListNodes.class, NodesCommand.GetNode.class, NodesCommand.ShowNode.class,
                NodesCommand.NodeEvents.class, NodesCommand.DrainNode.class, NodesCommand.ResumeNode.class},
        footer = {"", "Examples:", "  galley nodes list --status ONLINE", "  galley nodes show 3f9a…", "  galley nodes events 3f9a…",
                "  galley nodes drain 3f9a…"})
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

    @Command(name = "show", description = {"Show a node's status, reputation and latest load sample.",
            "Needs nodes.read (own nodes; nodes.read.all for every node)."},
            footer = {"", "Examples:", "  galley nodes show 3f9a…", "  galley nodes show 3f9a… --json"})
    static final class ShowNode extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "node uuid")
        String node;

        @Override
        protected int run(Galley galley) {
            JsonNode n = galley.nodes().get(node).json();
            printOne(n, loadTable(n));
            return ExitCodes.OK;
        }
    }

    /** One line per fact: status, reputation, and the load of the newest sample (per GPU too). */
    static Table loadTable(JsonNode n) {
        Table t = new Table("FIELD", "VALUE");
        t.row("name", Cells.text(n, "name"));
        t.row("status", Cells.text(n, "status"));
        t.row("region", Cells.text(n, "region_code"));
        t.row("reputation", Cells.text(n, "reputation"));
        t.row("last seen", Cells.time(n, "last_seen_at"));
        JsonNode e = n.path("latest_hardware_event");
        if (!e.isObject()) {
            t.row("load", "no sample yet");
            return t;
        }
        t.row("sampled at", java.time.Instant.ofEpochMilli(e.path("timestamp_ms").asLong()).toString());
        t.row("cpu", percent(e, "cpu_percent") + " of " + orDash(e, "cpu_cores") + " cores");
        t.row("ram", orDash(e, "ram_used_gb") + " / " + orDash(e, "ram_total_gb") + " GB");
        t.row("disk", orDash(e, "disk_used_gb") + " / " + orDash(e, "disk_total_gb") + " GB");
        for (JsonNode g : e.path("gpus")) {
            t.row("gpu " + g.path("index").asInt(), Cells.text(g, "name") + ": " + percent(g, "utilization_percent") + ", "
                    + orDash(g, "vram_used_gb") + " / " + orDash(g, "vram_total_gb") + " GB, " + orDash(g, "temperature_c")
                    + " °C, " + orDash(g, "power_w") + " W");
        }
        return t;
    }

    private static String percent(JsonNode node, String field) {
        String v = Cells.text(node, field);
        return v == null ? "-" : v + " %";
    }

    private static String orDash(JsonNode node, String field) {
        String v = Cells.text(node, field);
        return v == null ? "-" : v;
    }

    @Command(name = "events", description = {"List a node's stored load samples, newest first.",
            "Needs nodes.read (own nodes; nodes.read.all for every node)."},
            footer = {"", "Examples:", "  galley nodes events 3f9a…", "  galley nodes events 3f9a… --since-ms 1767225600000"})
    static final class NodeEvents extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "node uuid")
        String node;

        @Mixin PageOptions paging = new PageOptions();

        @Option(names = "--since-ms", paramLabel = "MS", description = "only samples at or after this time (epoch ms)")
        Long sinceMs;

        @Override
        protected int run(Galley galley) {
            var query = paging.query();
            if (sinceMs != null) {
                if (sinceMs < 0) throw new UsageException("--since-ms must be >= 0");
                query = query.filter("timestamp_ms", sinceMs + "," + Long.MAX_VALUE);
            }
            Table table = new Table("TIME", "CPU %", "RAM GB", "DISK GB", "GPU UTIL %", "GPU °C", "GPU W");
            printPage(galley.nodes().hardwareEvents(node, query), table, e -> new Object[] {
                    java.time.Instant.ofEpochMilli(e.path("timestamp_ms").asLong()).toString(), Cells.text(e, "cpu_percent"),
                    Cells.text(e, "ram_used_gb"), Cells.text(e, "disk_used_gb"), gpuColumn(e, "utilization_percent"),
                    gpuColumn(e, "temperature_c"), gpuColumn(e, "power_w")});
            return ExitCodes.OK;
        }

        /** One value per GPU, in device order: {@code 87/91}. */
        private static String gpuColumn(JsonNode e, String field) {
            var parts = new java.util.ArrayList<String>();
            for (JsonNode g : e.path("gpus")) parts.add(orDash(g, field));
            return parts.isEmpty() ? null : String.join("/", parts);
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
