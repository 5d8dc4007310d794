package dev.galley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.billing.LedgerType;
import dev.galley.core.billing.UsageGrouping;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Prices, usage, the ledger and balances (spec §9): {@code /v1/prices}, {@code /v1/usage},
 * {@code /v1/usage/summary}, {@code /v1/compute/ledger/transactions}, {@code /v1/balance}. Amounts are
 * {@link BigDecimal}s and travel as decimal strings.
 */
public final class BillingApi {
    private final RetryingTransport transport;

    BillingApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /** Filters: {@code uuid, resource, gpu_registry_uuid, effective_from, created_at, in_force} (true). */
    public Page<Price> prices(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/prices" + query.toQueryString(), null, Map.of()), Price::new);
    }

    /** Every price in force now (one per resource and GPU model), all pages. */
    public List<Price> pricesInForce() {
        List<Price> all = new ArrayList<>();
        ListQuery query = ListQuery.first(50).filter("in_force", "true");
        for (int page = 1; ; page++) {
            Page<Price> p = prices(query.page(page));
            all.addAll(p.data());
            if (!p.hasMore()) return all;
        }
    }

    /**
     * Adds a price version (operators): {@code resource} is gpu, cpu_core, ram_gb or storage_gb; {@code gpuName} names the
     * model of a gpu price (null: the default for models without their own); {@code effectiveFrom} null means now.
     */
    public Price addPrice(String resource, String gpuName, BigDecimal amountPerHour, Instant effectiveFrom) {
        ObjectNode body = GalleyClient.MAPPER.createObjectNode().put("resource", Objects.requireNonNull(resource, "resource"))
                .put("amount_per_hour", Money.write(Objects.requireNonNull(amountPerHour, "amountPerHour")));
        if (gpuName != null) body.put("gpu_name", gpuName);
        if (effectiveFrom != null) body.put("effective_from", effectiveFrom.toString());
        // Not retried after a lost answer: a second identical version would be harmless but is still a second row.
        return new Price(transport.call("POST", "/v1/prices", body, Map.of()));
    }

    /** Filters: {@code uuid, job_uuid, job_run_uuid, node_uuid, account_uuid, period_start, created_at}. */
    public Page<UsageRecord> usage(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/usage" + query.toQueryString(), null, Map.of()), UsageRecord::new);
    }

    /**
     * Usage totals per group over period starts in {@code [from, to]} (either null: open), at most {@code limit} groups
     * (null: the server's default, 100).
     */
    public UsageSummary usageSummary(UsageGrouping groupBy, Instant from, Instant to, Integer limit) {
        return usageSummary(groupBy, from, to, limit, null);
    }

    /** Like {@link #usageSummary(UsageGrouping, Instant, Instant, Integer)} for one account (needs usage.read.all for another). */
    public UsageSummary usageSummary(UsageGrouping groupBy, Instant from, Instant to, Integer limit, String accountUuid) {
        StringBuilder q = new StringBuilder("?group_by=").append(Urls.encode(groupBy.wire()));
        if (accountUuid != null) q.append('&').append(Urls.encode("filter[account_uuid]")).append('=').append(Urls.encode(accountUuid));
        if (from != null || to != null) {
            String range = (from == null ? "0001-01-01T00:00:00Z" : from.toString()) + ","
                    + (to == null ? "9999-12-31T23:59:59Z" : to.toString());
            q.append('&').append(Urls.encode("filter[period_start]")).append('=').append(Urls.encode(range));
        }
        if (limit != null) q.append("&limit=").append(limit);
        return new UsageSummary(transport.call("GET", "/v1/usage/summary" + q, null, Map.of()));
    }

    /** Filters: {@code uuid, type, created_at, account_uuid, usage_record_uuid}. */
    public Page<LedgerTransaction> ledger(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/compute/ledger/transactions" + query.toQueryString(), null, Map.of()),
                LedgerTransaction::new);
    }

    /**
     * Posts a CREDIT_GRANT or ADJUSTMENT (operators). A fresh {@code Idempotency-Key} is sent and reused by every retry
     * of this call, so a lost answer never credits twice.
     */
    public LedgerTransaction post(String accountUuid, LedgerType type, BigDecimal amount, String description) {
        return post(accountUuid, type, amount, description, UUID.randomUUID().toString());
    }

    /** Like {@link #post(String, LedgerType, BigDecimal, String)} with a caller-chosen key, for retries across processes. */
    public LedgerTransaction post(String accountUuid, LedgerType type, BigDecimal amount, String description, String idempotencyKey) {
        ObjectNode body = GalleyClient.MAPPER.createObjectNode().put("account_uuid", Objects.requireNonNull(accountUuid, "accountUuid"))
                .put("type", type.name()).put("amount", Money.write(Objects.requireNonNull(amount, "amount")));
        if (description != null) body.put("description", description);
        return new LedgerTransaction(transport.call("POST", "/v1/compute/ledger/transactions", body,
                Map.of("Idempotency-Key", idempotencyKey)));
    }

    /** The caller's account's balance. */
    public Balance balance() {
        return new Balance(transport.call("GET", "/v1/balance", null, Map.of()));
    }

    /** Another account's balance (needs ledger.read.all). */
    public Balance balance(String accountUuid) {
        return new Balance(transport.call("GET", "/v1/balance?account_uuid=" + Urls.encode(accountUuid), null, Map.of()));
    }
}
