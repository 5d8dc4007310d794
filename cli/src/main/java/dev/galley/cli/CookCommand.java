package dev.galley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.Galley;
import dev.galley.client.Job;
import dev.galley.client.Recipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code galley cook RECIPE}: creates a job from a recipe with overrides ({@code --set}) and inputs
 * ({@code --input}), optionally waiting for it to end.
 */
@Command(name = "cook",
        description = {"Create a job from a recipe, with overrides and inputs.",
                "--set takes dotted paths into the job spec; objects under parameters merge with the recipe's."},
        footer = {"", "Values: numbers, true/false/null and JSON ({…}, […], \"…\") are JSON; anything else is text.",
                "Values under env are always text.", "",
                "Examples:",
                "  galley cook render --set gpu_count=2 --set parameters.parameters.env.MODE=fast --input scene=forest",
                "  galley cook render --set 'allowed_region_codes=[\"eu-west-1\"]' --wait --timeout 2h",
                "  JOB=$(galley cook 0b6f… -q)",
                "", "Exit codes with --wait: 0 COMPLETED, 3 FAILED, 4 CANCELLED, 5 --timeout reached, 1 API error, 2 usage."})
public final class CookCommand extends ClientCommand {
    @Parameters(paramLabel = "RECIPE", description = "recipe uuid or unique name")
    String recipe;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a job-spec field, e.g. gpu_count=2 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--input", paramLabel = "KEY=VALUE", description = "fill a recipe input (repeatable)")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--wait", description = "wait until the job ends; the exit code tells how it ended")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "with --wait: give up after this long, e.g. 30s, 10m, 2h (default: wait for ever)")
    Duration timeout;

    @Option(names = "--poll", paramLabel = "DURATION", converter = DurationConverter.class, hidden = true,
            description = "how often --wait asks for the job's status (default 2s)")
    Duration poll = JobWatch.DEFAULT_POLL;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "reuse a key so that re-running this exact command returns the same job (default: a fresh one)")
    String idempotencyKey;

    @Override
    protected int run(Galley galley) {
        if (timeout != null && !await) throw new UsageException("--timeout needs --wait");
        ObjectNode body = SetPaths.toObject(sets);
        if (body.has("inputs")) throw new UsageException("use --input KEY=VALUE for recipe inputs, not --set inputs…");
        String uuid = RecipeLookup.uuidOf(galley, recipe, false);
        if (!inputs.isEmpty()) {
            Recipe found = galley.recipes().get(uuid);
            body.set("inputs", InputValues.toObject(inputs, found.inputSchema()));
        }
        Job job = galley.recipes().cook(uuid, body, idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        if (!await) {
            printOne(job.json(), JobsCommand.table(AccountCurrency.forHumans(galley, options)).row(JobsCommand.row(job.json())));
            return ExitCodes.OK;
        }
        if (!options.json() && !options.quiet()) {
            ctx.out().println("cooked job " + job.uuid() + " from recipe " + uuid);
        } else if (options.quiet()) {
            ctx.out().println(job.uuid());
        }
        ctx.out().flush();
        boolean plainOutput = !options.json() && !options.quiet();
        JobWatch watch = new JobWatch(galley, plainOutput ? ctx.out() : ctx.err(), ctx.terminal());
        return JobWatch.report(watch.await(job.uuid(), timeout, poll), ctx, options);
    }
}
