package dev.galley.app;

import dev.galley.client.cli.ApiCommand;
import dev.galley.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code galley} executable: every subcommand hangs off this root. */
@Command(name = "galley", mixinStandardHelpOptions = true, version = "galley 0.1.0",
        description = "Galley: recipes, cooked jobs and the nodes that run them.",
        subcommands = {ServerCommand.class, ApiCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // picocli would otherwise expand "@file" arguments itself, before `galley api --data @job.json` sees them.
        System.exit(new CommandLine(new Main()).setExpandAtFiles(false).execute(args));
    }
}
