package dev.galley.app;

import dev.galley.app.bench.BenchCommand;
import dev.galley.cli.ApiCommand;
import dev.galley.cli.BalanceCommand;
import dev.galley.cli.CookCommand;
import dev.galley.cli.EpochsCommand;
import dev.galley.cli.GpusCommand;
import dev.galley.cli.JobsCommand;
import dev.galley.cli.KeysCommand;
import dev.galley.cli.LedgerCommand;
import dev.galley.cli.LoginCommand;
import dev.galley.cli.NodesCommand;
import dev.galley.cli.PricesCommand;
import dev.galley.cli.RecipesCommand;
import dev.galley.cli.RewardsCommand;
import dev.galley.cli.RunsCommand;
import dev.galley.cli.UsageCommand;
import dev.galley.node.NodeCommand;
import dev.galley.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code galley} executable: every subcommand hangs off this root. */
@Command(name = "galley", mixinStandardHelpOptions = true, version = "galley 0.1.0",
        description = "Galley: recipes, cooked jobs and the nodes that run them.",
        subcommands = {LoginCommand.class, RecipesCommand.class, CookCommand.class, JobsCommand.class, RunsCommand.class,
                KeysCommand.class, GpusCommand.class, NodesCommand.class, EpochsCommand.class, RewardsCommand.class,
                UsageCommand.class, BalanceCommand.class, LedgerCommand.class, PricesCommand.class, ApiCommand.class,
                NodeCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The root with {@code factory} making the subcommands (tests pass a CliFactory with their own streams). */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new Main(), factory);
        // `galley server` also starts a local node (embedded mode), so the README's first command runs jobs,
        // and serves the web console at /console beside the API.
        cli.addSubcommand("server", new ServerCommand(System.getenv(), System.out, LocalNode::start,
                java.util.List.of(new dev.galley.console.Console())));
        // picocli would otherwise expand "@file" arguments itself, before `galley api --data @job.json` sees them.
        cli.setExpandAtFiles(false);
        // --status pending works as well as --status PENDING (statuses are core's enums).
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        // `server` and `node` keep running on their own threads; everything else ends here.
        if (args.length > 0 && (args[0].equals("server") || args[0].equals("node")) && code == 0) return;
        System.exit(code);
    }
}
