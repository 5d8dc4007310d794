package dev.galley.server.gpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** /v1/gpu-registry: the known GPU models with live counts. */
public final class GpuHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("only_available", FilterKind.BOOLEAN, "min_vram_gb", FilterKind.NUMBER_RANGE,
                    "name", FilterKind.SUBSTRING, "uuid", FilterKind.UUID_SET),
            Map.of(), Set.of());
    private final Jdbi jdbi;
    private final GpuRepository gpus;

    public GpuHandlers(Jdbi jdbi, GpuRepository gpus) {
        this.jdbi = jdbi;
        this.gpus = gpus;
    }

    public void list(Context ctx, Caller caller) {
        requireRead(caller);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, jdbi.withHandle(h -> gpus.list(h, q)), GpuHandlers::view);
    }

    public void get(Context ctx, Caller caller) {
        requireRead(caller);
        var uuid = Responses.pathUuid(ctx, "gpu");
        Responses.json(ctx, 200, view(jdbi.withHandle(h -> gpus.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("gpu"))));
    }

    private static void requireRead(Caller caller) {
        // The registry is shared reference data: .own and .all both mean "may read it".
        if (!caller.can("gpu_registry", "read")) throw ApiException.forbidden("this API key lacks the permission gpu_registry.read.all");
    }

    public static JsonNode view(GpuRow g) {
        ObjectNode o = Json.object();
        o.put("uuid", g.model().uuid().toString()).put("object", "gpu").put("name", g.model().name())
                .put("vendor", g.model().vendor())
                .put("vram_gb", g.model().vramGb());
        var aliases = o.putArray("aliases");
        g.model().aliases().forEach(aliases::add);
        // A decimal string (numeric(6,2): "1.81"), exact like the rewards it scales (spec §10); null: nobody rated it.
        var multiplier = g.model().rewardMultiplier();
        o.put("reward_multiplier", multiplier == null ? null : multiplier.toPlainString());
        o.put("total_count", g.totalCount()).put("available_count", g.availableCount());
        return o;
    }
}
