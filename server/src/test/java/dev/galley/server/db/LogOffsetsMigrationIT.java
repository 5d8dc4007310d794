package dev.galley.server.db;

import dev.galley.server.it.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V13 moves run output from sequence numbers to byte offsets: a database with output written before it must come
 * out with every chunk's end offset, each run's total, nothing dropped, and the same order.
 */
class LogOffsetsMigrationIT {
    @Test
    void outputWrittenBeforeTheMigrationGetsItsOffsets() throws Exception {
        String url = TestDatabase.fresh();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("9").load().migrate();
        UUID run = UUID.randomUUID();
        UUID quiet = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (UUID r : List.of(run, quiet)) {
                st.execute("""
                        INSERT INTO job_runs (uuid, job_uuid, account_uuid, node_uuid, node_index, attempt, status, cpu_count,
                                              ram_gb, storage_gb, created_at, updated_at, assigned_at, log_bytes)
                        VALUES ('%s', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 0, 1, 'RUNNING', 1, 1, 1,
                                now(), now(), now(), 0)""".formatted(r));
            }
            for (String chunk : List.of("one\n", "zwei – два\n", "three\n")) {
                st.execute("INSERT INTO job_run_logs (job_run_uuid, chunk) VALUES ('%s', '%s')".formatted(run, chunk));
            }
        }

        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT end_offset, chunk FROM job_run_logs WHERE job_run_uuid = '" + run + "' ORDER BY end_offset")) {
                while (rs.next()) rows.add(rs.getLong(1) + ":" + rs.getString(2));
            }
            assertThat(rows).containsExactly("4:one\n", "20:zwei – два\n", "26:three\n"); // UTF-8 bytes, not characters
            try (ResultSet rs = st.executeQuery("SELECT uuid, log_bytes, log_start_offset FROM job_runs ORDER BY log_bytes")) {
                rs.next();
                assertThat(rs.getObject(1)).isEqualTo(quiet);
                assertThat(rs.getLong(2)).isZero();
                rs.next();
                assertThat(rs.getObject(1)).isEqualTo(run);
                assertThat(rs.getLong(2)).isEqualTo(26);
                assertThat(rs.getLong(3)).isZero();
            }
        }
    }
}
