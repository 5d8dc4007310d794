package dev.galley.server.gpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.auth.Permission;
import dev.galley.core.auth.Scope;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.Json;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** /v1/gpu-registry: the known GPU models with live counts. */
public final class GpuHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("only_available", FilterKind.BOOLEAN, "min_vram_gb", FilterKind.NUMBER_RANGE,
                    "name", FilterKind.SUBSTRING, "uuid", FilterKind.UUID_SET),
            Map.of(), Set.of());
    private final GpuService gpus;

    public GpuHandlers(GpuService gpus) {
        this.gpus = gpus;
    }

    public void list(Context ctx, Caller caller) {
        requireRead(caller);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, gpus.list(q), GpuHandlers::view);
    }

    public void get(Context ctx, Caller caller) {
        requireRead(caller);
        Responses.json(ctx, 200, view(gpus.get(Responses.pathUuid(ctx, "gpu"))));
    }

    private static void requireRead(Caller caller) {
        // The registry is shared reference data: .own and .all both mean "may read it".
        if (!caller.can(Resource.GPU_REGISTRY, Action.READ)) {
            throw Caller.lacks(new Permission(Resource.GPU_REGISTRY, Action.READ, Scope.ALL));
        }
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
