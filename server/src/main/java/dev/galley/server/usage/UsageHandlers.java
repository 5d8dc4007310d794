package dev.galley.server.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.billing.Money;
import dev.galley.core.billing.UsageGroup;
import dev.galley.core.billing.UsageGrouping;
import dev.galley.core.billing.UsageSummary;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.list.Filter;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQuery;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.AppendOnlyLists;
import dev.galley.server.http.Json;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /v1/usage} and {@code /v1/usage/summary} (spec §9): a consumer's usage records (its own account's, as the
 * consumer), or every account's with {@code usage.read.all}.
 */
public final class UsageHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "job_uuid", FilterKind.UUID_SET, "job_run_uuid", FilterKind.UUID_SET,
                    "node_uuid", FilterKind.UUID_SET, "account_uuid", FilterKind.UUID_SET,
                    "period_start", FilterKind.DATE_RANGE, "created_at", FilterKind.DATE_RANGE),
            Map.of(), Set.of());
    private static final ListQueryParser SUMMARY_FILTERS = new ListQueryParser(
            Map.of("period_start", FilterKind.DATE_RANGE, "account_uuid", FilterKind.UUID_SET), Map.of(), Set.of());

    private final UsageService service;

    public UsageHandlers(UsageService service) {
        this.service = service;
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.USAGE, Action.READ);
        ListQuery q = AppendOnlyLists.requireCreatedAtSort(LIST.parse(ctx.queryParamMap()), "usage records");
        boolean all = mayNameAccounts(caller, q.filter("account_uuid", Filter.UuidSet.class).orElse(null));
        Responses.page(ctx, q, service.list(all ? null : caller.accountUuid(), q), UsageView::of);
    }

    /**
     * GET /v1/usage/summary?group_by=day|job|gpu_name&filter[period_start]=a,b[&limit=N]: totals per group for charts,
     * at most {@code limit} groups (1..1000, default 100), with the totals of everything in range.
     */
    public void summary(Context ctx, Caller caller) {
        caller.require(Resource.USAGE, Action.READ);
        Map<String, List<String>> params = new HashMap<>(ctx.queryParamMap());
        var errors = new FieldErrors();
        UsageGrouping grouping = UsageGrouping.DAY;
        String groupBy = single(params.remove("group_by"), "group_by", errors);
        if (groupBy != null) {
            grouping = UsageGrouping.fromWire(groupBy).orElse(null);
            if (grouping == null) errors.add("group_by", "must be one of " + UsageGrouping.wireNames());
        }
        int limit = UsageSummary.DEFAULT_GROUPS;
        String limitText = single(params.remove("limit"), "limit", errors);
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
                if (limit < 1 || limit > UsageSummary.MAX_GROUPS) errors.add("limit", "must be between 1 and " + UsageSummary.MAX_GROUPS);
            } catch (NumberFormatException e) {
                errors.add("limit", "must be a whole number");
            }
        }
        for (String listOnly : List.of("page", "sort")) {
            if (params.remove(listOnly) != null) errors.add(listOnly, "is not a query parameter of this endpoint (a summary is not paged)");
        }
        errors.throwIfAny();
        ListQuery filters = SUMMARY_FILTERS.parse(params);
        boolean all = mayNameAccounts(caller, filters.filter("account_uuid", Filter.UuidSet.class).orElse(null));
        UUID account = all ? filters.filter("account_uuid", Filter.UuidSet.class).map(f -> onlyOne(f)).orElse(null) : caller.accountUuid();
        var scope = new UsageRepository.Scope(account, filters.filter("period_start", Filter.DateRange.class).orElse(null));
        Responses.json(ctx, 200, view(service.summary(scope, grouping, limit), scope, service.currency()));
    }

    /** True when the caller lists every account (or the ones it named); naming another account needs usage.read.all. */
    private static boolean mayNameAccounts(Caller caller, Filter.UuidSet named) {
        boolean all = caller.canAll(Resource.USAGE, Action.READ);
        if (!all && named != null && named.values().stream().anyMatch(a -> !caller.owns(a))) {
            throw ApiException.forbidden("filter[account_uuid] naming another account needs usage.read.all");
        }
        return all;
    }

    private static UUID onlyOne(Filter.UuidSet f) {
        if (f.values().size() != 1) throw ApiException.badRequest("filter[account_uuid]", "must name one account in a summary");
        return f.values().getFirst();
    }

    private static String single(List<String> values, String name, FieldErrors errors) {
        if (values == null) return null;
        if (values.size() != 1) {
            errors.add(name, "must be given once");
            return null;
        }
        return values.getFirst();
    }

    static ObjectNode view(UsageSummary s, UsageRepository.Scope scope, String currency) {
        ObjectNode o = Json.object().put("object", "usage_summary").put("group_by", s.grouping().wire()).put("currency", currency)
                .put("account_uuid", scope.accountOrNull() == null ? null : scope.accountOrNull().toString())
                .put("period_start_from", scope.periodStart() == null ? null : Json.timestamp(scope.periodStart().from()))
                .put("period_start_to", scope.periodStart() == null ? null : Json.timestamp(scope.periodStart().toInclusive()));
        var data = o.putArray("data");
        for (UsageGroup g : s.groups()) data.add(group(g));
        o.set("totals", group(s.totals()).without("key"));
        o.put("truncated", s.truncated());
        return o;
    }

    private static ObjectNode group(UsageGroup g) {
        return Json.object().put("key", g.key()).put("seconds", g.seconds()).put("amount", Money.format(g.amount()))
                .put("records", g.records());
    }
}
