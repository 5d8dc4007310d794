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

/** {@code galley nodes show|events}, {@code galley epochs} and {@code galley rewards [EPOCH]} against a stub API. */
class ProviderCommandsTest {
    private static final String NODE = "3f9a0c1e-0000-4000-8000-000000000001";
    private static final String EPOCH = "5b1c0c1e-0000-4000-8000-000000000002";
    private final StubApiServer server;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    ProviderCommandsTest() throws IOException {
        server = new StubApiServer();
        env.put("GALLEY_URL", server.url().toString());
        env.put("GALLEY_API_KEY", "pk_test_stub:sk_test_stub_secret");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(Class<?> command, String... args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(command, new CliFactory(new CliContext(env, o, e, new ByteArrayInputStream(new byte[0]), false)));
        cli.setOut(new java.io.PrintWriter(o, true));
        cli.setErr(new java.io.PrintWriter(e, true));
        return cli.execute(args);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final String EVENT = """
            {"uuid":"7d1c0c1e-0000-4000-8000-000000000003","object":"node_hardware_event","node_uuid":"%s",
             "timestamp_ms":1767225600000,"cpu_percent":12.5,"cpu_cores":32,"ram_used_gb":11.21,"ram_total_gb":62.81,
             "disk_used_gb":120.4,"disk_total_gb":915.82,"gpus":[{"index":0,"name":"NVIDIA GeForce RTX 4090",
             "utilization_percent":87,"vram_used_gb":20.13,"vram_total_gb":23.99,"temperature_c":64,"power_w":null}]}"""
            .formatted(NODE);

    @Test
    void nodesShowPrintsTheReputationAndTheLatestLoad() {
        server.answer(r -> Reply.json(200, """
                {"uuid":"%s","object":"node","name":"gpu-1","status":"ONLINE","region_code":"eu-west-1","reputation":66.78,
                 "last_seen_at":"2026-01-01T00:00:05.000Z","latest_hardware_event":%s}""".formatted(NODE, EVENT)));
        assertThat(run(NodesCommand.class, "show", NODE)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(server.last().path()).isEqualTo("/v1/nodes/" + NODE);
        assertThat(printed()).contains("66.78").contains("12.5 % of 32 cores").contains("11.21 / 62.81 GB")
                .contains("NVIDIA GeForce RTX 4090: 87 %").contains("64 °C, - W");
    }

    @Test
    void nodesShowSaysWhenThereIsNoSampleYet() {
        server.answer(r -> Reply.json(200, """
                {"uuid":"%s","object":"node","name":"new","status":"ONLINE","reputation":50,"latest_hardware_event":null}"""
                .formatted(NODE)));
        assertThat(run(NodesCommand.class, "show", NODE)).isZero();
        assertThat(printed()).contains("50").contains("no sample yet");
    }

    @Test
    void nodesEventsFiltersByTimeAndListsEachSample() {
        server.answer(r -> Reply.json(200, "{\"data\":[" + EVENT + "],\"page\":1,\"limit\":20,\"total\":1}"));
        assertThat(run(NodesCommand.class, "events", NODE, "--since-ms", "1767225600000")).isZero();
        assertThat(server.last().path()).isEqualTo("/v1/nodes/" + NODE + "/hardware-events");
        assertThat(java.net.URLDecoder.decode(server.last().rawQuery(), StandardCharsets.UTF_8))
                .contains("filter[timestamp_ms]=1767225600000," + Long.MAX_VALUE);
        assertThat(printed()).contains("2026-01-01T00:00:00Z").contains("12.5").contains("87");
        assertThat(run(NodesCommand.class, "events", NODE, "--since-ms", "-1")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void rewardsWithoutAnEpochShowTheNewestFinalizedOne() {
        server.answer(r -> r.path().endsWith("/rewards")
                ? Reply.json(200, """
                        {"data":[{"uuid":"8d1c0c1e-0000-4000-8000-000000000004","object":"node_epoch_reward","epoch_uuid":"%s",
                          "node_uuid":"%s","account_uuid":"9d1c0c1e-0000-4000-8000-000000000005","assignable_hours":"168.000000",
                          "worked_hours":"84.000000","prep_hours":"0.000000","multiplier":"1.00","availability_reward":"6.000000",
                          "execution_reward":"5.000000","preparation_reward":"0.000000","total":"11.000000"}],
                         "page":1,"limit":20,"total":1}""".formatted(EPOCH, NODE))
                : Reply.json(200, """
                        {"data":[{"uuid":"%s","object":"compute_epoch","starts_at":"2026-01-04T00:00:00.000Z",
                          "ends_at":"2026-01-11T00:00:00.000Z","status":"FINALIZED","finalized_at":"2026-01-11T00:01:00.000Z"}],
                         "page":1,"limit":1,"total":3}""".formatted(EPOCH)));
        assertThat(run(RewardsCommand.class)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(server.seen().get(0).path()).isEqualTo("/v1/compute/epochs");
        assertThat(java.net.URLDecoder.decode(server.seen().get(0).rawQuery(), StandardCharsets.UTF_8))
                .contains("filter[status]=FINALIZED").contains("sort=-created_at");
        assertThat(server.last().path()).isEqualTo("/v1/compute/epochs/" + EPOCH + "/rewards");
        assertThat(printed()).contains("11.000000").contains("1.00").contains(NODE);
    }

    @Test
    void rewardsBeforeAnyEpochIsFinalizedIsAnError() {
        server.answer(r -> Reply.json(200, "{\"data\":[],\"page\":1,\"limit\":1,\"total\":0}"));
        assertThat(run(RewardsCommand.class)).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no compute epoch has been finalized yet");
    }

    @Test
    void epochsListsThemWithTheirStatus() {
        server.answer(r -> Reply.json(200, """
                {"data":[{"uuid":"%s","object":"compute_epoch","starts_at":"2026-01-04T00:00:00.000Z",
                  "ends_at":"2026-01-11T00:00:00.000Z","status":"ACTIVE","finalized_at":null}],"page":1,"limit":20,"total":1}"""
                .formatted(EPOCH)));
        assertThat(run(EpochsCommand.class, "--status", "ACTIVE")).isZero();
        assertThat(java.net.URLDecoder.decode(server.last().rawQuery(), StandardCharsets.UTF_8)).contains("filter[status]=ACTIVE");
        assertThat(printed()).contains(EPOCH).contains("ACTIVE").contains("2026-01-04 00:00:00");
    }
}
