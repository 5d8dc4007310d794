package dev.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.junit.jupiter.api.Test;

/** The real root registers the commands by class with picocli's default factory: every one must be constructible so. */
class DefaultFactoryTest {
    @Command(name = "galley", subcommands = {LoginCommand.class, RecipesCommand.class, CookCommand.class, JobsCommand.class,
            RunsCommand.class, KeysCommand.class, GpusCommand.class, NodesCommand.class, UsageCommand.class, BalanceCommand.class,
            LedgerCommand.class, PricesCommand.class})
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void everyCommandIsBuiltByTheDefaultFactoryAndPrintsHelp() {
        CommandLine cli = new CommandLine(new Root());
        assertThat(cli.getSubcommands()).containsKeys("login", "recipes", "cook", "jobs", "runs", "keys", "gpus", "nodes",
                "usage", "balance", "ledger", "prices");
        assertThat(cli.getSubcommands().get("ledger").getSubcommands()).containsOnlyKeys("grant");
        assertThat(cli.getSubcommands().get("prices").getSubcommands()).containsOnlyKeys("set");
        assertThat(cli.getSubcommands().get("recipes").getSubcommands())
                .containsOnlyKeys("list", "get", "create", "edit", "delete", "fork", "archive");
        StringWriter help = new StringWriter();
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("jobs", "watch", "--help")).isZero();
        assertThat(help.toString()).contains("--timeout").contains("Exit code: 0 COMPLETED");
    }

    @Test
    void aGroupWithoutSubcommandPrintsItsUsage() {
        CommandLine cli = new CommandLine(new Root());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("runs")).isZero();
        assertThat(out.toString()).contains("Usage: galley runs").contains("logs");
    }
}
