package dev.galley.server.ledger;

import dev.galley.core.billing.LedgerType;
import dev.galley.core.billing.RunningBalances;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The one way money moves: appends ledger rows and updates the balances they change, in the caller's transaction,
 * under the accounts' row locks, so every {@code balance_after} is exact and every balance equals the sum of its
 * account's ledger. Every writer (the usage closer, operators' grants) goes through {@link #post}.
 */
public final class Ledger {
    /**
     * One movement to post. {@code usageRecordUuid} for USAGE_CHARGE and PROVIDER_EARNING only; {@code epochUuid} for
     * REWARD only (the compute epoch it pays for).
     */
    public record Entry(UUID accountUuid, LedgerType type, BigDecimal amount, UUID usageRecordUuid, String description,
                        UUID createdByKeyUuid, UUID epochUuid) {
        /** An entry of no compute epoch. */
        public Entry(UUID accountUuid, LedgerType type, BigDecimal amount, UUID usageRecordUuid, String description,
                     UUID createdByKeyUuid) {
            this(accountUuid, type, amount, usageRecordUuid, description, createdByKeyUuid, null);
        }
    }

    /** An entry named an account that does not exist. */
    public static final class UnknownAccount extends RuntimeException {
        private final UUID account;

        UnknownAccount(UUID account) {
            super("no account " + account);
            this.account = account;
        }

        public UUID account() {
            return account;
        }
    }

    private final LedgerRepository repository;
    private final String currency;

    public Ledger(LedgerRepository repository, String currency) {
        this.repository = repository;
        this.currency = currency;
    }

    /**
     * Posts the entries in order and returns their rows.
     *
     * @throws UnknownAccount when an entry names an account that does not exist (nothing is written)
     */
    public List<LedgerRow> post(Handle h, List<Entry> entries, Instant now) {
        if (entries.isEmpty()) return List.of();
        var accounts = new TreeSet<UUID>();
        entries.forEach(e -> accounts.add(e.accountUuid()));
        Map<UUID, BigDecimal> locked = repository.lockBalances(h, accounts);
        for (UUID a : accounts) if (!locked.containsKey(a)) throw new UnknownAccount(a);
        var balances = new RunningBalances(locked);
        List<LedgerRow> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            BigDecimal after = balances.post(e.accountUuid(), e.amount());
            rows.add(new LedgerRow(UUID.randomUUID(), e.accountUuid(), e.type(), e.amount(), currency, after,
                    e.usageRecordUuid(), e.epochUuid(), e.description(), e.createdByKeyUuid(), now));
        }
        repository.insertAll(h, rows);
        repository.setBalances(h, balances.balances());
        return rows;
    }

    public String currency() {
        return currency;
    }
}
