package dev.galley.server.providers;

import dev.galley.server.db.DatabaseOutage;
import dev.galley.server.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current compute epoch's row and finalizes ended epochs once their settle time has passed, every
 * second on every replica (see {@link EpochService} for why that is safe).
 */
public final class EpochFinalizer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EpochFinalizer.class);
    private static final long PERIOD_MS = 1_000;
    private final EpochService epochs;
    private final Metrics metrics;
    private volatile boolean running = true;
    private final Thread thread;

    public EpochFinalizer(EpochService epochs, Metrics metrics) {
        this.epochs = epochs;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("galley-epochs").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                epochs.ensureCurrent();
                epochs.finalizeDue();
            } catch (Throwable t) {
                metrics.registry().counter("galley_epoch_finalizer_errors_total").increment();
                if (DatabaseOutage.isCause(t)) log.debug("epoch finalizer failed: the database is unavailable; retrying", t);
                else log.error("epoch finalizer failed; retrying", t);
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
