package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.JobStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/** {@code /v1/jobs}: create, list, get, cancel, and wait for a job to finish. */
public final class JobsApi {
    private final RetryingTransport transport;

    JobsApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /**
     * Creates a job from a full job spec (spec §3). A fresh {@code Idempotency-Key} is sent and reused by
     * every retry of this call, so a lost answer never creates a second job.
     */
    public Job create(JsonNode spec) {
        return create(spec, UUID.randomUUID().toString());
    }

    /** Like {@link #create(JsonNode)} with a caller-chosen key, for callers that retry across processes. */
    public Job create(JsonNode spec, String idempotencyKey) {
        Objects.requireNonNull(spec, "spec");
        return new Job(transport.call("POST", "/v1/jobs", spec, Map.of("Idempotency-Key", idempotencyKey)));
    }

    /** Filters: {@code uuid, status, task, cpu_count, gpu_count, min_ram_gb, min_vram_gb, min_storage_gb, created_at, source_recipe_uuid}. */
    public Page<Job> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/jobs" + query.toQueryString(), null, Map.of()), Job::new);
    }

    public Job get(String uuid) {
        return new Job(transport.call("GET", "/v1/jobs/" + Urls.segment(uuid), null, Map.of()));
    }

    /**
     * Cancels a job: a PENDING job is CANCELLED at once, an active one goes CANCELLING.
     *
     * @param reason shown as the job's {@code status_reason}; null for none
     * @throws GalleyApiException {@code conflict} when the job had already finished
     */
    public Job cancel(String uuid, String reason) {
        ObjectNode body = GalleyClient.MAPPER.createObjectNode();
        if (reason != null) body.put("reason", reason);
        String path = "/v1/jobs/" + Urls.segment(uuid) + "/cancel";
        RetryingTransport.Outcome outcome = transport.send("PUT", path, GalleyClient.toJsonBytes(body), Map.of());
        ApiResponse response = outcome.response();
        if (response.status() == 409 && outcome.attempts() > 1) {
            // An earlier attempt may have cancelled it and lost its answer: then the job is what we wanted.
            Job now = get(uuid);
            if (now.status() == JobStatus.CANCELLED || now.status() == JobStatus.CANCELLING) return now;
        }
        if (response.status() >= 400) throw new GalleyApiException(response);
        return new Job(response.json());
    }

    /**
     * Polls the job until it is COMPLETED, FAILED or CANCELLED and returns it (whatever the final status:
     * the caller decides what a failure means).
     *
     * @param onPoll called with every read of the job, the final one included (e.g. to show progress)
     * @throws JobWaitTimeoutException when {@code timeout} passes first; null timeout waits for ever
     */
    public Job awaitFinal(String uuid, Duration timeout, Duration pollInterval, Consumer<Job> onPoll) {
        long start = System.nanoTime();
        long pollMillis = Math.max(50, pollInterval.toMillis());
        while (true) {
            Job job = get(uuid);
            if (onPoll != null) onPoll.accept(job);
            if (job.isFinal()) return job;
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (timeout != null && elapsed >= timeout.toMillis()) throw new JobWaitTimeoutException(job, timeout);
            long sleep = timeout == null ? pollMillis : Math.min(pollMillis, timeout.toMillis() - elapsed);
            try {
                Thread.sleep(Math.max(1, sleep));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GalleyConnectionException("interrupted while waiting for job " + uuid, e);
            }
        }
    }
}
