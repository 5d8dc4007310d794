package dev.galley.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
        var failing = CompletableFuture.supplyAsync(() -> cli().run("cook", "wait-me", "--wait", "--poll", "100ms"));
        JsonNode a = node.next(10_000);
        node.runToExit(a, 3);
        CliRunner.Result failed = failing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(3);
        assertThat(failed.out()).contains("FAILED");
        assertThat(failed.out() + failed.err()).contains("EXIT_NONZERO");

        var completing = CompletableFuture.supplyAsync(() -> cli().run("cook", "wait-me", "--wait", "--poll", "100ms"));
        node.runToExit(node.next(10_000), 0);
        CliRunner.Result ok = completing.get(30, java.util.concurrent.TimeUnit.SECONDS);
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
        var following = CompletableFuture.supplyAsync(() -> cli().run("runs", "logs", run, "--follow"));
        Thread.sleep(1_000);
        assertThat(following).as("still following while the run runs").isNotDone();
        node.log(run, "second line\n");
        Thread.sleep(500);
        node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        CliRunner.Result r = following.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("first line\nsecond line\n");
    }
}
