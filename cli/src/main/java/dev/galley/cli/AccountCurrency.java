package dev.galley.cli;

import dev.galley.client.Galley;
import dev.galley.client.GalleyApiException;

/**
 * The currency a job's money is in, for the human output: jobs carry bare amounts ({@code price_per_hour},
 * {@code cost_so_far}) in the deployment's one currency, which the API names on the caller's balance. Asked only when
 * a person reads the output, never for {@code --json} or {@code -q}.
 */
final class AccountCurrency {
    private AccountCurrency() {}

    /**
     * The currency, e.g. {@code USD}; null when the output is not for a person or the key may not read its balance
     * ({@code ledger.read.own}), so the amounts are shown bare rather than the command failing.
     */
    static String forHumans(Galley galley, ClientOptions options) {
        if (options.json() || options.quiet()) return null;
        try {
            return galley.billing().balance().currency();
        } catch (GalleyApiException e) {
            return null;
        }
    }
}
