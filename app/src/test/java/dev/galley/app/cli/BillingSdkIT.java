package dev.galley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.app.cli.CliRunner.Result;
import dev.galley.client.Galley;
import dev.galley.client.GalleyApiException;
import dev.galley.client.LedgerTransaction;
import dev.galley.client.ListQuery;
import dev.galley.client.Price;
import dev.galley.client.UsageSummary;
import dev.galley.core.billing.LedgerType;
import dev.galley.core.billing.UsageGrouping;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.math.BigDecimal;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's billing calls and the CLI's billing commands against the real server on real PostgreSQL. */
class BillingSdkIT {
    @TempDir java.nio.file.Path home;
    Tenant tenant;
    Galley galley;
    Galley operator;
    CliRunner cli = new CliRunner();
    final UUID job = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        tenant = TestServer.newTenant();
        galley = SdkFixtures.galley(tenant);
        operator = Galley.connect(TestServer.baseUrl(), dev.galley.client.ApiKeyPair.parse(TestServer.OPERATOR_KEY));
        cli.env.put("HOME", home.toString());
        cli.env.put("GALLEY_URL", TestServer.baseUrl().toString());
        cli.env.put("GALLEY_API_KEY", tenant.keyPair());
        // Two metered hours of one job, as the closer would have recorded them.
        try (var c = DriverManager.getConnection(TestDatabase.jdbcUrl()); var st = c.createStatement()) {
            for (String start : new String[] {"2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"}) {
                st.execute("""
                        INSERT INTO usage_records (uuid, account_uuid, job_uuid, job_run_uuid, node_uuid, provider_account_uuid,
                            period_start, period_end, seconds, gpu_name, gpu_count, cpu_count, ram_gb, storage_gb, price_per_hour, amount,
                            currency, created_at)
                        VALUES (gen_random_uuid(), '%s', '%s', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), '%s',
                                TIMESTAMPTZ '%s' + interval '1 hour', 3600, 'NVIDIA GeForce RTX 4090', 1, 1, 1, 0, 0.36, 0.36, 'USD', now())"""
                        .formatted(tenant.accountUuid(), job, start, start));
            }
        }
    }

    @Test
    void theSdkReadsAndWritesMoneyExactly() {
        LedgerTransaction grant = operator.billing().post(tenant.accountUuid().toString(), LedgerType.CREDIT_GRANT,
                new BigDecimal("10.1"), "sdk credit");
        assertThat(grant.balanceAfter()).isEqualByComparingTo("10.1");
        assertThat(galley.billing().balance().balance()).isEqualByComparingTo("10.100000");
        assertThat(galley.billing().ledger(ListQuery.defaults()).data()).singleElement()
                .satisfies(t -> assertThat(t.type()).isEqualTo(LedgerType.CREDIT_GRANT));
        assertThat(operator.billing().balance(tenant.accountUuid().toString()).balance()).isEqualByComparingTo("10.1");

        assertThat(galley.billing().usage(ListQuery.defaults().filter("job_uuid", job.toString())).data())
                .hasSize(2).allSatisfy(u -> assertThat(u.amount()).isEqualByComparingTo("0.36"));
        UsageSummary s = galley.billing().usageSummary(UsageGrouping.GPU_NAME, Instant.parse("2026-04-01T00:00:00Z"), null, 10);
        assertThat(s.groups()).singleElement().satisfies(g -> {
            assertThat(g.key()).isEqualTo("NVIDIA GeForce RTX 4090");
            assertThat(g.amount()).isEqualByComparingTo("0.72");
            assertThat(g.seconds()).isEqualTo(7200);
        });

        assertThat(galley.billing().pricesInForce()).hasSizeGreaterThanOrEqualTo(56)
                .anySatisfy(p -> assertThat(p.resource()).isEqualTo("cpu_core"));
        Price future = operator.billing().addPrice("gpu", "T4", new BigDecimal("0.21"), Instant.parse("2099-06-01T00:00:00Z"));
        assertThat(future.gpuName()).isEqualTo("Tesla T4");
        assertThat(future.amountPerHour()).isEqualByComparingTo("0.21");
        assertThatThrownBy(() -> galley.billing().addPrice("gpu", "T4", new BigDecimal("0.01"), null))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> operator.billing().post(tenant.accountUuid().toString(), LedgerType.CREDIT_GRANT,
                new BigDecimal("0.0000001"), null))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.errors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("amount")));
    }

    @Test
    void theCliShowsBalanceLedgerUsageAndPrices() {
        operator.billing().post(tenant.accountUuid().toString(), LedgerType.CREDIT_GRANT, new BigDecimal("5"), "cli credit");
        Result balance = cli.run("balance");
        assertThat(balance.exitCode()).as(balance.err()).isZero();
        assertThat(balance.out()).isEqualTo("5.000000 USD\n");
        Result ledger = cli.run("ledger");
        assertThat(ledger.out()).contains("CREDIT_GRANT").contains("cli credit");
        Result usage = cli.run("usage", "--group-by", "day", "--from", "2026-04-01", "--to", "2026-04-01");
        assertThat(usage.exitCode()).as(usage.err()).isZero();
        assertThat(usage.out().lines().toList()).containsExactly(
                "DAY         SECONDS  RECORDS  AMOUNT",
                "2026-04-01  7200     2        0.720000",
                "TOTAL       7200     2        0.720000 USD");
        Result records = cli.run("usage", "--job", job.toString(), "--json");
        assertThat(records.out()).contains("\"total\": 2");
        Result prices = cli.run("prices", "--resource", "cpu_core");
        assertThat(prices.out()).contains("cpu_core").contains("0.010000");
        Result denied = cli.run("ledger", "grant", "--account", tenant.accountUuid().toString(), "--amount", "1000");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.err()).contains("forbidden");
    }
}
