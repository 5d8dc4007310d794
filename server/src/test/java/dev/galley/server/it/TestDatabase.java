package dev.galley.server.it;

import dev.galley.server.db.EmbeddedPostgresLauncher;

/**
 * One real PostgreSQL per test JVM: embedded by default, or the server named by GALLEY_TEST_DATABASE_URL.
 * Tests isolate themselves by creating their own accounts, so nothing is truncated between them.
 */
public final class TestDatabase {
    private static String url;

    private TestDatabase() {}

    /** A database of its own, for tests that need a scheduler no other test's jobs can reach. */
    public static String fresh() {
        EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(null);
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
        return pg.jdbcUrlWithCredentials();
    }

    public static synchronized String jdbcUrl() {
        if (url == null) {
            String external = System.getenv("GALLEY_TEST_DATABASE_URL");
            if (external != null && !external.isBlank()) {
                url = external;
            } else {
                EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(null);
                Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
                url = pg.jdbcUrlWithCredentials();
            }
        }
        return url;
    }
}
