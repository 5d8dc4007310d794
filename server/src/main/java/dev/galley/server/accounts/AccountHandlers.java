package dev.galley.server.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.billing.Money;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** /v1/accounts — operators only (accounts.*.all). */
public final class AccountHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "name", FilterKind.SUBSTRING, "created_at", FilterKind.DATE_RANGE),
            Map.of(), Set.of());
    private final AccountService accounts;

    public AccountHandlers(AccountService accounts) {
        this.accounts = accounts;
    }

    public void create(Context ctx, Caller caller) {
        caller.requireAll(Resource.ACCOUNTS, Action.CREATE);
        var fields = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), Set.of("name"));
        String name = fields.string("name", true, 1, 200);
        fields.finish();
        Responses.json(ctx, 201, view(accounts.create(name), accounts.currency()));
    }

    public void list(Context ctx, Caller caller) {
        caller.requireAll(Resource.ACCOUNTS, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, accounts.list(q), a -> view(a, accounts.currency()));
    }

    public void get(Context ctx, Caller caller) {
        Responses.json(ctx, 200, view(accounts.get(caller, Responses.pathUuid(ctx, "account")), accounts.currency()));
    }

    /** The account with its balance (the sum of its ledger) in the deployment's currency (spec §9). */
    public static JsonNode view(AccountRow a, String currency) {
        return Json.object().put("uuid", a.uuid().toString()).put("object", "account").put("name", a.name())
                .put("created_at", Json.timestamp(a.createdAt())).put("updated_at", Json.timestamp(a.updatedAt()))
                .put("balance", Money.format(a.balance())).put("currency", currency);
    }
}
