package dev.galley.server.usage;

import dev.galley.core.billing.UsageGrouping;
import dev.galley.core.billing.UsageSummary;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import java.util.UUID;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** Usage records (spec §9): listed and summed for one consumer account, or for every account. */
public final class UsageService {
    private final Transactions tx;
    private final UsageRepository usage;
    private final String currency;

    public UsageService(Transactions tx, UsageRepository usage, String currency) {
        this.tx = tx;
        this.usage = usage;
        this.currency = currency;
    }

    /** @param accountOrNull the consumer account whose records to list; null for every account's */
    public ListSql.Page<UsageRow> list(UUID accountOrNull, ListQuery q) {
        return tx.withHandle(h -> usage.list(h, accountOrNull, q));
    }

    /** At most {@code maxGroups} groups and the totals of everything in scope. */
    public UsageSummary summary(UsageRepository.Scope scope, UsageGrouping grouping, int maxGroups) {
        // One snapshot for groups and totals, so that the totals are those of the groups' records.
        return tx.inTransaction(TransactionIsolationLevel.REPEATABLE_READ,
                h -> UsageSummary.of(grouping, usage.groups(h, scope, grouping, maxGroups + 1), usage.totals(h, scope), maxGroups));
    }

    public String currency() {
        return currency;
    }
}
