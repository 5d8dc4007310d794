package dev.galley.server.db;

import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * How services reach the database: a unit of work gets a {@link Handle} and passes it to repositories, which
 * are the only classes that run statements on it. {@code inTransaction} commits all of the work or none of it;
 * {@code withHandle} runs each statement in its own transaction (single statements and reads).
 */
public final class Transactions {
    private final Jdbi jdbi;

    public Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <T> T inTransaction(Function<Handle, T> work) {
        return jdbi.inTransaction(work::apply);
    }

    /** A transaction at {@code level}: e.g. REPEATABLE_READ for several reads that must see one snapshot. */
    public <T> T inTransaction(TransactionIsolationLevel level, Function<Handle, T> work) {
        return jdbi.inTransaction(level, work::apply);
    }

    /**
     * A transaction whose COMMIT does not wait for its WAL to reach the disk ({@code synchronous_commit = off} for
     * this transaction only), for writes that are worth nothing after a crash: a heartbeat's {@code last_seen_at},
     * a load sample. PostgreSQL flushes them within {@code wal_writer_delay} (200 ms); a crash in between loses them
     * (the agent's next heartbeat writes them again) and never corrupts or reorders anything else. Never for work
     * a client was told is done: jobs, runs, money.
     */
    public <T> T inTransactionNotWaitingForDisk(Function<Handle, T> work) {
        return jdbi.inTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = off");
            return work.apply(h);
        });
    }

    public void useTransaction(Consumer<Handle> work) {
        jdbi.useTransaction(work::accept);
    }

    public <T> T withHandle(Function<Handle, T> work) {
        return jdbi.withHandle(work::apply);
    }

    public void useHandle(Consumer<Handle> work) {
        jdbi.useHandle(work::accept);
    }
}
