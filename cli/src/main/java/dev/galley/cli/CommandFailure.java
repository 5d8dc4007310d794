package dev.galley.cli;

/**
 * A command that ran but must end with a specific non-zero exit code and message, e.g. a waited-for job that
 * FAILED. Not a bug: printed without a stack trace.
 */
public final class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
