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
