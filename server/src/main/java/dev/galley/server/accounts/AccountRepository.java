package dev.galley.server.accounts;

import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for accounts. */
public final class AccountRepository {
    private static final String COLUMNS = "uuid, name, created_at, updated_at, balance";
    private static final RowMapper<AccountRow> ROW = ConstructorMapper.of(AccountRow.class);

    /** @return false when the name is taken */
    public boolean insert(Handle h, AccountRow a) {
        return h.createUpdate("""
                INSERT INTO accounts (uuid, name, created_at, updated_at) VALUES (:uuid, :name, :createdAt, :createdAt)
                ON CONFLICT (name) DO NOTHING""")
                .bindMethods(a).execute() == 1;
    }

    public Optional<AccountRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE uuid = :uuid").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    public Optional<AccountRow> byName(Handle h, String name) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE name = :name").bind("name", name)
                .map(ROW).findOne();
    }

    public ListSql.Page<AccountRow> list(Handle h, ListQuery q) {
        return new ListSql("accounts", COLUMNS).filters(q.filters()).run(h, q, ROW);
    }
}
