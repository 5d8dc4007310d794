package dev.galley.server.providers;

import dev.galley.server.db.PeriodicLoop;
import dev.galley.server.metrics.Metrics;

/**
 * Keeps the current compute epoch's row and finalizes ended epochs once their settle time has passed, every
 * second on every replica (see {@link EpochService} for why that is safe).
 */
public final class EpochFinalizer implements AutoCloseable {
    private final PeriodicLoop loop;

    public EpochFinalizer(EpochService epochs, Metrics metrics) {
        this.loop = new PeriodicLoop("galley-epochs", "epoch finalizer", 1_000, metrics, "galley_epoch_finalizer_errors_total", () -> {
            epochs.ensureCurrent();
            epochs.finalizeDue();
        });
    }

    @Override
    public void close() {
        loop.close();
    }
}
