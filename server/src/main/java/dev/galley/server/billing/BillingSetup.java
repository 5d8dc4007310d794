package dev.galley.server.billing;

import dev.galley.server.config.BillingConfig;
import dev.galley.server.config.ConfigException;
import dev.galley.server.keys.Bootstrap;
import dev.galley.server.ledger.LedgerRepository;
import dev.galley.server.prices.PriceRepository;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import dev.galley.server.db.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing's part of a server start: one currency per deployment, the default rate card on a new deployment, and the
 * operator account exempt from enforcement. Idempotent; safe when replicas start together.
 */
public final class BillingSetup {
    private static final Logger log = LoggerFactory.getLogger(BillingSetup.class);

    private BillingSetup() {}

    public static void prepare(Transactions tx, BillingConfig config, PriceRepository prices, LedgerRepository ledger, Clock clock) {
        tx.useTransaction(h -> {
            List<String> currencies = prices.currencies(h);
            if (currencies.stream().anyMatch(c -> !c.equals(config.currency()))) {
                throw new ConfigException("GALLEY_CURRENCY is " + config.currency() + " but the rate card holds prices in "
                        + String.join(", ", currencies) + "; a deployment keeps one currency for its whole ledger"
                        + " (see docs/billing.md)");
            }
            int seeded = prices.seedIfEmpty(h, config.currency(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
            if (seeded > 0) log.info("seeded the rate card with {} default prices in {}", seeded, config.currency());
            ledger.markExempt(h, Bootstrap.OPERATOR_ACCOUNT);
        });
    }
}
