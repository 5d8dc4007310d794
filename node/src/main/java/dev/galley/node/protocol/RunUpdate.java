package dev.galley.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code PATCH /v1/job-runs/{uuid}} ({@code job_run_update_request}). Absent parts are
 * left out of the JSON rather than sent as null, so a repeat of an update never clears what an
 * earlier one set. Use the factories: they encode which fields go with which status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunUpdate(
        @JsonProperty("status") RunStatus status,
        @JsonProperty("status_reason") String statusReason,
        @JsonProperty("status_reason_code") ReasonCode statusReasonCode,
        @JsonProperty("exit_code") Integer exitCode,
        @JsonProperty("node_urls") List<NodeUrl> nodeUrls,
        @JsonProperty("image_size_bytes") Long imageSizeBytes) {

    public RunUpdate {
        Objects.requireNonNull(status, "status");
        if (nodeUrls != null) nodeUrls = List.copyOf(nodeUrls);
    }

    public static RunUpdate preparing() {
        return new RunUpdate(RunStatus.PREPARING, null, null, null, null, null);
    }

    /** The container runs; {@code nodeUrls} may be empty (a job without ports) but is always sent. */
    public static RunUpdate running(List<NodeUrl> nodeUrls) {
        return new RunUpdate(RunStatus.RUNNING, null, null, null, nodeUrls, null);
    }

    /** The same update, also carrying the pulled image's size (the job's {@code image_size_bytes}). */
    public RunUpdate withImageSizeBytes(Long bytes) {
        return new RunUpdate(status, statusReason, statusReasonCode, exitCode, nodeUrls, bytes);
    }

    /** Exit 0 is COMPLETED, anything else FAILED with {@code EXIT_NONZERO} and the code. */
    public static RunUpdate exited(int exitCode) {
        if (exitCode == 0) return new RunUpdate(RunStatus.COMPLETED, null, null, 0, null, null);
        return new RunUpdate(RunStatus.FAILED, "the container exited with code " + exitCode, ReasonCode.EXIT_NONZERO, exitCode, null, null);
    }

    public static RunUpdate failed(ReasonCode codeOrNull, String reason) {
        return new RunUpdate(RunStatus.FAILED, reason, codeOrNull, null, null, null);
    }

    /** FAILED with a reason code and the exit code the stopped container ended with. */
    public static RunUpdate failed(ReasonCode codeOrNull, String reason, Integer exitCodeOrNull) {
        return new RunUpdate(RunStatus.FAILED, reason, codeOrNull, exitCodeOrNull, null, null);
    }

    public static RunUpdate cancelled(String reasonOrNull) {
        return new RunUpdate(RunStatus.CANCELLED, reasonOrNull, null, null, null, null);
    }

    @JsonIgnore // not a wire field: the server refuses unknown properties
    public boolean isFinal() {
        return status.isFinal();
    }
}
