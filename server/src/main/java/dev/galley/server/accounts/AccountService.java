package dev.galley.server.accounts;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.list.ListQuery;
import dev.galley.server.auth.Caller;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.ApiException;
import java.time.Clock;
import java.util.UUID;

/** Accounts: created and listed by operators; a key may read its own. */
public final class AccountService {
    private final Transactions tx;
    private final AccountRepository accounts;
    private final Clock clock;
    private final String currency;

    /** @param currency the deployment's currency (GALLEY_CURRENCY), the currency of every balance */
    public AccountService(Transactions tx, AccountRepository accounts, Clock clock, String currency) {
        this.tx = tx;
        this.accounts = accounts;
        this.clock = clock;
        this.currency = currency;
    }

    public String currency() {
        return currency;
    }

    /** 409 when the name is taken. */
    public AccountRow create(String name) {
        var now = clock.instant();
        var row = AccountRow.created(UUID.randomUUID(), name, now);
        if (!tx.withHandle(h -> accounts.insert(h, row))) throw ApiException.conflict("an account named '" + name + "' already exists");
        return row;
    }

    public ListSql.Page<AccountRow> list(ListQuery q) {
        return tx.withHandle(h -> accounts.list(h, q));
    }

    /** With accounts.read.all any account; else only one's own, and another account does not exist (404). */
    public AccountRow get(Caller caller, UUID uuid) {
        if (!caller.canAll(Resource.ACCOUNTS, Action.READ)) {
            if (!caller.owns(uuid)) throw ApiException.notFound("account");
            caller.require(Resource.ACCOUNTS, Action.READ);
        }
        return tx.withHandle(h -> accounts.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("account"));
    }
}
