package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.client.Job;
import dev.galley.client.ListQuery;
import dev.galley.core.lifecycle.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code galley jobs …}: list, show, cancel and watch jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List, show, cancel and watch jobs.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.GetJob.class, JobsCommand.CancelJob.class, JobsCommand.WatchJob.class},
        footer = {"", "Examples:", "  galley jobs list --status PENDING,RUNNING", "  galley jobs watch 7d1c… --timeout 1h",
                "  galley jobs cancel 7d1c… --reason 'wrong input'"})
public final class JobsCommand extends CommandGroup {
    /** The jobs table; COST is {@code cost_so_far} exactly as the API sent it, its currency (when known) in the header. */
    static Table table(String currency) {
        return new Table("UUID", "TITLE", "STATUS", "TASK", "GPUS", currency == null ? "COST" : "COST (" + currency + ")", "CREATED",
                "REASON");
    }

    static Object[] row(JsonNode j) {
        return new Object[] {Cells.text(j, "uuid"), Cells.text(j, "title"), Cells.text(j, "status"), Cells.text(j, "task"),
                Cells.text(j, "gpu_count"), Cells.text(j, "cost_so_far"), Cells.time(j, "created_at"), Cells.text(j, "status_reason_code")};
    }

    /** A job's money fields, each with its currency after the amount; none when the currency is not known. */
    static Map<String, String> moneyUnits(String currency) {
        return currency == null ? Map.of() : Map.of("price_per_hour", currency, "cost_so_far", currency);
    }

    @Command(name = "list", description = "List your jobs, newest first.",
            footer = {"", "Examples:", "  galley jobs list", "  galley jobs list --status FAILED --recipe render",
                    "  galley jobs list --status PENDING -q | xargs -n1 galley jobs cancel"})
    static final class ListJobs extends ClientCommand {
        @Mixin PageOptions paging = new PageOptions();

        @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "any of ${COMPLETION-CANDIDATES}")
        List<JobStatus> statuses;

        @Option(names = "--recipe", paramLabel = "RECIPE", description = "only jobs cooked from this recipe (uuid or name)")
        String recipe;

        @Override
        protected int run(Galley galley) {
            ListQuery query = paging.query().filterAnyOf("status", statuses);
            if (recipe != null) query = query.filter("source_recipe_uuid", RecipeLookup.uuidOf(galley, recipe, true));
            var page = galley.jobs().list(query);
            printPage(page, table(AccountCurrency.forHumans(galley, options)), JobsCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Show one job.", footer = {"", "Examples:", "  galley jobs get 7d1c…", "  galley jobs get 7d1c… --json | jq .status"})
    static final class GetJob extends ClientCommand {
        @Parameters(paramLabel = "JOB", description = "job uuid")
        String job;

        @Override
        protected int run(Galley galley) {
            Job found = galley.jobs().get(job);
            printDetail(found.json(), Set.of(), moneyUnits(AccountCurrency.forHumans(galley, options)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel a job: a PENDING one at once, a running one after its runs stop.",
            footer = {"", "Examples:", "  galley jobs cancel 7d1c…", "  galley jobs cancel 7d1c… --reason 'wrong input'"})
    static final class CancelJob extends ClientCommand {
        @Parameters(paramLabel = "JOB", description = "job uuid")
        String job;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why; shown as the job's status_reason")
        String reason;

        @Override
        protected int run(Galley galley) {
            Job cancelled = galley.jobs().cancel(job, reason);
            printOne(cancelled.json(), table(AccountCurrency.forHumans(galley, options)).row(row(cancelled.json())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch", description = {"Follow a job until it ends.",
            "Exit code: 0 COMPLETED, 3 FAILED, 4 CANCELLED, 5 --timeout reached."},
            footer = {"", "Examples:", "  galley jobs watch 7d1c…", "  galley jobs watch 7d1c… --timeout 30m && echo done"})
    static final class WatchJob extends ClientCommand {
        @Parameters(paramLabel = "JOB", description = "job uuid")
        String job;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "give up after this long, e.g. 30s, 10m, 2h (default: wait for ever)")
        Duration timeout;

        @Option(names = "--poll", paramLabel = "DURATION", converter = DurationConverter.class, hidden = true,
                description = "how often to ask for the job's status (default 2s)")
        Duration poll = JobWatch.DEFAULT_POLL;

        @Override
        protected int run(Galley galley) {
            boolean plainOutput = !options.json() && !options.quiet();
            JobWatch watch = new JobWatch(galley, plainOutput ? ctx.out() : ctx.err(), ctx.terminal());
            return JobWatch.report(watch.await(job, timeout, poll), ctx, options);
        }
    }
}
