package dev.galley.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool, the JDBI handle factory, and the schema migrations that run at start. */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    public static Database connect(String jdbcUrl, String user, String password, int poolSize) {
        var cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("galley");
        cfg.setConnectionTimeout(10_000);
        // Prepared statements are cached server-side after a few uses; saves parse time on hot queries.
        cfg.addDataSourceProperty("prepareThreshold", "3");
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new Database(new HikariDataSource(cfg));
    }

    /** Applies every pending migration of {@code db/migration} on the classpath. */
    public void migrate() {
        var result = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .load().migrate();
        log.info("database schema at version {} ({} migration(s) applied)", result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public boolean isHealthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
