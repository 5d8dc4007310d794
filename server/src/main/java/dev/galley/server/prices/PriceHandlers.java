package dev.galley.server.prices;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.billing.Money;
import dev.galley.core.billing.PriceResource;
import dev.galley.core.gpu.GpuModel;
import dev.galley.core.list.Filter;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.AppendOnlyLists;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** {@code /v1/prices}: the rate card (spec §9). Anyone who may read jobs (or prices) reads it; operators add versions. */
public final class PriceHandlers {
    /** The highest hourly price of one unit: a sanity bound (a typo of a few digits is refused, not charged). */
    static final BigDecimal MAX_AMOUNT_PER_HOUR = new BigDecimal("1000000");
    private static final Set<String> RESOURCES = Arrays.stream(PriceResource.values()).map(r -> r.name()).collect(Collectors.toSet());
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "resource", FilterKind.WORD_SET, "gpu_registry_uuid", FilterKind.UUID_SET,
                    "effective_from", FilterKind.DATE_RANGE, "created_at", FilterKind.DATE_RANGE, "in_force", FilterKind.BOOLEAN),
            Map.of("resource", RESOURCES), Set.of());

    private final PriceService service;

    public PriceHandlers(PriceService service) {
        this.service = service;
    }

    /** GET /v1/prices: every version, or with {@code filter[in_force]=true} the ones in force now. */
    public void list(Context ctx, Caller caller) {
        if (!caller.can(Resource.PRICES, Action.READ) && !caller.can(Resource.JOBS, Action.READ)) {
            throw ApiException.forbidden("this API key lacks the permission prices.read.all (or jobs.read.own)");
        }
        var q = AppendOnlyLists.requireCreatedAtSort(LIST.parse(ctx.queryParamMap()), "prices");
        boolean inForce = q.filter("in_force", Filter.Bool.class).map(Filter.Bool::value).orElse(false);
        if (q.filter("in_force", Filter.Bool.class).isPresent() && !inForce) {
            throw ApiException.badRequest("filter[in_force]", "must be true (leave it out to list every version)");
        }
        Responses.page(ctx, q, service.list(q, inForce), PriceView::of);
    }

    /** POST /v1/prices: a new version of one price, effective now or later (never back-dated: what was charged stays). */
    public void create(Context ctx, Caller caller) {
        caller.requireAll(Resource.PRICES, Action.CREATE);
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false),
                Set.of("resource", "gpu_registry_uuid", "gpu_name", "amount_per_hour", "currency", "effective_from"));
        String resourceText = f.string("resource", true, 1, 50);
        PriceResource resource = null;
        if (resourceText != null) {
            resource = PriceResource.fromWire(resourceText).orElse(null);
            if (resource == null) f.errors().add("resource", "must be one of gpu, cpu_core, ram_gb, storage_gb");
        }
        UUID gpuUuid = f.uuid("gpu_registry_uuid");
        String gpuName = f.string("gpu_name", false, 1, 200);
        BigDecimal amount = Money.read(f.raw("amount_per_hour"), "amount_per_hour", true, BigDecimal.ZERO, MAX_AMOUNT_PER_HOUR, f.errors());
        String givenCurrency = f.string("currency", false, 1, 10);
        if (givenCurrency != null && !givenCurrency.equals(service.currency())) {
            f.errors().add("currency", "must be " + service.currency() + ", the deployment's currency (GALLEY_CURRENCY); leave it out");
        }
        Instant now = service.now();
        Instant from = f.instant("effective_from");
        if (from != null && from.isBefore(now)) {
            f.errors().add("effective_from", "must not be in the past: prices apply to runs that start after them; leave it out for now");
        }
        if (resource != null && resource != PriceResource.GPU && (gpuUuid != null || gpuName != null)) {
            f.errors().add(gpuUuid != null ? "gpu_registry_uuid" : "gpu_name", "is only for resource gpu");
        }
        if (gpuUuid != null && gpuName != null) f.errors().add("gpu_name", "give gpu_registry_uuid or gpu_name, not both");
        GpuModel model = null;
        if (f.errors().isEmpty() && (gpuUuid != null || gpuName != null)) {
            model = service.gpuModel(gpuUuid, gpuName).orElse(null);
            if (model == null) {
                f.errors().add(gpuUuid != null ? "gpu_registry_uuid" : "gpu_name", "names no GPU model of the registry (GET /v1/gpu-registry)");
            }
        }
        f.finish();
        PriceRow stored = service.add(new PriceService.NewPrice(resource, model, amount, from), caller.keyUuid());
        Responses.json(ctx, 201, PriceView.of(stored));
    }
}
