package dev.galley.cli;

import picocli.CommandLine;

/**
 * Creates command objects for picocli and hands the commands that read the environment or write output the
 * {@link CliContext}, so subcommands declared by class still run against the test's environment and streams.
 * Made by picocli's default factory instead (the real root), they keep the process's.
 *
 * <pre>{@code new CommandLine(new Root(), new CliFactory(CliContext.system()))}</pre>
 */
public final class CliFactory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    public CliFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        K command = fallback.create(cls);
        if (command instanceof CliCommand cli) cli.ctx = context;
        return command;
    }
}
