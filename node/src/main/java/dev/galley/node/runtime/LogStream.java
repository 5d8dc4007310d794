package dev.galley.node.runtime;

import java.time.Duration;

/** A running {@code logs --follow}; it ends by itself when the container exits. */
public interface LogStream extends AutoCloseable {
    /** Waits until all output has been delivered to the sink (the container exited) or the timeout passes; true when ended. */
    boolean awaitEnd(Duration timeout) throws InterruptedException;

    /** Stops following (kills the {@code logs} process); output not yet read is dropped. */
    @Override
    void close();
}
