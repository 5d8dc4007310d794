package dev.galley.client;

import java.time.Duration;

/** A wait for a job to finish ran out of time; {@link #lastSeen()} is the job as last read. */
public final class JobWaitTimeoutException extends RuntimeException {
    private final transient Job lastSeen;
    private final Duration waited;

    public JobWaitTimeoutException(Job lastSeen, Duration waited) {
        super("job " + lastSeen.uuid() + " is still " + lastSeen.status() + " after waiting " + waited.toMillis() + " ms");
        this.lastSeen = lastSeen;
        this.waited = waited;
    }

    public Job lastSeen() {
        return lastSeen;
    }

    public Duration waited() {
        return waited;
    }
}
