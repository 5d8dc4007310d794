package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.client.UsageSummary;
import dev.galley.core.billing.UsageGrouping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code galley usage}: what your runs used and cost, record by record or in totals per day, job or GPU model. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"What your jobs' runs used and cost: one line per metered period (a run is cut every hour),",
                "or totals per day, job or GPU model with --group-by."},
        footer = {"", "Examples:", "  galley usage", "  galley usage --job 9b2c… --json", "  galley usage --group-by day --from 2026-04-01 --to 2026-04-30",
                "  galley usage --group-by gpu"})
public final class UsageCommand extends ClientCommand {
    @Mixin PageOptions paging = new PageOptions();

    @Option(names = "--group-by", paramLabel = "day|job|gpu", description = "totals per UTC day, per job or per GPU model")
    String groupBy;

    @Option(names = "--from", paramLabel = "DATE|TIME", description = "periods starting at or after this (a date is UTC)")
    String from;

    @Option(names = "--to", paramLabel = "DATE|TIME", description = "periods starting at or before this (a date means its end)")
    String to;

    @Option(names = "--job", paramLabel = "UUID", description = "only this job's usage")
    String job;

    @Option(names = "--run", paramLabel = "UUID", description = "only this run's usage")
    String run;

    @Option(names = "--account", paramLabel = "UUID", description = "another account's usage (operators: usage.read.all)")
    String account;

    @Override
    protected int run(Galley galley) {
        DateRange range = DateRange.of(from, to);
        if (groupBy != null) return summary(galley, grouping(groupBy), range);
        var query = paging.query().filter("job_uuid", job).filter("job_run_uuid", run).filter("account_uuid", account)
                .filter("period_start", range.isEmpty() ? null : range.filter());
        printPage(galley.billing().usage(query), new Table("PERIOD START", "SECONDS", "GPU", "PRICE/H", "AMOUNT", "CURRENCY", "JOB", "RUN"),
                UsageCommand::row);
        return ExitCodes.OK;
    }

    private int summary(Galley galley, UsageGrouping grouping, DateRange range) {
        if (job != null || run != null) throw new UsageException("--job and --run list records; they do not combine with --group-by");
        if (paging.page != null) throw new UsageException("--page lists records; a summary is one page (use --limit for more groups)");
        UsageSummary s = galley.billing().usageSummary(grouping, range.from(), range.to(), paging.limit, account);
        if (options.json()) {
            ctx.out().println(JsonPrinter.pretty(s.json()));
        } else {
            String key = switch (grouping) {
                case DAY -> "DAY";
                case JOB -> "JOB";
                case GPU_NAME -> "GPU";
            };
            Table table = new Table(key, "SECONDS", "RECORDS", "AMOUNT");
            for (UsageSummary.Group g : s.groups()) {
                table.row(g.key() == null && grouping == UsageGrouping.GPU_NAME ? "(no GPU)" : g.key(), g.seconds(), g.records(), g.amount().toPlainString());
            }
            UsageSummary.Group t = s.totals();
            table.row("TOTAL", t.seconds(), t.records(), t.amount().toPlainString() + " " + s.currency());
            table.print(ctx.out());
            if (s.truncated()) ctx.err().println("showing the " + s.groups().size() + " largest groups; --limit N for more (up to 1000)");
        }
        ctx.out().flush();
        ctx.err().flush();
        return ExitCodes.OK;
    }

    /** {@code gpu} is accepted for the API's {@code gpu_name}. */
    static UsageGrouping grouping(String text) {
        String wire = text.equals("gpu") ? "gpu_name" : text;
        return UsageGrouping.fromWire(wire).orElseThrow(() -> new UsageException("--group-by must be day, job or gpu, got '" + text + "'"));
    }

    static Object[] row(JsonNode u) {
        return new Object[] {Cells.time(u, "period_start"), Cells.text(u, "seconds"), Cells.text(u, "gpu_name"),
                Cells.text(u, "price_per_hour"), Cells.text(u, "amount"), Cells.text(u, "currency"), Cells.text(u, "job_uuid"),
                Cells.text(u, "job_run_uuid")};
    }
}
