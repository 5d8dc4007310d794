package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.client.JobRun;
import java.io.OutputStream;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code galley runs …}: the runs of a job on nodes, and their output. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Show job runs and their logs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.GetRun.class, RunsCommand.RunLogs.class},
        footer = {"", "Examples:", "  galley runs list --job 7d1c…", "  galley runs logs 91ae… --follow"})
public final class RunsCommand extends CommandGroup {
    static Table table() {
        return new Table("UUID", "JOB", "INDEX", "ATTEMPT", "STATUS", "NODE", "EXIT", "CREATED", "REASON");
    }

    static Object[] row(JsonNode r) {
        return new Object[] {Cells.text(r, "uuid"), Cells.text(r, "job_uuid"), Cells.text(r, "node_index"),
                Cells.text(r, "attempt"), Cells.text(r, "status"), Cells.text(r, "node_uuid"), Cells.text(r, "exit_code"),
                Cells.time(r, "created_at"), Cells.text(r, "status_reason_code")};
    }

    @Command(name = "list", description = "List the runs of a job (one per node index and retry).",
            footer = {"", "Examples:", "  galley runs list --job 7d1c…", "  galley runs list --job 7d1c… -q | head -1"})
    static final class ListRuns extends ClientCommand {
        @Option(names = "--job", required = true, paramLabel = "JOB", description = "job uuid")
        String job;

        @Override
        protected int run(Galley galley) {
            printPage(galley.runs().listForJob(job), table(), RunsCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Show one run and the last 1 MiB of its output.",
            footer = {"", "Examples:", "  galley runs get 91ae…", "  galley runs get 91ae… --json | jq -r .logs"})
    static final class GetRun extends ClientCommand {
        @Parameters(paramLabel = "RUN", description = "run uuid")
        String run;

        @Override
        protected int run(Galley galley) {
            JobRun found = galley.runs().get(run);
            printDetail(found.json(), Set.of("logs", "logs_truncated"));
            if (!options.json() && !options.quiet()) {
                ctx.out().println(found.logsTruncated() ? "--- logs (older output cut off) ---" : "--- logs ---");
                String logs = found.logs() == null ? "" : found.logs();
                ctx.out().print(logs);
                if (!logs.isEmpty() && !logs.endsWith("\n")) ctx.out().println();
                ctx.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "logs", description = {"Print a run's output.", "With --follow, print new output as it arrives and end when the run ends."},
            footer = {"", "Examples:", "  galley runs logs 91ae…", "  galley runs logs 91ae… --follow | grep -i error"})
    static final class RunLogs extends ClientCommand {
        @Parameters(paramLabel = "RUN", description = "run uuid")
        String run;

        @Option(names = {"-f", "--follow"}, description = "keep printing output until the run ends")
        boolean follow;

        @Override
        protected int run(Galley galley) {
            if (follow) {
                galley.runs().followLogs(run, unclosable(ctx));
            } else {
                ctx.out().print(galley.runs().logs(run));
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }

        /** Standard output as a sink the SDK may write and flush, but must not close. */
        private static OutputStream unclosable(CliContext ctx) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    ctx.out().write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    ctx.out().write(b, off, len);
                }

                @Override
                public void flush() {
                    ctx.out().flush();
                }
            };
        }
    }
}
