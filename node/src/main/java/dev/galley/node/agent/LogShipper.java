package dev.galley.node.agent;

import dev.galley.client.RetryPolicy;
import dev.galley.node.protocol.ControlPlaneClient;
import dev.galley.node.protocol.ControlPlaneException;
import dev.galley.node.protocol.ControlPlaneUnavailableException;
import dev.galley.node.protocol.Delivery;
import dev.galley.node.runtime.LogSink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches a run's output and sends it to the server: every {@code flushInterval}, or sooner once
 * {@value #FLUSH_THRESHOLD_CHARS} characters wait, in calls of at most {@value #MAX_BATCH_CHARS}
 * characters (at most 3 bytes each in UTF-8, so always under the server's 256 KiB limit).
 *
 * <p>Order is kept: one batch is in flight at a time, and a batch that failed goes back in front of the
 * buffer. While the server is unreachable output accumulates up to {@value #MAX_BUFFER_CHARS}
 * characters; beyond that the oldest is dropped with a marker, because an agent must not run out of
 * memory over a chatty job. {@link #finish()} sends the tail: supervisors call it after the container
 * exited and before the final status, so the last lines (usually the error) are never lost.
 *
 * <p>A run the server has finished (it timed out, was cancelled, or its node was declared lost) takes no
 * more output: the server answers 409 (404 for a run it does not know, or not on this node). Either is
 * {@link Delivery#GONE}: the run is done, not the upload failed, so the rest is dropped at once and
 * nothing is retried.
 */
final class LogShipper implements LogSink {
    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
    static final int FLUSH_THRESHOLD_CHARS = 64 * 1024;
    static final int MAX_BATCH_CHARS = 64 * 1024;
    static final int MAX_BUFFER_CHARS = 16 * 1024 * 1024;

    private final String runUuid;
    private final ControlPlaneClient controlPlane;
    private final Duration flushInterval;
    private final RetryPolicy retryPolicy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final StringBuilder buffer = new StringBuilder();
    /** Serializes sending, so batches arrive in order. */
    private final ReentrantLock sending = new ReentrantLock();
    private long droppedChars;
    private volatile boolean gone;
    private boolean stopped;
    private Thread flusher;

    LogShipper(String runUuid, ControlPlaneClient controlPlane, Duration flushInterval, RetryPolicy retryPolicy) {
        this.runUuid = runUuid;
        this.controlPlane = controlPlane;
        this.flushInterval = flushInterval;
        this.retryPolicy = retryPolicy;
    }

    /** Starts the background flushing. */
    LogShipper start() {
        flusher = Thread.ofVirtual().name("logs-" + runUuid).start(this::flushLoop);
        return this;
    }

    @Override
    public void accept(String chunk) {
        if (gone || chunk.isEmpty()) return;
        lock.lock();
        try {
            buffer.append(chunk);
            if (buffer.length() > MAX_BUFFER_CHARS) {
                int excess = buffer.length() - MAX_BUFFER_CHARS;
                buffer.delete(0, excess);
                droppedChars += excess;
            }
            if (buffer.length() >= FLUSH_THRESHOLD_CHARS) wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        while (true) {
            lock.lock();
            try {
                if (stopped) return;
                wake.await(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (stopped) return;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            sendBuffered(1);
        }
    }

    /**
     * Stops the background flushing and sends everything still buffered, in up to {@code attempts} tries.
     * Returns false when some output could not be delivered (server unreachable throughout). Idempotent.
     */
    boolean finish(int attempts) {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (flusher != null) {
            try {
                flusher.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return sendBuffered(attempts);
    }

    /** True once the server refused output for this run (it has moved on); later output is dropped. */
    boolean isGone() {
        return gone;
    }

    /** Sends the buffer in batches; true when it is empty afterwards (or the run is gone). */
    private boolean sendBuffered(int attempts) {
        sending.lock();
        try {
            for (int failures = 0; ; ) {
                String batch = takeBatch();
                if (batch == null) return true;
                if (gone) return true;
                try {
                    if (controlPlane.appendLogs(runUuid, batch) == Delivery.GONE) {
                        gone = true;
                        log.info("run {}: the server takes no more output for it (the run is over there); dropping the rest", runUuid);
                        clear();
                        return true;
                    }
                } catch (ControlPlaneUnavailableException | ControlPlaneException e) {
                    putBack(batch);
                    failures++;
                    if (failures >= attempts || Thread.currentThread().isInterrupted()) {
                        log.warn("run {}: cannot send output to the server yet: {}", runUuid, e.getMessage());
                        return false;
                    }
                    try {
                        Thread.sleep(retryPolicy.backoff(failures));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        } finally {
            sending.unlock();
        }
    }

    /** The next batch from the front of the buffer, never splitting a surrogate pair; null when empty. */
    private String takeBatch() {
        lock.lock();
        try {
            StringBuilder batch = new StringBuilder();
            if (droppedChars > 0) {
                batch.append("[galley: ").append(droppedChars).append(" characters of output were dropped while the server was unreachable]\n");
                droppedChars = 0;
            }
            int n = Math.min(buffer.length(), MAX_BATCH_CHARS - batch.length());
            if (n > 0 && n < buffer.length() && Character.isHighSurrogate(buffer.charAt(n - 1))) n--;
            batch.append(buffer, 0, n);
            buffer.delete(0, n);
            return batch.isEmpty() ? null : batch.toString();
        } finally {
            lock.unlock();
        }
    }

    private void putBack(String batch) {
        lock.lock();
        try {
            buffer.insert(0, batch);
        } finally {
            lock.unlock();
        }
    }

    private void clear() {
        lock.lock();
        try {
            buffer.setLength(0);
        } finally {
            lock.unlock();
        }
    }
}
