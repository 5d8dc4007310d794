package dev.galley.server.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.billing.Money;
import dev.galley.server.http.Json;

/** The {@code usage_record} object (spec §9). */
public final class UsageView {
    private UsageView() {}

    public static ObjectNode of(UsageRow u) {
        return Json.object().put("uuid", u.uuid().toString()).put("object", "usage_record")
                .put("account_uuid", u.accountUuid().toString()).put("job_uuid", u.jobUuid().toString())
                .put("job_run_uuid", u.jobRunUuid().toString()).put("node_uuid", u.nodeUuid().toString())
                .put("provider_account_uuid", u.providerAccountUuid().toString())
                .put("period_start", Json.timestamp(u.periodStart())).put("period_end", Json.timestamp(u.periodEnd()))
                .put("seconds", u.seconds()).put("gpu_name", u.gpuName()).put("gpu_count", u.gpuCount())
                .put("cpu_count", u.cpuCount()).put("ram_gb", u.ramGb()).put("storage_gb", u.storageGb())
                .put("price_per_hour", Money.format(u.pricePerHour())).put("amount", Money.format(u.amount()))
                .put("currency", u.currency()).put("created_at", Json.timestamp(u.createdAt()));
    }
}
