package dev.galley.server.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.server.http.Json;
import java.time.Instant;

/** The {@code job_run} object of spec §5. */
public final class RunView {
    private RunView() {}

    public static ObjectNode of(RunRow r) {
        ObjectNode o = Json.object();
        o.put("uuid", r.uuid().toString()).put("object", "job_run").put("job_uuid", r.jobUuid().toString())
                .put("node_uuid", r.nodeUuid() == null ? null : r.nodeUuid().toString())
                .put("attempt", r.attempt()).put("node_index", r.nodeIndex()).put("status", r.status().name())
                .put("status_reason", r.statusReason()).put("status_reason_code", Json.name(r.statusReasonCode()));
        if (r.exitCode() == null) o.putNull("exit_code");
        else o.put("exit_code", r.exitCode());
        o.put("created_at", Json.timestamp(r.createdAt())).put("updated_at", Json.timestamp(r.updatedAt()));
        putMs(o, "assigned_at_ms", r.assignedAt());
        putMs(o, "started_at_ms", r.startedAt());
        putMs(o, "completed_at_ms", r.completedAt());
        o.set("node_urls", r.nodeUrls().deepCopy());
        var gpus = o.putArray("gpu_devices");
        r.gpuDevices().forEach(gpus::add);
        return o;
    }

    private static void putMs(ObjectNode o, String field, Instant t) {
        if (t == null) o.putNull(field);
        else o.put(field, t.toEpochMilli());
    }
}
