package dev.galley.server.prices;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.billing.Money;
import dev.galley.server.http.Json;

/** The {@code price} object (spec §9). */
public final class PriceView {
    private PriceView() {}

    public static ObjectNode of(PriceRow p) {
        return Json.object().put("uuid", p.uuid().toString()).put("object", "price").put("resource", p.resource().wire())
                .put("gpu_registry_uuid", p.gpuRegistryUuid() == null ? null : p.gpuRegistryUuid().toString())
                .put("gpu_name", p.gpuName()).put("amount_per_hour", Money.format(p.amountPerHour()))
                .put("currency", p.currency()).put("effective_from", Json.timestamp(p.effectiveFrom()))
                .put("created_at", Json.timestamp(p.createdAt()));
    }
}
