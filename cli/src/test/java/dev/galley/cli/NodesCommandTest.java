package dev.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.client.StubApiServer;
import dev.galley.client.StubApiServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code galley nodes drain|resume NODE}: one signed PATCH with the status, the node printed, errors as exit codes. */
class NodesCommandTest {
    private static final String NODE = "3f9a0c1e-0000-4000-8000-000000000001";
    private final StubApiServer server;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    NodesCommandTest() throws IOException {
        server = new StubApiServer();
        env.put("GALLEY_URL", server.url().toString());
        env.put("GALLEY_API_KEY", "pk_test_stub:sk_test_stub_secret");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(NodesCommand.class, new CliFactory(new CliContext(env, o, e, new ByteArrayInputStream(new byte[0]), false)));
        cli.setOut(new java.io.PrintWriter(o, true));
        cli.setErr(new java.io.PrintWriter(e, true));
        return cli.execute(args);
    }

    private static Reply node(String status) {
        return Reply.json(200, """
                {"uuid":"%s","object":"node","name":"gpu-1","status":"%s","region_code":"eu-west-1",
                 "cpus":[{"name":"cpu","num_cores":8}],"gpus":[],"rams":[{"memory_gb_max":64}],"last_seen_at":null}"""
                .formatted(NODE, status));
    }

    @Test
    void drainAndResumePatchTheNodesStatusAndPrintTheNode() {
        server.answer(r -> node("DRAINING"));
        assertThat(run("drain", NODE)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(server.last().method()).isEqualTo("PATCH");
        assertThat(server.last().path()).isEqualTo("/v1/nodes/" + NODE);
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"DRAINING\"}");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("gpu-1").contains("DRAINING");

        server.answer(r -> node("ONLINE"));
        assertThat(run("resume", NODE)).isZero();
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"ONLINE\"}");
    }

    @Test
    void anOfflineNodeIsAnErrorAndANameIsAUsageError() {
        server.answer(r -> Reply.json(409, "{\"error\":{\"type\":\"conflict\",\"message\":\"node is OFFLINE\",\"request_id\":\"req_1\"}}"));
        assertThat(run("resume", NODE)).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("conflict: node is OFFLINE");

        int before = server.seen().size();
        assertThat(run("drain", "gpu-1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("NODE must be a node uuid");
        assertThat(server.seen()).as("nothing was sent").hasSize(before);
    }
}
