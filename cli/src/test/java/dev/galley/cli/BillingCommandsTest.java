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
import picocli.CommandLine.Command;

/** {@code galley usage | balance | ledger | prices} against a stub API: what they ask and how they print it. */
class BillingCommandsTest {
    @Command(name = "galley", subcommands = {UsageCommand.class, BalanceCommand.class, LedgerCommand.class, PricesCommand.class})
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    private final StubApiServer server;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    BillingCommandsTest() throws IOException {
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
        CommandLine cli = new CommandLine(new Root(), new CliFactory(new CliContext(env, o, e, new ByteArrayInputStream(new byte[0]), false)));
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

    static final String SUMMARY = """
            {"object":"usage_summary","group_by":"day","currency":"USD","account_uuid":null,"period_start_from":null,"period_start_to":null,
             "data":[{"key":"2026-04-01","seconds":7200,"amount":"5.000000","records":2},{"key":"2026-04-02","seconds":2400,"amount":"1.260000","records":2}],
             "totals":{"seconds":9600,"amount":"6.260000","records":4},"truncated":true}""";

    @Test
    void usageGroupedByDayPrintsATableWithTheTotal() {
        server.answer(r -> Reply.json(200, SUMMARY));
        assertThat(run("usage", "--group-by", "day", "--from", "2026-04-01", "--to", "2026-04-02", "--limit", "2")).isZero();
        assertThat(server.last().path()).isEqualTo("/v1/usage/summary");
        assertThat(server.last().rawQuery()).contains("group_by=day").contains("limit=2")
                .contains("2026-04-01T00%3A00%3A00Z%2C2026-04-02T23%3A59%3A59.999Z");
        assertThat(out().lines().toList()).containsExactly(
                "DAY         SECONDS  RECORDS  AMOUNT",
                "2026-04-01  7200     2        5.000000",
                "2026-04-02  2400     2        1.260000",
                "TOTAL       9600     4        6.260000 USD");
        assertThat(err()).contains("--limit N for more");
    }

    @Test
    void usageByGpuNamesCpuOnlyUsageAndJsonPrintsTheAnswerUnchanged() {
        server.answer(r -> Reply.json(200, SUMMARY.replace("\"group_by\":\"day\"", "\"group_by\":\"gpu_name\"")
                .replace("\"key\":\"2026-04-02\"", "\"key\":null")));
        assertThat(run("usage", "--group-by", "gpu")).isZero();
        assertThat(server.last().rawQuery()).isEqualTo("group_by=gpu_name");
        assertThat(out()).contains("(no GPU)");
        out.reset();
        assertThat(run("usage", "--group-by", "job", "--json")).isZero();
        assertThat(out()).contains("\"truncated\": true");
    }

    @Test
    void usageRecordsAreListedWithTheirFilters() {
        server.answer(r -> Reply.json(200, """
                {"data":[{"uuid":"u1","period_start":"2026-04-01T10:00:00.000Z","seconds":3600,"gpu_name":"NVIDIA H100 80GB HBM3",
                  "price_per_hour":"2.500000","amount":"2.500000","currency":"USD","job_uuid":"j1","job_run_uuid":"r1"}],
                 "page":1,"limit":20,"total":1}"""));
        assertThat(run("usage", "--job", "j1", "--from", "2026-04-01")).isZero();
        assertThat(server.last().path()).isEqualTo("/v1/usage");
        assertThat(server.last().rawQuery()).contains("filter%5Bjob_uuid%5D=j1").contains("filter%5Bperiod_start%5D=2026-04-01T00%3A00%3A00Z");
        assertThat(out()).contains("2026-04-01 10:00:00  3600").contains("2.500000  USD");
    }

    @Test
    void badUsageOptionsAreUsageErrorsBeforeAnyRequest() {
        assertThat(run("usage", "--group-by", "week")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("usage", "--group-by", "day", "--job", "j1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("usage", "--from", "April")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("usage", "--from", "2026-05-01", "--to", "2026-04-01")).isEqualTo(ExitCodes.USAGE);
        assertThat(server.seen()).isEmpty();
        assertThat(err()).contains("--group-by must be day, job or gpu").contains("--from must be a date");
    }

    @Test
    void balancePrintsTheAmountAndItsCurrency() {
        server.answer(r -> Reply.json(200, "{\"object\":\"balance\",\"account_uuid\":\"a1\",\"balance\":\"-1.250000\",\"currency\":\"USD\",\"billing_exempt\":false}"));
        assertThat(run("balance")).isZero();
        assertThat(out()).isEqualTo("-1.250000 USD\n");
        out.reset();
        assertThat(run("balance", "-q", "--account", "a1")).isZero();
        assertThat(out()).isEqualTo("-1.250000\n");
        assertThat(server.last().rawQuery()).isEqualTo("account_uuid=a1");
    }

    @Test
    void ledgerListsAndGrantSendsADecimalStringWithAnIdempotencyKey() {
        server.answer(r -> r.method().equals("GET")
                ? Reply.json(200, "{\"data\":[{\"uuid\":\"t1\",\"type\":\"USAGE_CHARGE\",\"amount\":\"-0.003084\",\"balance_after\":\"9.996916\","
                        + "\"currency\":\"USD\",\"description\":\"usage of job j1\",\"created_at\":\"2026-04-01T10:00:01.000Z\"}],\"page\":1,\"limit\":20,\"total\":1}")
                : Reply.json(201, "{\"uuid\":\"t2\",\"type\":\"CREDIT_GRANT\",\"amount\":\"50.000000\",\"balance_after\":\"59.996916\",\"currency\":\"USD\"}"));
        assertThat(run("ledger", "--type", "usage_charge")).isZero();
        assertThat(server.last().rawQuery()).contains("filter%5Btype%5D=USAGE_CHARGE");
        assertThat(out()).contains("USAGE_CHARGE  -0.003084  9.996916");
        assertThat(run("ledger", "grant", "--account", "a1", "--amount", "50")).isZero();
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).contains("\"amount\":\"50\"").contains("\"type\":\"CREDIT_GRANT\"");
        assertThat(server.last().header("Idempotency-Key")).isNotBlank();
        assertThat(run("ledger", "grant", "--account", "a1", "--amount", "fifty")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void pricesShowsTheCardInForceSortedAndSetAddsAVersion() {
        server.answer(r -> r.method().equals("GET") ? Reply.json(200, """
                {"data":[{"uuid":"p2","resource":"gpu","gpu_name":"NVIDIA H100 80GB HBM3","amount_per_hour":"2.500000","currency":"USD",
                          "effective_from":"1970-01-01T00:00:00.000Z"},
                         {"uuid":"p1","resource":"cpu_core","gpu_name":null,"amount_per_hour":"0.010000","currency":"USD",
                          "effective_from":"1970-01-01T00:00:00.000Z"},
                         {"uuid":"p3","resource":"gpu","gpu_name":null,"amount_per_hour":"0.500000","currency":"USD",
                          "effective_from":"1970-01-01T00:00:00.000Z"}],"page":1,"limit":50,"total":3}""")
                : Reply.json(201, "{\"uuid\":\"p4\",\"resource\":\"gpu\",\"gpu_name\":\"NVIDIA GeForce RTX 4090\",\"amount_per_hour\":\"0.400000\"}"));
        assertThat(run("prices")).isZero();
        var lines = out().lines().toList();
        assertThat(lines.get(1)).startsWith("cpu_core");
        assertThat(lines.get(2)).contains("(any other model)");
        assertThat(lines.get(3)).contains("NVIDIA H100 80GB HBM3");
        assertThat(run("prices", "set", "--resource", "gpu", "--gpu", "RTX 4090", "--amount", "0.40")).isZero();
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).contains("\"amount_per_hour\":\"0.40\"").contains("\"gpu_name\":\"RTX 4090\"");
        assertThat(run("prices", "set", "--resource", "gpu", "--amount", "0.4", "--from", "tomorrow")).isEqualTo(ExitCodes.USAGE);
    }
}
