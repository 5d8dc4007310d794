package dev.galley.server.db;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The pool, made to fail fast while the database is out of reach. Once a caller has waited the pool's whole
 * timeout because connections could not be made, the database is marked down: for the next
 * {@link #RECHECK_AFTER}, and until one caller's attempt (a probe, one at a time) gets a connection, every other
 * caller fails at once with "unavailable" (a 503) instead of each waiting out the timeout and piling up.
 */
final class FailFastDataSource implements DataSource {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(FailFastDataSource.class);
    static final Duration RECHECK_AFTER = Duration.ofSeconds(1);

    private final HikariDataSource pool;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** 0 while up; else when the database was marked down (System.nanoTime). */
    private volatile long downSince;
    private volatile long recheckAt;
    private volatile SQLException lastFailure;

    FailFastDataSource(HikariDataSource pool) {
        this.pool = pool;
    }

    boolean isDown() {
        return downSince != 0;
    }

    @Override
    public Connection getConnection() throws SQLException {
        // A request still running while the server shuts down (a long-poll, say): unavailable here, not a bug.
        if (pool.isClosed()) throw new SQLTransientConnectionException("the server is shutting down", "08003");
        if (downSince == 0) return connect(false);
        if (System.nanoTime() - recheckAt < 0 || !probing.compareAndSet(false, true)) {
            throw new SQLTransientConnectionException("the database is unavailable", "08001", lastFailure);
        }
        try {
            return connect(true);
        } finally {
            probing.set(false);
        }
    }

    private Connection connect(boolean probe) throws SQLException {
        try {
            Connection c = pool.getConnection();
            if (probe || downSince != 0) markUp();
            return c;
        } catch (SQLException e) {
            // A timeout caused by failing connection attempts is an outage; one with no cause is a busy pool.
            if (e.getCause() != null && DatabaseOutage.isCause(e.getCause())) markDown(e);
            throw e;
        }
    }

    private synchronized void markDown(SQLException e) {
        lastFailure = e;
        long now = System.nanoTime();
        recheckAt = now + RECHECK_AFTER.toNanos();
        if (downSince == 0) {
            downSince = now;
            log.warn("the database is unreachable ({}); requests answer 503 until it is back", rootMessage(e));
        }
    }

    private synchronized void markUp() {
        if (downSince == 0) return;
        log.info("the database is reachable again after {} ms", (System.nanoTime() - downSince) / 1_000_000);
        downSince = 0;
        lastFailure = null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
