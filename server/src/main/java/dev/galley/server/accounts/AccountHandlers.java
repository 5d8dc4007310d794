package dev.galley.server.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** /v1/accounts — operators only (accounts.*.all). */
public final class AccountHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "name", FilterKind.SUBSTRING, "created_at", FilterKind.DATE_RANGE),
            Map.of(), Set.of());
    private final Jdbi jdbi;
    private final AccountRepository accounts;
    private final Clock clock;

    public AccountHandlers(Jdbi jdbi, AccountRepository accounts, Clock clock) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.clock = clock;
    }

    public void create(Context ctx, Caller caller) {
        caller.requireAll("accounts", "create");
        var fields = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), Set.of("name"));
        String name = fields.string("name", true, 1, 200);
        fields.finish();
        var row = new AccountRow(UUID.randomUUID(), name, clock.instant().truncatedTo(ChronoUnit.MILLIS), null);
        boolean created = jdbi.withHandle(h -> accounts.insert(h, row));
        if (!created) throw ApiException.conflict("an account named '" + name + "' already exists");
        Responses.json(ctx, 201, view(new AccountRow(row.uuid(), name, row.createdAt(), row.createdAt())));
    }

    public void list(Context ctx, Caller caller) {
        caller.requireAll("accounts", "read");
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, jdbi.withHandle(h -> accounts.list(h, q)), AccountHandlers::view);
    }

    public void get(Context ctx, Caller caller) {
        UUID uuid = Responses.pathUuid(ctx, "account");
        if (!caller.canAll("accounts", "read")) {
            if (!caller.owns(uuid)) throw ApiException.notFound("account"); // others' accounts are not visible at all
            caller.require("accounts", "read");
        }
        var row = jdbi.withHandle(h -> accounts.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("account"));
        Responses.json(ctx, 200, view(row));
    }

    public static JsonNode view(AccountRow a) {
        return Json.object().put("uuid", a.uuid().toString()).put("object", "account").put("name", a.name())
                .put("created_at", Json.timestamp(a.createdAt())).put("updated_at", Json.timestamp(a.updatedAt()));
    }
}
