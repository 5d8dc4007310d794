package dev.galley.cli;

import dev.galley.client.ComputeEpoch;
import dev.galley.client.Galley;
import dev.galley.client.ListQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code galley rewards [EPOCH]}: what each node earned in an epoch (the newest finalized one by default). */
@Command(name = "rewards", mixinStandardHelpOptions = true,
        description = {"List the rewards per node of an epoch: your account's nodes (epochs.read.own), or every node's"
                + " (epochs.read.all). Without EPOCH, the newest finalized epoch."},
        footer = {"", "Examples:", "  galley rewards", "  galley rewards 5b1c…", "  galley rewards --json"})
public final class RewardsCommand extends ClientCommand {
    @Parameters(paramLabel = "EPOCH", arity = "0..1", description = "epoch uuid (default: the newest FINALIZED epoch)")
    String epoch;

    @Mixin PageOptions paging = new PageOptions();

    @Override
    protected int run(Galley galley) {
        String uuid = epoch;
        if (uuid == null) {
            var newest = galley.epochs().list(ListQuery.first(1).sort("-created_at").filter("status", "FINALIZED")).data();
            if (newest.isEmpty()) throw new CommandFailure(ExitCodes.ERROR, "no compute epoch has been finalized yet (galley epochs lists them)");
            ComputeEpoch e = newest.getFirst();
            uuid = e.uuid();
            if (!options.quiet() && !options.json()) ctx.err().println("epoch " + uuid + " (" + e.startsAt() + " to " + e.endsAt() + ")");
        }
        Table table = new Table("NODE", "ASSIGNABLE H", "WORKED H", "PREP H", "MULT", "AVAILABILITY", "EXECUTION", "PREPARATION", "TOTAL");
        printPage(galley.epochs().rewards(uuid, paging.query()), table, r -> new Object[] {
                Cells.text(r, "node_uuid"), Cells.text(r, "assignable_hours"), Cells.text(r, "worked_hours"),
                Cells.text(r, "prep_hours"), Cells.text(r, "multiplier"), Cells.text(r, "availability_reward"),
                Cells.text(r, "execution_reward"), Cells.text(r, "preparation_reward"), Cells.text(r, "total")});
        return ExitCodes.OK;
    }
}
