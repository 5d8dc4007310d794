package dev.galley.cli;

import dev.galley.client.Galley;
import dev.galley.core.providers.EpochStatus;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code galley epochs}: the compute epochs rewards accrue in (spec §10). */
@Command(name = "epochs", mixinStandardHelpOptions = true,
        description = {"List compute epochs, newest first.", "Needs epochs.read.own (the compute_node preset has it) or epochs.read.all."},
        footer = {"", "Examples:", "  galley epochs", "  galley epochs --status FINALIZED", "  galley rewards EPOCH"})
public final class EpochsCommand extends ClientCommand {
    @Mixin PageOptions paging = new PageOptions();

    @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "any of ${COMPLETION-CANDIDATES}")
    List<EpochStatus> statuses;

    @Override
    protected int run(Galley galley) {
        Table table = new Table("UUID", "STARTS", "ENDS", "STATUS", "FINALIZED");
        printPage(galley.epochs().list(paging.query().filterAnyOf("status", statuses)), table, e -> new Object[] {
                Cells.text(e, "uuid"), Cells.time(e, "starts_at"), Cells.time(e, "ends_at"), Cells.text(e, "status"),
                Cells.time(e, "finalized_at")});
        return ExitCodes.OK;
    }
}
