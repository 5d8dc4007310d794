package dev.galley.server.ledger;

import dev.galley.core.billing.LedgerType;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for {@code ledger_transactions} and the balances kept on {@code accounts}. */
public final class LedgerRepository {
    static final String COLUMNS = """
            uuid, account_uuid, type, amount, currency, balance_after, usage_record_uuid, epoch_uuid, description,
            created_by_key_uuid, created_at""";

    /**
     * Locks the accounts' rows and returns their balances. Rows are locked in uuid order, by every writer of the
     * ledger, so two writers can never deadlock; {@code FOR NO KEY UPDATE} leaves foreign-key checks of other tables
     * (keys, nodes, recipes pointing at the account) unblocked. Accounts that do not exist are absent from the result.
     */
    public Map<UUID, BigDecimal> lockBalances(Handle h, Collection<UUID> accounts) {
        Map<UUID, BigDecimal> out = new HashMap<>();
        h.createQuery("SELECT uuid, balance FROM accounts WHERE uuid = ANY(:ids) ORDER BY uuid FOR NO KEY UPDATE")
                .bind("ids", accounts.toArray(UUID[]::new))
                .map((rs, ctx) -> out.put(rs.getObject(1, UUID.class), rs.getBigDecimal(2))).list();
        return out;
    }

    /** Appends rows in the given order (entry_seq follows it, so balance_after reads in sequence per account). */
    public void insertAll(Handle h, List<LedgerRow> rows) {
        if (rows.isEmpty()) return;
        int n = rows.size();
        UUID[] uuid = new UUID[n], account = new UUID[n], usage = new UUID[n], epoch = new UUID[n], key = new UUID[n];
        String[] type = new String[n], amount = new String[n], currency = new String[n], after = new String[n],
                description = new String[n], created = new String[n];
        for (int i = 0; i < n; i++) {
            LedgerRow r = rows.get(i);
            uuid[i] = r.uuid(); account[i] = r.accountUuid(); usage[i] = r.usageRecordUuid(); epoch[i] = r.epochUuid();
            key[i] = r.createdByKeyUuid(); type[i] = r.type().name(); amount[i] = r.amount().toPlainString();
            currency[i] = r.currency(); after[i] = r.balanceAfter().toPlainString(); description[i] = r.description();
            created[i] = r.createdAt().toString();
        }
        h.createUpdate("""
                INSERT INTO ledger_transactions (uuid, account_uuid, type, amount, currency, balance_after, usage_record_uuid,
                                                 epoch_uuid, description, created_by_key_uuid, created_at)
                SELECT u.uuid, u.account, u.type, u.amount, u.currency, u.after, u.usage, u.epoch, u.description, u.key, u.created
                FROM unnest(CAST(:uuid AS uuid[]), CAST(:account AS uuid[]), CAST(:type AS text[]), CAST(:amount AS numeric[]),
                            CAST(:currency AS text[]), CAST(:after AS numeric[]), CAST(:usage AS uuid[]), CAST(:epoch AS uuid[]),
                            CAST(:description AS text[]), CAST(:key AS uuid[]), CAST(:created AS timestamptz[]))
                     WITH ORDINALITY AS u(uuid, account, type, amount, currency, after, usage, epoch, description, key, created, ord)
                ORDER BY u.ord""")
                .bind("uuid", uuid).bind("account", account).bind("type", type).bind("amount", amount).bind("currency", currency)
                .bind("after", after).bind("usage", usage).bind("epoch", epoch).bind("description", description).bind("key", key)
                .bind("created", created).execute();
    }

    /** Stores the balances of accounts locked by {@link #lockBalances} in this transaction. */
    public void setBalances(Handle h, Map<UUID, BigDecimal> balances) {
        if (balances.isEmpty()) return;
        UUID[] ids = balances.keySet().toArray(UUID[]::new);
        String[] values = new String[ids.length];
        for (int i = 0; i < ids.length; i++) values[i] = balances.get(ids[i]).toPlainString();
        h.createUpdate("""
                UPDATE accounts a SET balance = u.balance
                FROM unnest(CAST(:ids AS uuid[]), CAST(:balances AS numeric[])) AS u(id, balance) WHERE a.uuid = u.id""")
                .bind("ids", ids).bind("balances", values).execute();
    }

    public Optional<AccountBalance> balance(Handle h, UUID account) {
        return h.createQuery("SELECT uuid, balance, billing_exempt FROM accounts WHERE uuid = :a").bind("a", account)
                .map((rs, ctx) -> new AccountBalance(rs.getObject(1, UUID.class), rs.getBigDecimal(2), rs.getBoolean(3))).findOne();
    }

    /** The balances and exemptions of many accounts (unlocked: a decision made on them is re-made at the next cut). */
    public Map<UUID, AccountBalance> balances(Handle h, Collection<UUID> accounts) {
        Map<UUID, AccountBalance> out = new HashMap<>();
        h.createQuery("SELECT uuid, balance, billing_exempt FROM accounts WHERE uuid = ANY(:ids)")
                .bind("ids", accounts.toArray(UUID[]::new))
                .map((rs, ctx) -> out.put(rs.getObject(1, UUID.class),
                        new AccountBalance(rs.getObject(1, UUID.class), rs.getBigDecimal(2), rs.getBoolean(3)))).list();
        return out;
    }

    /** Marks the account with this name exempt from enforcement (the bootstrap operator account). */
    public int markExempt(Handle h, String accountName) {
        return h.createUpdate("UPDATE accounts SET billing_exempt = true WHERE name = :name AND NOT billing_exempt")
                .bind("name", accountName).execute();
    }

    /** Transactions of {@code accountOrNull}'s account (null: every account), filtered. */
    public ListSql.Page<LedgerRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql("ledger_transactions", COLUMNS);
        if (accountOrNull != null) sql.where("account_uuid = :me", "me", accountOrNull);
        for (Filter f : q.filters()) {
            switch (f) {
                case Filter.UuidSet u -> sql.uuidSet(f.field(), u); // uuid, account_uuid, usage_record_uuid
                case Filter.WordSet w -> sql.wordSet(f.field(), w); // type
                case Filter.DateRange d -> sql.dateRange(f.field(), d); // created_at
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, LedgerRepository::map);
    }

    static LedgerRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new LedgerRow(rs.getObject("uuid", UUID.class), rs.getObject("account_uuid", UUID.class),
                LedgerType.valueOf(rs.getString("type")), rs.getBigDecimal("amount"), rs.getString("currency"),
                rs.getBigDecimal("balance_after"), rs.getObject("usage_record_uuid", UUID.class),
                rs.getObject("epoch_uuid", UUID.class), rs.getString("description"), rs.getObject("created_by_key_uuid", UUID.class),
                ListSql.instant(rs, "created_at"));
    }
}
