package dev.galley.cli;

/**
 * Exit codes of the consumer commands, documented in docs/cli.md so scripts can branch on them. Usage errors
 * are 2 as picocli's own are.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** The API answered with an error, or could not be reached. */
    public static final int ERROR = 1;
    /** Bad arguments or configuration (no key, unreadable file, ambiguous name…). */
    public static final int USAGE = 2;
    /** The waited-for job ended FAILED. */
    public static final int JOB_FAILED = 3;
    /** The waited-for job ended CANCELLED. */
    public static final int JOB_CANCELLED = 4;
    /** The wait ran out (--timeout) before the job ended. */
    public static final int WAIT_TIMEOUT = 5;

    private ExitCodes() {}
}
