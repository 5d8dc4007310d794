package dev.galley.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ServerSocket;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** While nothing answers, only the first caller waits the pool's timeout; the others are told at once. */
class FailFastDataSourceTest {
    @Test
    void once_a_wait_ended_because_connections_were_refused_the_next_callers_fail_at_once() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here once the socket is closed
        }
        var cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
        cfg.setConnectionTimeout(500);
        cfg.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            var gate = new FailFastDataSource(pool);

            long t0 = System.nanoTime();
            assertThatThrownBy(gate::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .satisfies(e -> assertThat(DatabaseOutage.isCause(e)).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the first caller waits the timeout").isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(gate.isDown()).isTrue();

            for (int i = 0; i < 5; i++) { // well within RECHECK_AFTER (1 s), after which one caller probes again
                long t = System.nanoTime();
                assertThatThrownBy(gate::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("the database is unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - t)).as("later callers do not wait").isLessThan(Duration.ofMillis(100));
            }
        }
    }

    @Test
    void a_closed_pool_is_unavailable_not_a_bug() {
        HikariDataSource pool = new HikariDataSource();
        pool.close();
        assertThatThrownBy(() -> new FailFastDataSource(pool).getConnection())
                .satisfies(e -> assertThat(DatabaseOutage.isCause(e)).isTrue());
    }
}
