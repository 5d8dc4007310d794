package dev.galley.client;

import java.io.OutputStream;
import java.util.Map;

/** {@code /v1/job-runs}: the runs of jobs on nodes, and their output. */
public final class RunsApi {
    private final RetryingTransport transport;

    RunsApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /** Filters: {@code job_uuid, status, node_uuid}. List items carry no {@code logs}. */
    public Page<JobRun> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/job-runs" + query.toQueryString(), null, Map.of()), JobRun::new);
    }

    /** The runs of one job, oldest first (a job has few: one per node index and retry). */
    public Page<JobRun> listForJob(String jobUuid) {
        return list(ListQuery.first(50).sort("created_at").filter("job_uuid", jobUuid));
    }

    /** One run with the last 1 MiB of its output in {@link JobRun#logs()}. */
    public JobRun get(String uuid) {
        return new JobRun(transport.call("GET", "/v1/job-runs/" + Urls.segment(uuid), null, Map.of()));
    }

    /** The run's output so far, as text. */
    public String logs(String uuid) {
        RetryingTransport.Outcome outcome = transport.send("GET", "/v1/job-runs/" + Urls.segment(uuid) + "/logs", null, Map.of());
        if (outcome.response().status() >= 400) throw new GalleyApiException(outcome.response());
        return outcome.response().bodyText();
    }

    /**
     * Copies the run's output to {@code sink} as it arrives (flushing after each piece) and returns when the
     * run has ended and the server closed the stream.
     *
     * @return the number of bytes copied
     */
    public long followLogs(String uuid, OutputStream sink) {
        return transport.client().stream("/v1/job-runs/" + Urls.segment(uuid) + "/logs?follow=true", sink);
    }
}
