package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code galley gpus}: the GPU registry, with how many of each model are online and free. */
@Command(name = "gpus", description = "List GPU models a job can ask for, and how many are online and free.",
        footer = {"", "Examples:", "  galley gpus", "  galley gpus --available --min-vram 48", "  galley gpus --name 4090 --json"})
public final class GpusCommand extends ClientCommand {
    @Mixin PageOptions paging = new PageOptions();

    @Option(names = "--available", description = "only models with a free GPU right now")
    boolean available;

    @Option(names = "--min-vram", paramLabel = "GB", description = "only models with at least this much memory")
    String minVram;

    @Option(names = "--name", paramLabel = "TEXT", description = "names containing TEXT")
    String name;

    @Override
    protected int run(Galley galley) {
        var query = paging.query().filter("only_available", available ? "true" : null).filter("name", name);
        if (minVram != null) query = query.filter("min_vram_gb", minVram + ",1000000");
        printPage(galley.gpus().list(query), new Table("NAME", "VENDOR", "VRAM GB", "AVAILABLE", "TOTAL", "UUID"), GpusCommand::row);
        return ExitCodes.OK;
    }

    static Object[] row(JsonNode g) {
        return new Object[] {Cells.text(g, "name"), Cells.text(g, "vendor"), Cells.text(g, "vram_gb"),
                Cells.text(g, "available_count"), Cells.text(g, "total_count"), Cells.text(g, "uuid")};
    }
}
