package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/** One run of a job on one node, as the API returned it; {@link #json()} is the whole object. */
public record JobRun(JsonNode json) {
    public static final Set<String> FINAL_STATUSES = Set.of("COMPLETED", "FAILED", "CANCELLED");

    public JobRun {
        Objects.requireNonNull(json, "json");
    }

    public String uuid() {
        return JsonText.text(json, "uuid");
    }

    public String jobUuid() {
        return JsonText.text(json, "job_uuid");
    }

    public String nodeUuid() {
        return JsonText.text(json, "node_uuid");
    }

    /** ASSIGNED, PREPARING, RUNNING, COMPLETED, FAILED or CANCELLED. */
    public String status() {
        return JsonText.text(json, "status");
    }

    public Integer exitCode() {
        return JsonText.intValue(json, "exit_code");
    }

    public Integer attempt() {
        return JsonText.intValue(json, "attempt");
    }

    public Integer nodeIndex() {
        return JsonText.intValue(json, "node_index");
    }

    /** The last 1 MiB of output; only on a run read one at a time, null in lists. */
    public String logs() {
        return JsonText.text(json, "logs");
    }

    public boolean logsTruncated() {
        return json.path("logs_truncated").asBoolean(false);
    }

    public boolean isFinal() {
        return FINAL_STATUSES.contains(status());
    }
}
