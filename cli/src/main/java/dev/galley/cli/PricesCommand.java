package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.client.Price;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code galley prices}: the rate card in force (or its history); operators add versions with {@code set}. */
@Command(name = "prices", mixinStandardHelpOptions = true,
        description = {"The hourly prices in force: per GPU of each model, per CPU core, per GB of RAM and of storage.",
                "A run is charged at the prices in force when it started."},
        subcommands = {PricesCommand.Set.class},
        footer = {"", "Examples:", "  galley prices", "  galley prices --history --resource gpu",
                "  galley prices set --resource gpu --gpu 'RTX 4090' --amount 0.40"})
public final class PricesCommand extends ClientCommand {
    @Mixin PageOptions paging = new PageOptions();

    @Option(names = "--history", description = "every version, newest first (paged), not only those in force")
    boolean history;

    @Option(names = "--resource", paramLabel = "gpu|cpu_core|ram_gb|storage_gb", description = "only this resource")
    String resource;

    @Override
    protected int run(Galley galley) {
        Table table = new Table("RESOURCE", "GPU", "PER HOUR", "CURRENCY", "EFFECTIVE FROM", "UUID");
        if (history) {
            printPage(galley.billing().prices(paging.query().filter("resource", resource)), table, PricesCommand::row);
            return ExitCodes.OK;
        }
        List<Price> prices = galley.billing().pricesInForce().stream()
                .filter(p -> resource == null || resource.equalsIgnoreCase(p.resource()))
                .sorted(Comparator.comparing(Price::resource).thenComparing(p -> p.gpuName() == null ? "" : p.gpuName())).toList();
        if (options.json()) {
            var array = JsonPrinter.MAPPER.createArrayNode();
            prices.forEach(p -> array.add(p.json()));
            ctx.out().println(JsonPrinter.pretty(array));
        } else if (options.quiet()) {
            prices.forEach(p -> ctx.out().println(p.uuid()));
        } else {
            prices.forEach(p -> table.row(row(p.json())));
            table.print(ctx.out());
        }
        ctx.out().flush();
        return ExitCodes.OK;
    }

    static Object[] row(JsonNode p) {
        String gpu = Cells.text(p, "gpu_name");
        if (gpu == null && "gpu".equals(Cells.text(p, "resource"))) gpu = "(any other model)";
        return new Object[] {Cells.text(p, "resource"), gpu, Cells.text(p, "amount_per_hour"), Cells.text(p, "currency"),
                Cells.time(p, "effective_from"), Cells.text(p, "uuid")};
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Operators: add a price version, effective now or at --from. Runs that started before keep their price."},
            footer = {"", "Examples:", "  galley prices set --resource gpu --gpu H100 --amount 2.25",
                    "  galley prices set --resource cpu_core --amount 0.012 --from 2026-06-01T00:00:00Z"})
    static final class Set extends ClientCommand {
        @Option(names = "--resource", required = true, paramLabel = "gpu|cpu_core|ram_gb|storage_gb", description = "what the price is for")
        String resource;

        @Option(names = "--gpu", paramLabel = "NAME", description = "the GPU model (name or alias); leave out for the default GPU price")
        String gpu;

        @Option(names = "--amount", required = true, paramLabel = "DECIMAL", description = "per hour, at most 6 fraction digits")
        String amount;

        @Option(names = "--from", paramLabel = "TIME", description = "RFC 3339 time it takes effect (default now; never in the past)")
        String from;

        @Override
        protected int run(Galley galley) {
            BigDecimal value;
            Instant effective = null;
            try {
                value = new BigDecimal(amount);
            } catch (NumberFormatException e) {
                throw new UsageException("--amount must be a decimal number such as 0.35, got '" + amount + "'");
            }
            try {
                if (from != null) effective = Instant.parse(from);
            } catch (DateTimeParseException e) {
                throw new UsageException("--from must be an RFC 3339 time such as 2026-06-01T00:00:00Z, got '" + from + "'");
            }
            Price p = galley.billing().addPrice(resource, gpu, value, effective);
            printOne(p.json(), new Table("RESOURCE", "GPU", "PER HOUR", "CURRENCY", "EFFECTIVE FROM", "UUID").row(row(p.json())));
            return ExitCodes.OK;
        }
    }
}
