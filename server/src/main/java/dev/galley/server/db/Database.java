package dev.galley.server.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.galley.core.lifecycle.ReasonCode;
import java.sql.SQLException;
import java.sql.Types;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the JDBI handle factory, and the schema migrations that run at start. While the database
 * is out of reach, callers fail within seconds with an error {@link DatabaseOutage} recognises (a 503), and the
 * pool reconnects by itself when it is back.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long a request waits for a connection. Under load one is free within milliseconds; longer means trouble. */
    static final long CONNECTION_TIMEOUT_MS = 3_000;
    private final HikariDataSource pool;
    private final FailFastDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool) {
        this.pool = pool;
        this.dataSource = new FailFastDataSource(pool);
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        // Repositories map rows to records by column name; enums map by name, JSON columns to Jackson trees.
        jdbi.registerColumnMapper(JsonNode.class, (rs, column, ctx) -> json(rs.getString(column)));
        jdbi.registerColumnMapper(ObjectNode.class, (rs, column, ctx) -> (ObjectNode) json(rs.getString(column)));
        // A reason code written by a newer release is unknown here: it reads as none, the row stays readable.
        jdbi.registerColumnMapper(ReasonCode.class, (rs, column, ctx) -> ReasonCode.fromStored(rs.getString(column)));
        // JSON binds as its text; statements cast it (CAST(:payload AS jsonb)).
        jdbi.registerArgument(new AbstractArgumentFactory<JsonNode>(Types.VARCHAR) {
            @Override
            protected Argument build(JsonNode value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, StoredJson.text(value));
            }
        });
        this.jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logException(StatementContext context, SQLException ex) {
                // One broken connection means the server restarted or went away: all the others are broken too.
                // Evicting them now spares the requests that would each have found out on their own.
                if (DatabaseOutage.isCause(ex)) pool.getHikariPoolMXBean().softEvictConnections();
            }
        });
    }

    public static Database connect(String jdbcUrl, String user, String password, int poolSize) {
        var cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("galley");
        cfg.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        cfg.setValidationTimeout(1_000);
        // An unreachable host (no answer at all) fails a connection attempt after this many seconds, not the OS's minutes.
        cfg.addDataSourceProperty("connectTimeout", "2");
        // Prepared statements are cached server-side after a few uses; saves parse time on hot queries.
        cfg.addDataSourceProperty("prepareThreshold", "3");
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new Database(new HikariDataSource(cfg));
    }

    /** Applies every pending migration of {@code db/migration} on the classpath. */
    public void migrate() {
        var result = Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                .load().migrate();
        log.info("database schema at version {} ({} migration(s) applied)", result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    private static JsonNode json(String text) {
        return text == null ? null : StoredJson.read(text);
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
        pool.close();
    }
}
