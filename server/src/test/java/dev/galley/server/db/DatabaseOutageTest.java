package dev.galley.server.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are "the database is out of reach" (503) and which are bugs or bad input (500, 4xx). */
class DatabaseOutageTest {
    @Test
    void connection_failures_and_shutdowns_are_outages_wherever_they_sit_in_the_chain_of_causes() {
        assertThat(DatabaseOutage.isCause(new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))).isTrue(); // 08001
        assertThat(DatabaseOutage.isCause(new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE))).isTrue(); // 08006
        assertThat(DatabaseOutage.isCause(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLException("terminating connection because of crash of another server process", "57P02"))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLException("sorry, too many clients already", "53300"))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLTransientConnectionException("galley - Connection is not available"))).isTrue();
        assertThat(DatabaseOutage.isCause(new ConnectionException(new IllegalStateException("wrapped",
                new SQLException("Connection is closed", "08003"))))).isTrue();
    }

    @Test
    void constraint_violations_serialization_failures_and_bugs_are_not_outages() {
        assertThat(DatabaseOutage.isCause(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseOutage.isCause(new SQLException("could not serialize access", "40001"))).isFalse();
        assertThat(DatabaseOutage.isCause(new SQLException("no state"))).isFalse();
        assertThat(DatabaseOutage.isCause(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.isCause(new RuntimeException(new NullPointerException()))).isFalse();
    }
}
