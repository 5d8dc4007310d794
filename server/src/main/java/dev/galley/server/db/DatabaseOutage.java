package dev.galley.server.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a failure caused by the database being out of reach (stopped, restarting, crashed, unreachable, out of
 * connections) from every other failure: the former is a 503 the client may retry, the latter a bug (500).
 */
public final class DatabaseOutage {
    /**
     * SQLSTATEs of an outage: class 08 (connection exception: refused, broken, closed) and the "operator
     * intervention" codes a stopping or starting server sends: 57P01 admin_shutdown, 57P02 crash_shutdown,
     * 57P03 cannot_connect_now; plus 53300 too_many_connections.
     */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseOutage() {}

    /** True when {@code failure}, or anything in its chain of causes, says the database could not be reached. */
    public static boolean isCause(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            // Hikari's "no connection within connectionTimeout" (while the database is down, or the pool exhausted).
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException s && isOutageState(s.getSQLState())) return true;
        }
        return false;
    }

    static boolean isOutageState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || STATES.contains(sqlState));
    }
}
