package dev.galley.server.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.billing.Money;
import dev.galley.server.http.Json;

/** The {@code ledger_transaction} object (spec §9). */
public final class LedgerView {
    private LedgerView() {}

    public static ObjectNode of(LedgerRow t) {
        return Json.object().put("uuid", t.uuid().toString()).put("object", "ledger_transaction")
                .put("account_uuid", t.accountUuid().toString()).put("type", t.type().name())
                .put("amount", Money.format(t.amount())).put("currency", t.currency())
                .put("balance_after", Money.format(t.balanceAfter()))
                .put("usage_record_uuid", t.usageRecordUuid() == null ? null : t.usageRecordUuid().toString())
                .put("epoch_uuid", t.epochUuid() == null ? null : t.epochUuid().toString())
                .put("description", t.description()).put("created_at", Json.timestamp(t.createdAt()));
    }
}
