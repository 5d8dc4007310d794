package dev.galley.app.e2e;

import dev.galley.app.bench.ServerProcess;
import dev.galley.server.db.EmbeddedPostgresLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spec §8, operator key hygiene, read where an operator's secrets would leak: everything {@code galley server}
 * writes to stdout and stderr (a service's log) over two starts on one data dir, PostgreSQL's own log, and the
 * modes of the files that hold keys.
 */
class OperatorKeyHygieneIT {
    @TempDir
    Path work;

    @Test
    void the_generated_operator_secret_is_printed_once_in_all_of_two_starts_output_and_the_key_files_are_0600() throws Exception {
        EmbeddedServer setup = new EmbeddedServer(work, Map.of(), List.of("--no-local-node"));
        String firstOutput = runAndStop(setup, "first");
        String operatorKey = Files.readString(setup.dataDir.resolve("operator.key")).strip();
        String publicKey = operatorKey.substring(0, operatorKey.indexOf(':'));
        String secret = operatorKey.substring(operatorKey.indexOf(':') + 1);
        String secondOutput = runAndStop(setup, "second");

        assertThat(occurrences(firstOutput + secondOutput, secret)).as("the secret in both starts' stdout and stderr").isEqualTo(1);
        assertThat(firstOutput).contains(secret);
        assertThat(secondOutput).doesNotContain(secret).contains(publicKey).contains(setup.dataDir.resolve("operator.key").toString());

        String dbPassword = Files.readString(setup.dataDir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE)).strip();
        String masterKey = Files.readString(setup.dataDir.resolve("master.key")).strip();
        String postgresLog = Files.readString(setup.dataDir.resolve(EmbeddedPostgresLauncher.LOG_FILE));
        for (String secretValue : List.of(dbPassword, masterKey)) {
            assertThat(firstOutput + secondOutput).doesNotContain(secretValue);
        }
        for (String secretValue : List.of(dbPassword, masterKey, secret)) {
            assertThat(postgresLog).doesNotContain(secretValue);
        }

        assertThat(mode(setup.dataDir)).isEqualTo("rwx------");
        for (String file : List.of("master.key", "operator.key", EmbeddedPostgresLauncher.PASSWORD_FILE)) {
            assertThat(mode(setup.dataDir.resolve(file))).as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void a_key_given_in_galley_bootstrap_key_is_never_printed() throws Exception {
        String secret = "sk_" + "b".repeat(40);
        EmbeddedServer setup = new EmbeddedServer(work, Map.of("GALLEY_BOOTSTRAP_KEY", "pk_givenoperator01:" + secret), List.of("--no-local-node"));
        String output = runAndStop(setup, "given");
        assertThat(output).contains("pk_givenoperator01").doesNotContain(secret).doesNotContain("b".repeat(16));
    }

    @Test
    @Tag("containers")
    void the_local_node_key_is_0600_and_never_printed() throws Exception {
        EmbeddedServer setup = new EmbeddedServer(work, Map.of("GALLEY_LOCAL_NODE_RUNTIME", "podman"), List.of());
        ServerProcess server = setup.start("with-node");
        try (server) {
            server.awaitHealthy(Duration.ofSeconds(180));
            await().atMost(Duration.ofSeconds(60)).until(() -> EmbeddedServer.output(server).contains("Local node 'local'"));
        }
        Path nodeKey = setup.dataDir.resolve("local-node.key");
        assertThat(mode(nodeKey)).isEqualTo("rw-------");
        String pair = Files.readString(nodeKey).strip();
        assertThat(EmbeddedServer.output(server)).doesNotContain(pair.substring(pair.indexOf(':') + 1));
    }

    /** One start to a healthy, welcomed server, then a clean stop (SIGTERM); returns its stdout and stderr. */
    private static String runAndStop(EmbeddedServer setup, String name) {
        ServerProcess server = setup.start(name);
        try (server) {
            server.awaitHealthy(Duration.ofSeconds(180));
            await().atMost(Duration.ofSeconds(30)).until(() -> EmbeddedServer.output(server).contains("./galley api GET"));
        }
        return EmbeddedServer.output(server);
    }

    private static int occurrences(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
