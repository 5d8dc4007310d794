package dev.galley.cli;

import java.util.concurrent.Callable;

/**
 * A command that reads the environment and writes its output through a {@link CliContext}: the process's, or a
 * test's when {@link CliFactory} made the command. The call returns the exit code ({@link ExitCodes}).
 */
public abstract class CliCommand implements Callable<Integer> {
    protected CliContext ctx = CliContext.system();
}
