package dev.galley.server.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.billing.LedgerType;
import dev.galley.core.billing.Money;
import dev.galley.core.list.Filter;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQuery;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.AppendOnlyLists;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import dev.galley.server.idempotency.Idempotency;
import dev.galley.server.idempotency.IdempotentResponse;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code /v1/compute/ledger/transactions} (Dispersed's path) and {@code /v1/balance} (spec §9): an account's ledger and
 * balance, and operators' credit grants and adjustments.
 */
public final class LedgerHandlers {
    /** The largest single grant or adjustment: a sanity bound (a typo of a few digits is refused, not credited). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "type", FilterKind.WORD_SET, "created_at", FilterKind.DATE_RANGE,
                    "account_uuid", FilterKind.UUID_SET, "usage_record_uuid", FilterKind.UUID_SET),
            Map.of("type", Arrays.stream(LedgerType.values()).map(Enum::name).collect(Collectors.toSet())), Set.of());

    private final LedgerService service;

    public LedgerHandlers(LedgerService service) {
        this.service = service;
    }

    /** GET /v1/compute/ledger/transactions: the caller's account's, or every account's with ledger.read.all. */
    public void list(Context ctx, Caller caller) {
        caller.require(Resource.LEDGER, Action.READ);
        ListQuery q = AppendOnlyLists.requireCreatedAtSort(LIST.parse(ctx.queryParamMap()), "ledger transactions");
        boolean all = caller.canAll(Resource.LEDGER, Action.READ);
        var named = q.filter("account_uuid", Filter.UuidSet.class);
        if (!all && named.isPresent() && named.get().values().stream().anyMatch(a -> !caller.owns(a))) {
            throw ApiException.forbidden("filter[account_uuid] naming another account needs ledger.read.all");
        }
        Responses.page(ctx, q, service.list(all ? null : caller.accountUuid(), q), LedgerView::of);
    }

    /**
     * POST /v1/compute/ledger/transactions {account_uuid, type: CREDIT_GRANT|ADJUSTMENT, amount, description}: operators
     * only. With an {@code Idempotency-Key}, a repeat of the same request answers the first answer and posts nothing;
     * the same key with another request is a 409 (the mechanism of job creation, same table, same 24 h).
     */
    public void create(Context ctx, Caller caller) {
        caller.requireAll(Resource.LEDGER, Action.CREATE);
        String key = Idempotency.checkKey(ctx.header("Idempotency-Key"));
        byte[] body = ctx.bodyAsBytes();
        Ledger.Entry entry = parse(body, caller);
        String hash = key == null ? null : Idempotency.requestHash(ctx.path(), body);
        IdempotentResponse answer = service.post(caller.accountUuid(), key, hash, entry);
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    /** GET /v1/balance[?account_uuid=…]: the caller's account's balance; another account's with ledger.read.all. */
    public void balance(Context ctx, Caller caller) {
        caller.require(Resource.LEDGER, Action.READ);
        var params = ctx.queryParamMap();
        for (String name : params.keySet()) {
            if (!name.equals("account_uuid")) throw ApiException.badRequest(name, "is not a query parameter of this endpoint");
        }
        UUID account = caller.accountUuid();
        List<String> asked = params.get("account_uuid");
        if (asked != null) {
            if (asked.size() != 1) throw ApiException.badRequest("account_uuid", "must be given once");
            try {
                account = ListQueryParser.parseUuid(asked.getFirst().trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("account_uuid", "must be a UUID");
            }
            // Others' balances are not visible at all without ledger.read.all: 404, as for others' objects.
            if (!caller.owns(account) && !caller.canAll(Resource.LEDGER, Action.READ)) throw ApiException.notFound("account");
        }
        AccountBalance b = service.balance(account).orElseThrow(() -> ApiException.notFound("account"));
        Responses.json(ctx, 200, balanceView(b, service.currency()));
    }

    public static ObjectNode balanceView(AccountBalance b, String currency) {
        return Json.object().put("object", "balance").put("account_uuid", b.accountUuid().toString())
                .put("balance", Money.format(b.balance())).put("currency", currency).put("billing_exempt", b.billingExempt());
    }

    private static Ledger.Entry parse(byte[] body, Caller caller) {
        var f = new JsonFields(Json.parseObject(body, false), Set.of("account_uuid", "type", "amount", "description"));
        UUID account = f.uuid("account_uuid");
        if (account == null && !f.errors().list().stream().anyMatch(e -> e.field().equals("account_uuid"))) {
            f.errors().add("account_uuid", "is required");
        }
        String typeText = f.string("type", true, 1, 50);
        LedgerType type = null;
        if (typeText != null) {
            type = LedgerType.fromWire(typeText).filter(LedgerType::postedByOperators).orElse(null);
            if (type == null) f.errors().add("type", "must be CREDIT_GRANT or ADJUSTMENT (the other types are written by metering)");
        }
        BigDecimal amount = Money.read(f.raw("amount"), "amount", true, MAX_AMOUNT.negate(), MAX_AMOUNT, f.errors());
        if (amount != null && type == LedgerType.CREDIT_GRANT && amount.signum() <= 0) {
            f.errors().add("amount", "must be above zero for a CREDIT_GRANT (take credit back with an ADJUSTMENT)");
        }
        if (amount != null && type == LedgerType.ADJUSTMENT && amount.signum() == 0) f.errors().add("amount", "must not be zero");
        String description = f.string("description", type == LedgerType.ADJUSTMENT, 1, 1000);
        f.finish();
        return new Ledger.Entry(account, type, amount, null, description, caller.keyUuid());
    }
}
