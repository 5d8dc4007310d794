package dev.galley.cli;

import dev.galley.client.Balance;
import dev.galley.client.Galley;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code galley balance}: your account's balance, the sum of its ledger. */
@Command(name = "balance", mixinStandardHelpOptions = true, description = "Your account's balance (the sum of its ledger).",
        footer = {"", "Examples:", "  galley balance", "  galley balance -q        # the amount only", "  galley balance --account 5e0d…"})
public final class BalanceCommand extends ClientCommand {
    @Option(names = "--account", paramLabel = "UUID", description = "another account's balance (operators: ledger.read.all)")
    String account;

    @Override
    protected int run(Galley galley) {
        Balance b = account == null ? galley.billing().balance() : galley.billing().balance(account);
        if (options.json()) {
            ctx.out().println(JsonPrinter.pretty(b.json()));
        } else if (options.quiet()) {
            ctx.out().println(b.balance().toPlainString());
        } else {
            ctx.out().println(b.balance().toPlainString() + " " + b.currency()
                    + (b.billingExempt() ? "  (exempt: never stopped for credit)" : ""));
        }
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
