package dev.galley.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `cook --wait` and `runs logs --follow` while a node really runs the job: a simulated node speaking the
 * node protocol over HTTP to a server of its own (so no other test's jobs can reach it).
 */
class WaitAndFollowIT {
    static GalleyServer server;
    static Tenant tenant;
    static SimulatedNode node;
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        tenant = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        node = SimulatedNode.register(SimulatedNode.nodeKey(server, tenant), "cli-node", "eu-west-1", 8, 32, 100, List.of()).keepAlive();
        home = Files.createTempDirectory("galley-cli-home");
        Path recipe = home.resolve("r.yaml");
        Files.writeString(recipe, """
                name: wait-me
                payload:
                  title: wait
                  task: BATCH
                  max_timeout_run_ms: 600000
                  parameters:
                    parameters:
                      image: busybox
                """);
        assertThat(cli().run("recipes", "create", "-f", recipe.toString()).exitCode()).isZero();
    }

    @AfterAll
    static void stop() {
        node.fallSilent();
        server.close();
    }

    static CliRunner cli() {
        CliRunner cli = new CliRunner();
        cli.env.put("HOME", home.toString());
        cli.env.put("GALLEY_URL", "http://127.0.0.1:" + server.port());
        cli.env.put("GALLEY_API_KEY", tenant.keyPair());
        return cli;
    }

    @Test
    void waitExitsNonZeroWhenTheJobFailsAndZeroWhenItCompletes() throws Exception {
        CliRunner.Running failing = cli().start("cook", "wait-me", "--wait", "--poll", "100ms");
        JsonNode a = node.next(10_000);
        node.runToExit(a, 3);
        CliRunner.Result failed = failing.result().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(3);
        assertThat(failed.out()).contains("FAILED");
        assertThat(failed.out() + failed.err()).contains("EXIT_NONZERO");

        CliRunner.Running completing = cli().start("cook", "wait-me", "--wait", "--poll", "100ms");
        node.runToExit(node.next(10_000), 0);
        CliRunner.Result ok = completing.result().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("COMPLETED");
    }

    @Test
    void logsFollowPrintsOutputAsItArrivesAndEndsWithTheRun() throws Exception {
        assertThat(cli().run("cook", "wait-me").exitCode()).isZero();
        JsonNode a = node.next(10_000);
        String run = a.at("/job_run/uuid").asText();
        node.reportOk(run, "{\"status\":\"PREPARING\"}");
        node.reportOk(run, "{\"status\":\"RUNNING\"}");
        node.log(run, "first line\n");
        CliRunner.Running following = cli().start("runs", "logs", run, "--follow");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(following.outSoFar()).isEqualTo("first line\n"));
        assertThat(following.result()).as("still following while the run runs").isNotDone();
        node.log(run, "second line\n");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(following.outSoFar()).isEqualTo("first line\nsecond line\n"));
        assertThat(following.result()).as("still following until the run ends").isNotDone();
        node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        CliRunner.Result r = following.result().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("first line\nsecond line\n");
    }
}
