package dev.galley.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.billing.Money;
import dev.galley.server.billing.BillingService;
import dev.galley.server.http.Json;
import dev.galley.server.lifecycle.JobRow;

/** The {@code job} object of spec §5: every job-spec field (secrets masked) plus lifecycle fields. */
public final class JobView {
    private JobView() {}

    /** The job with its price per hour and cost so far (spec §9; see {@link BillingService.JobCharges}). */
    public static ObjectNode of(JobRow j, BillingService.JobCharges charges) {
        ObjectNode o = Json.object();
        o.put("uuid", j.uuid().toString());
        o.put("object", "job");
        o.put("status", j.status().name());
        o.put("status_reason", j.statusReason());
        o.put("status_reason_code", Json.name(j.statusReasonCode()));
        o.put("created_at", Json.timestamp(j.createdAt()));
        o.put("updated_at", Json.timestamp(j.updatedAt()));
        o.put("started_at", Json.timestamp(j.startedAt()));
        o.put("completed_at", Json.timestamp(j.completedAt()));
        if (j.timeoutAssignAtMs() == null) o.putNull("timeout_assign_at_ms");
        else o.put("timeout_assign_at_ms", j.timeoutAssignAtMs());
        o.setAll(j.spec()); // the stored spec is already normalised and masked
        if (j.imageSizeBytes() == null) o.putNull("image_size_bytes");
        else o.put("image_size_bytes", j.imageSizeBytes());
        o.putArray("container_access_tokens").addObject().put("token", j.containerAccessToken());
        o.put("source_recipe_uuid", j.sourceRecipeUuid() == null ? null : j.sourceRecipeUuid().toString());
        o.put("account_uuid", j.accountUuid().toString());
        o.put("price_per_hour", Money.format(charges.pricePerHour()));
        o.put("cost_so_far", Money.format(charges.costSoFar()));
        return o;
    }
}
