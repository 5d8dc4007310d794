package dev.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.client.StubApiServer;
import dev.galley.client.StubApiServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ApiCommandTest {
    private final StubApiServer server;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private byte[] stdin = new byte[0];

    ApiCommandTest() throws IOException {
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
        CommandLine cli = new CommandLine(ApiCommand.class, new CliFactory(new CliContext(env, o, e, new ByteArrayInputStream(stdin), false)));
        // As the root galley command must: picocli would otherwise expand "@file" itself (see ApiCommand).
        cli.setExpandAtFiles(false);
        cli.setOut(new java.io.PrintWriter(o, true));
        cli.setErr(new java.io.PrintWriter(e, true));
        return cli.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void getPrintsPrettyJsonAndExitsZero() {
        server.answer(r -> Reply.json(200, "{\"data\":[{\"uuid\":\"u1\",\"tags\":[]}],\"page\":1,\"meta\":{}}"));
        assertThat(run("get", "/v1/jobs?filter[status]=RUNNING&page=1")).isEqualTo(0);
        assertThat(out()).isEqualTo("""
                {
                  "data": [
                    {
                      "uuid": "u1",
                      "tags": []
                    }
                  ],
                  "page": 1,
                  "meta": {}
                }
                """);
        assertThat(err()).isEmpty();
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().rawQuery()).isEqualTo("filter[status]=RUNNING&page=1");
    }

    @Test
    void dataInlineIsSentRawWithHeaders() {
        assertThat(run("POST", "/v1/jobs", "--data", "{\"title\": \"t\"}", "-H", "Idempotency-Key: abc",
                "-H", "X-Extra:  spaced  ")).isEqualTo(0);
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"title\": \"t\"}");
        assertThat(server.last().header("Idempotency-Key")).isEqualTo("abc");
        assertThat(server.last().header("X-Extra")).isEqualTo("spaced");
        assertThat(server.last().header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void dataFromFileAndFromStdin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.json");
        Files.writeString(file, "{\"from\":\"file\"}");
        assertThat(run("POST", "/v1/jobs", "-d", "@" + file)).isEqualTo(0);
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"from\":\"file\"}");

        stdin = "{\"from\":\"stdin\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(run("PUT", "/v1/jobs/x/cancel", "--data", "@-")).isEqualTo(0);
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"from\":\"stdin\"}");
    }

    @Test
    void includePrintsStatusAndHeaders() {
        assertThat(run("GET", "/v1/jobs", "--include")).isEqualTo(0);
        assertThat(out()).startsWith("HTTP/1.1 200\n").containsIgnoringCase("x-request-id: req-1").contains("\"ok\": true");
    }

    @Test
    void errorStatusPrintsBodyAndExitsOne() {
        server.answer(r -> Reply.json(404, "{\"error\":{\"type\":\"not_found\",\"message\":\"no such job\"}}"));
        assertThat(run("GET", "/v1/jobs/nope")).isEqualTo(1);
        assertThat(out()).contains("\"type\": \"not_found\"");
        assertThat(err()).contains("HTTP 404 not_found: no such job").contains("request id req-1");
    }

    @Test
    void badSignatureShowsTheServersCanonicalString() {
        env.put("GALLEY_API_KEY", "pk_test_stub:sk_wrong");
        assertThat(run("GET", "/v1/jobs?b=2&a=1")).isEqualTo(1);
        assertThat(out()).contains("canonical_string").contains("|GET|/v1/jobs|a=1&b=2|");
    }

    @Test
    void nonJsonBodyIsPrintedAsIs() {
        server.answer(r -> new Reply(200, "text/plain", "plain log\n"));
        assertThat(run("GET", "/v1/job-runs/x/logs")).isEqualTo(0);
        assertThat(out()).isEqualTo("plain log\n");
    }

    @Test
    void missingKeyIsAUsageErrorThatSaysHowToSetIt() {
        env.remove("GALLEY_API_KEY");
        assertThat(run("GET", "/v1/jobs")).isEqualTo(2);
        assertThat(err()).contains("GALLEY_API_KEY is not set").contains("export GALLEY_API_KEY=pk_").doesNotContain("Exception");
        assertThat(err().lines()).hasSize(1);
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void malformedKeyIsAUsageErrorWithoutTheSecret() {
        env.put("GALLEY_API_KEY", "sk_verysecret");
        assertThat(run("GET", "/v1/jobs")).isEqualTo(2);
        assertThat(err()).contains("GALLEY_API_KEY:").contains("pk_…:sk_…").doesNotContain("verysecret");
    }

    @Test
    void optionsOverrideTheEnvironment() {
        env.put("GALLEY_URL", "http://127.0.0.1:1");
        env.remove("GALLEY_API_KEY");
        assertThat(run("GET", "/v1/jobs", "--url", server.url().toString(), "--api-key",
                "pk_test_stub:sk_test_stub_secret")).isEqualTo(0);
        assertThat(server.seen()).hasSize(1);
    }

    @Test
    void badUrlIsAUsageError() {
        env.put("GALLEY_URL", "localhost:8080");
        assertThat(run("GET", "/v1/jobs")).isEqualTo(2);
        assertThat(err()).contains("GALLEY_URL 'localhost:8080' is not usable");
    }

    @Test
    void unreachableServerExitsOneWithAHint() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        env.put("GALLEY_URL", "http://127.0.0.1:" + port);
        assertThat(run("GET", "/v1/jobs")).isEqualTo(1);
        assertThat(err()).contains("cannot connect").contains("GALLEY_URL").doesNotContain("\tat ");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("GET")).isEqualTo(2);
        assertThat(run("GET", "v1/jobs")).isEqualTo(2);
        assertThat(err()).contains("start with '/'");
        assertThat(run("G ET", "/v1/jobs")).isEqualTo(2);
        assertThat(run("GET", "/v1/jobs", "-H", "no colon")).isEqualTo(2);
        assertThat(err()).contains("bad header 'no colon'");
        assertThat(run("GET", "/v1/jobs", "-H", "Host: evil")).isEqualTo(2);
        assertThat(run("POST", "/v1/jobs", "-d", "@/nonexistent/file.json")).isEqualTo(2);
        assertThat(err()).contains("cannot read the --data file '/nonexistent/file.json'");
        assertThat(run("POST", "/v1/jobs", "-d", "@")).isEqualTo(2);
        assertThat(err()).doesNotContain("\tat ");
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void helpExitsZero() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).contains("GALLEY_API_KEY").contains("--data");
    }
}
