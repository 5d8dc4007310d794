package dev.galley.server.db;

import dev.galley.server.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background task run every {@code periodMs} on a thread of its own until closed: a failure is counted and logged
 * (quietly while the database is away, which the pool reports once) and the task runs again next period.
 */
public final class PeriodicLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicLoop.class);
    private final Thread thread;
    private volatile boolean running = true;

    public PeriodicLoop(String thread, String what, long periodMs, Metrics metrics, String errorCounter, Runnable task) {
        this.thread = Thread.ofPlatform().name(thread).daemon().start(() -> {
            while (running) {
                try {
                    task.run();
                } catch (Throwable t) {
                    metrics.registry().counter(errorCounter).increment();
                    if (DatabaseOutage.isCause(t)) log.debug("{} failed: the database is unavailable; retrying", what, t);
                    else log.error("{} failed; retrying", what, t);
                }
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
