package dev.galley.server.prices;

import dev.galley.core.billing.Money;
import dev.galley.core.billing.PriceResource;
import dev.galley.core.gpu.GpuModel;
import dev.galley.core.list.Filter;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.billing.AppendOnlyLists;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** {@code /v1/prices}: the rate card (spec §9). Anyone who may read jobs (or prices) reads it; operators add versions. */
public final class PriceHandlers {
    /** The highest hourly price of one unit: a sanity bound (a typo of a few digits is refused, not charged). */
    static final BigDecimal MAX_AMOUNT_PER_HOUR = new BigDecimal("1000000");
    private static final Set<String> RESOURCES = Arrays.stream(PriceResource.values()).map(r -> r.name()).collect(Collectors.toSet());
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("uuid", FilterKind.UUID_SET, "resource", FilterKind.WORD_SET, "gpu_registry_uuid", FilterKind.UUID_SET,
                    "effective_from", FilterKind.DATE_RANGE, "created_at", FilterKind.DATE_RANGE, "in_force", FilterKind.BOOLEAN),
            Map.of("resource", RESOURCES), Set.of());

    private final Jdbi jdbi;
    private final PriceRepository prices;
    private final RateCards rateCards;
    private final GpuCatalogCache gpus;
    private final String currency;
    private final Clock clock;

    public PriceHandlers(Jdbi jdbi, PriceRepository prices, RateCards rateCards, GpuCatalogCache gpus, String currency, Clock clock) {
        this.jdbi = jdbi;
        this.prices = prices;
        this.rateCards = rateCards;
        this.gpus = gpus;
        this.currency = currency;
        this.clock = clock;
    }

    /** GET /v1/prices: every version, or with {@code filter[in_force]=true} the ones in force now. */
    public void list(Context ctx, Caller caller) {
        if (!caller.can("prices", "read") && !caller.can("jobs", "read")) {
            throw ApiException.forbidden("this API key lacks the permission prices.read.all (or jobs.read.own)");
        }
        var q = AppendOnlyLists.requireCreatedAtSort(LIST.parse(ctx.queryParamMap()), "prices");
        boolean inForce = q.filter("in_force", Filter.Bool.class).map(Filter.Bool::value).orElse(false);
        if (q.filter("in_force", Filter.Bool.class).isPresent() && !inForce) {
            throw ApiException.badRequest("filter[in_force]", "must be true (leave it out to list every version)");
        }
        Instant now = now();
        Responses.page(ctx, q, jdbi.withHandle(h -> prices.list(h, q, inForce ? now : null)), PriceView::of);
    }

    /** POST /v1/prices: a new version of one price, effective now or later (never back-dated: what was charged stays). */
    public void create(Context ctx, Caller caller) {
        caller.requireAll("prices", "create");
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
        if (givenCurrency != null && !givenCurrency.equals(currency)) {
            f.errors().add("currency", "must be " + currency + ", the deployment's currency (GALLEY_CURRENCY); leave it out");
        }
        Instant now = now();
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
            model = gpuModel(gpuUuid, gpuName).orElse(null);
            if (model == null) {
                f.errors().add(gpuUuid != null ? "gpu_registry_uuid" : "gpu_name", "names no GPU model of the registry (GET /v1/gpu-registry)");
            }
        }
        f.finish();
        var row = new PriceRow(UUID.randomUUID(), 0, resource, model == null ? null : model.uuid(), null, amount, currency,
                from == null ? now : from.truncatedTo(ChronoUnit.MILLIS), now);
        PriceRow stored = jdbi.inTransaction(h -> {
            prices.insert(h, row, caller.keyUuid());
            return prices.byUuid(h, row.uuid()).orElseThrow();
        });
        rateCards.invalidate();
        Responses.json(ctx, 201, PriceView.of(stored));
    }

    private Optional<GpuModel> gpuModel(UUID uuid, String name) {
        var catalog = gpus.current();
        Optional<GpuModel> m = uuid != null ? catalog.byUuid(uuid) : catalog.byNameOrAlias(name);
        if (m.isPresent()) return m;
        catalog = gpus.reload(); // a model another replica's node just added
        return uuid != null ? catalog.byUuid(uuid) : catalog.byNameOrAlias(name);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
