package dev.galley.core.billing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Balances being posted to, in order: each posting gives the {@code balance_after} of its ledger row. Starts from the
 * balances as stored (read under the accounts' row locks), so every {@code balance_after} is exact.
 */
public final class RunningBalances {
    private final Map<UUID, BigDecimal> balances = new LinkedHashMap<>();

    public RunningBalances(Map<UUID, BigDecimal> start) {
        start.forEach((account, balance) -> balances.put(account, Money.round(balance)));
    }

    /** Adds {@code amount} to the account's balance and returns the balance after it. */
    public BigDecimal post(UUID account, BigDecimal amount) {
        BigDecimal before = balances.get(account);
        if (before == null) throw new IllegalArgumentException("account " + account + " was not read before posting to it");
        BigDecimal after = before.add(Money.round(amount));
        balances.put(account, after);
        return after;
    }

    public BigDecimal balance(UUID account) {
        return balances.get(account);
    }

    /** Every account's balance now. */
    public Map<UUID, BigDecimal> balances() {
        return Map.copyOf(balances);
    }
}
