package dev.galley.server.db;

import dev.galley.server.config.ConfigException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real PostgreSQL server from the Maven artifact alone, with its data kept in
 * {@code <dataDir>/postgres} so jobs and keys survive a restart. Used when GALLEY_DATABASE_URL is unset.
 */
public final class EmbeddedPostgresLauncher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresLauncher(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with its data in {@code dataDir/postgres}; {@code dataDir == null} means a throwaway one. */
    public static EmbeddedPostgresLauncher start(Path dataDir) {
        try {
            var builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", dataDir == null ? "off" : "on");
            if (dataDir != null) {
                Path pgDir = dataDir.resolve("postgres");
                Files.createDirectories(pgDir);
                builder.setDataDirectory(pgDir).setCleanDataDirectory(false);
                // A fixed port would collide with a second server; pick one per start.
                log.info("starting embedded PostgreSQL with data in {}", pgDir);
            }
            return new EmbeddedPostgresLauncher(builder.start());
        } catch (IOException e) {
            throw new ConfigException("could not start the embedded PostgreSQL: " + e.getMessage()
                    + " (set GALLEY_DATABASE_URL to use an external server)", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
