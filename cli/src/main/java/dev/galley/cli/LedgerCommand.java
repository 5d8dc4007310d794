package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.Galley;
import dev.galley.client.LedgerTransaction;
import dev.galley.core.billing.LedgerType;
import java.math.BigDecimal;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code galley ledger}: your account's transactions, newest first; operators grant credit with {@code grant}. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = {"Your account's ledger: credit, usage charges, provider earnings and adjustments, newest first."},
        subcommands = {LedgerCommand.Grant.class},
        footer = {"", "Examples:", "  galley ledger", "  galley ledger --type USAGE_CHARGE --from 2026-04-01",
                "  galley ledger grant --account 5e0d… --amount 50 --description 'April credit'"})
public final class LedgerCommand extends ClientCommand {
    @Mixin PageOptions paging = new PageOptions();

    @Option(names = "--type", paramLabel = "TYPE[,TYPE...]",
            description = "CREDIT_GRANT, USAGE_CHARGE, PROVIDER_EARNING, REWARD, ADJUSTMENT")
    String type;

    @Option(names = "--from", paramLabel = "DATE|TIME", description = "transactions at or after this")
    String from;

    @Option(names = "--to", paramLabel = "DATE|TIME", description = "transactions at or before this (a date means its end)")
    String to;

    @Option(names = "--account", paramLabel = "UUID", description = "another account's ledger (operators: ledger.read.all)")
    String account;

    @Override
    protected int run(Galley galley) {
        DateRange range = DateRange.of(from, to);
        var query = paging.query().filter("type", type == null ? null : type.toUpperCase(Locale.ROOT))
                .filter("created_at", range.isEmpty() ? null : range.filter()).filter("account_uuid", account);
        printPage(galley.billing().ledger(query), table(), LedgerCommand::row);
        return ExitCodes.OK;
    }

    static Table table() {
        return new Table("CREATED", "TYPE", "AMOUNT", "BALANCE AFTER", "CURRENCY", "DESCRIPTION", "UUID");
    }

    static Object[] row(JsonNode t) {
        return new Object[] {Cells.time(t, "created_at"), Cells.text(t, "type"), Cells.text(t, "amount"), Cells.text(t, "balance_after"),
                Cells.text(t, "currency"), Cells.text(t, "description"), Cells.text(t, "uuid")};
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = {"Operators: give an account credit (CREDIT_GRANT), or correct its balance with --adjust (ADJUSTMENT,",
                    "either sign, --description required). Retries never post twice (an Idempotency-Key is sent)."},
            footer = {"", "Examples:", "  galley ledger grant --account 5e0d… --amount 50",
                    "  galley ledger grant --account 5e0d… --amount -2.5 --adjust --description 'double charge on 04-02'"})
    static final class Grant extends ClientCommand {
        @Option(names = "--account", required = true, paramLabel = "UUID", description = "the account to credit")
        String account;

        @Option(names = "--amount", required = true, paramLabel = "DECIMAL", description = "e.g. 50 or 12.345678 (at most 6 fraction digits)")
        String amount;

        @Option(names = "--adjust", description = "post an ADJUSTMENT instead of a CREDIT_GRANT")
        boolean adjust;

        @Option(names = "--description", paramLabel = "TEXT", description = "why (required with --adjust)")
        String description;

        @Override
        protected int run(Galley galley) {
            BigDecimal value;
            try {
                value = new BigDecimal(amount);
            } catch (NumberFormatException e) {
                throw new UsageException("--amount must be a decimal number such as 50 or 12.5, got '" + amount + "'");
            }
            LedgerTransaction t = galley.billing().post(account, adjust ? LedgerType.ADJUSTMENT : LedgerType.CREDIT_GRANT, value, description);
            printOne(t.json(), table().row(row(t.json())));
            return ExitCodes.OK;
        }
    }
}
