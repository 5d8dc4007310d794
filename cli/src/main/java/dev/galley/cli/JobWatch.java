package dev.galley.cli;

import dev.galley.client.Galley;
import dev.galley.client.GalleyApiException;
import dev.galley.client.Job;
import dev.galley.client.JobRun;
import dev.galley.client.JobWaitTimeoutException;
import dev.galley.core.lifecycle.JobStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Waits for a job to end while showing its progress, for {@code cook --wait} and {@code jobs watch}.
 *
 * <p>On a terminal one status line is redrawn in place (status, elapsed time, node, and the reason while
 * PENDING); elsewhere a plain line is printed each time any of those change, so logs stay readable.
 * The outcome becomes the exit code: 0 for COMPLETED, {@link ExitCodes#JOB_FAILED},
 * {@link ExitCodes#JOB_CANCELLED} or {@link ExitCodes#WAIT_TIMEOUT} otherwise.
 */
final class JobWatch {
    static final Duration DEFAULT_POLL = Duration.ofSeconds(2);

    private final Galley galley;
    private final PrintStream progress;
    private final boolean live;
    private boolean runsUnavailable;
    private String lastPlainLine;
    private boolean drewLiveLine;

    /**
     * @param progress where status lines go (null: nowhere)
     * @param live     redraw one line in place (a terminal) instead of printing changes
     */
    JobWatch(Galley galley, PrintStream progress, boolean live) {
        this.galley = galley;
        this.progress = progress;
        this.live = live;
    }

    /** How a wait ended: the job as last read, the exit code, and a message for stderr when it is not 0. */
    record Outcome(Job job, int exitCode, String message) {}

    /** Waits for the job to end (or the timeout); never throws for FAILED, CANCELLED or a timeout. */
    Outcome await(String jobUuid, Duration timeout, Duration poll) {
        Instant watchStart = Instant.now();
        Job job;
        try {
            job = galley.jobs().awaitFinal(jobUuid, timeout, poll, j -> show(j, watchStart));
        } catch (JobWaitTimeoutException e) {
            endLiveLine();
            Job last = e.lastSeen();
            return new Outcome(last, ExitCodes.WAIT_TIMEOUT, "timed out after " + Cells.elapsed(timeout)
                    + " waiting for job " + jobUuid + "; it is still " + Cells.text(last.json(), "status") + reasonSuffix(last)
                    + " (the job goes on: galley jobs watch " + jobUuid + ")");
        }
        endLiveLine();
        return switch (job.status()) { // final, so never null
            case COMPLETED -> new Outcome(job, ExitCodes.OK, null);
            case FAILED -> new Outcome(job, ExitCodes.JOB_FAILED, "job " + jobUuid + " FAILED" + reasonSuffix(job));
            default -> new Outcome(job, ExitCodes.JOB_CANCELLED, "job " + jobUuid + " was CANCELLED" + reasonSuffix(job));
        };
    }

    /** Prints the outcome the way every waiting command does and returns its exit code. */
    static int report(Outcome outcome, CliContext ctx, ClientOptions options) {
        if (options.json()) ctx.out().println(JsonPrinter.pretty(outcome.job().json()));
        else if (!options.quiet() && outcome.exitCode() == ExitCodes.OK) {
            ctx.out().println(statusLine(outcome.job(), null, null));
        }
        ctx.out().flush();
        if (outcome.message() != null) {
            ctx.err().println("galley: " + outcome.message());
            ctx.err().flush();
        }
        return outcome.exitCode();
    }

    private void show(Job job, Instant watchStart) {
        if (progress == null) return;
        Instant since = job.createdAt() != null ? job.createdAt() : watchStart;
        String line = statusLine(job, Duration.between(since, Instant.now()), nodesOf(job));
        if (live) {
            // \r and "erase line" redraw in place; the elapsed time ticks on every poll.
            progress.print("\r\033[2K" + line);
            progress.flush();
            drewLiveLine = true;
        } else {
            // Plain output: only changes, without the ticking time, so a log file is not one line per poll.
            String key = statusLine(job, null, nodesOf(job));
            if (!Objects.equals(key, lastPlainLine)) {
                progress.println(line);
                progress.flush();
                lastPlainLine = key;
            }
        }
    }

    static String statusLine(Job job, Duration elapsed, String nodes) {
        StringBuilder s = new StringBuilder("job ").append(job.uuid()).append("  ").append(Cells.text(job.json(), "status"));
        if (elapsed != null) s.append("  ").append(Cells.elapsed(elapsed));
        if (nodes != null) s.append("  node ").append(nodes);
        if (job.status() == JobStatus.PENDING || job.isFinal()) s.append(reasonSuffix(job));
        return s.toString();
    }

    private static String reasonSuffix(Job job) {
        String code = Cells.text(job.json(), "status_reason_code"); // as sent, also a code this CLI does not know
        String reason = job.statusReason();
        if (code == null && reason == null) return "";
        if (reason == null) return " (" + code + ")";
        return code == null ? " (" + reason + ")" : " (" + code + ": " + reason + ")";
    }

    /** The nodes holding the job's runs; the job object does not name them, its runs do. */
    private String nodesOf(Job job) {
        if (runsUnavailable || job.status() == JobStatus.PENDING) return null;
        try {
            List<JobRun> runs = galley.runs().listForJob(job.uuid()).data();
            String nodes = runs.stream().filter(r -> !r.isFinal() || job.isFinal()).map(JobRun::nodeUuid)
                    .filter(Objects::nonNull).distinct().collect(Collectors.joining(","));
            return nodes.isEmpty() ? null : nodes;
        } catch (GalleyApiException e) {
            // An older server without job runs, or a key that may not read them: watch on without the node.
            runsUnavailable = true;
            return null;
        }
    }

    private void endLiveLine() {
        if (live && drewLiveLine && progress != null) {
            progress.println();
            progress.flush();
        }
    }
}
