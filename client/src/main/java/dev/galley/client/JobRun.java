package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.RunStatus;
import java.util.Objects;

/** One run of a job on one node, as the API returned it; {@link #json()} is the whole object. */
public record JobRun(JsonNode json) implements ApiObject {
    public JobRun {
        Objects.requireNonNull(json, "json");
    }

    public String jobUuid() {
        return JsonText.text(json, "job_uuid");
    }

    public String nodeUuid() {
        return JsonText.text(json, "node_uuid");
    }

    /** Null when absent or not a status this SDK knows; {@link #json()} has the text. */
    public RunStatus status() {
        return JsonText.enumValue(json, "status", RunStatus.class);
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

    /** True once the run is COMPLETED, FAILED or CANCELLED. */
    public boolean isFinal() {
        RunStatus status = status();
        return status != null && status.isFinal();
    }
}
