package dev.galley.server.accounts;

import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for accounts. */
public final class AccountRepository {
    private static final String COLUMNS = "uuid, name, created_at, updated_at";

    /** @return false when the name is taken */
    public boolean insert(Handle h, AccountRow a) {
        return h.createUpdate("""
                INSERT INTO accounts (uuid, name, created_at, updated_at) VALUES (:uuid, :name, :created, :created)
                ON CONFLICT (name) DO NOTHING""")
                .bind("uuid", a.uuid()).bind("name", a.name()).bind("created", a.createdAt()).execute() == 1;
    }

    public Optional<AccountRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE uuid = :uuid").bind("uuid", uuid)
                .map(AccountRepository::map).findOne();
    }

    public Optional<AccountRow> byName(Handle h, String name) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE name = :name").bind("name", name)
                .map(AccountRepository::map).findOne();
    }

    public ListSql.Page<AccountRow> list(Handle h, ListQuery q) {
        var sql = new ListSql("accounts", COLUMNS);
        for (Filter f : q.filters()) {
            switch (f.field()) {
                case "name" -> sql.substring("name", (Filter.Substring) f);
                case "uuid" -> sql.uuidSet("uuid", (Filter.UuidSet) f);
                case "created_at" -> sql.dateRange("created_at", (Filter.DateRange) f);
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, AccountRepository::map);
    }

    static AccountRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AccountRow(rs.getObject("uuid", UUID.class), rs.getString("name"),
                ListSql.instant(rs, "created_at"), ListSql.instant(rs, "updated_at"));
    }
}
