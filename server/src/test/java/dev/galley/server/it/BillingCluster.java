package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.billing.BillingMode;
import dev.galley.server.GalleyServer;
import dev.galley.server.config.BillingConfig;
import dev.galley.server.it.TestServer.Tenant;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A control plane of its own for the metering tests (own PostgreSQL, node TTL 2 s, a metering period of a few
 * seconds instead of an hour), with simulated nodes in a region per test so tests never take each other's jobs.
 * Shared by the billing test classes of one JVM; a class that needs other billing settings starts its own.
 */
final class BillingCluster {
    static final long TTL_MS = 2_000;
    static final Duration PERIOD = Duration.ofSeconds(4);

    final String db;
    final GalleyServer server;
    private final AtomicInteger regions = new AtomicInteger();

    private static BillingCluster shared;

    private BillingCluster(BillingMode mode, Duration period) {
        this.db = TestDatabase.fresh();
        this.server = TestServer.start(db, TTL_MS, c -> c.withRateLimitRps(0)
                .withBilling(BillingConfig.DEFAULT.withMode(mode).withMeteringPeriod(period)));
    }

    /** The shared cluster: GALLEY_BILLING=record, metering period {@link #PERIOD}. */
    static synchronized BillingCluster shared() {
        if (shared == null) {
            shared = new BillingCluster(BillingMode.RECORD, PERIOD);
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::close));
        }
        return shared;
    }

    /** A cluster of its own (the caller closes its server). */
    static BillingCluster start(BillingMode mode, Duration period) {
        return new BillingCluster(mode, period);
    }

    String region() {
        return dev.galley.core.spec.RegionCodes.ALL.get(regions.getAndIncrement());
    }

    Tenant tenant() {
        return TestServer.newTenant(server, List.of("preset:compute_consumer"));
    }

    dev.galley.client.GalleyClient operator() {
        return TestServer.client(server, TestServer.OPERATOR_KEY);
    }

    /** A heartbeating node of {@code provider}'s account in {@code region}. */
    SimulatedNode node(Tenant provider, String region, int cores, List<String[]> gpus) {
        return SimulatedNode.register(SimulatedNode.nodeKey(server, provider), "node-" + TestServer.randomHex(8), region, cores,
                256, 1000, gpus).keepAlive();
    }

    /** Grants credit to an account through the API, as an operator would. */
    JsonNode grant(Tenant to, String amount) {
        return TestServer.ok(TestServer.call(operator(), "POST", "/v1/compute/ledger/transactions",
                "{\"account_uuid\":\"" + to.accountUuid() + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"" + amount
                        + "\",\"description\":\"test credit\"}"), 201);
    }

    /** Creates a job in {@code region} and brings its (single) run to RUNNING on {@code node}; returns the run. */
    JsonNode startRun(Tenant consumer, SimulatedNode node, String region, String task, String extra) {
        String timeout = task.equals("BATCH") ? "\"max_timeout_run_ms\":3600000," : "";
        String body = """
                {"title":"metered","task":"%s",%s"allowed_region_codes":["%s"]%s,
                 "parameters":{"parameters":{"image":"busybox"}}}""".formatted(task, timeout, region, extra.isEmpty() ? "" : "," + extra);
        JsonNode job = consumer.ok("POST", "/v1/jobs", body, 201);
        JsonNode a = node.next(10_000);
        assertThat(a.at("/job_run/job_uuid").asText()).isEqualTo(job.get("uuid").asText());
        String run = a.at("/job_run/uuid").asText();
        node.reportOk(run, "{\"status\":\"PREPARING\"}");
        node.reportOk(run, "{\"status\":\"RUNNING\"}");
        return consumer.ok("GET", "/v1/job-runs/" + run, null, 200);
    }

    /** The usage records of a run, oldest period first, once {@code ready} holds for them. */
    static List<JsonNode> awaitUsage(Tenant reader, String run, java.util.function.Predicate<List<JsonNode>> ready) {
        var found = new java.util.concurrent.atomic.AtomicReference<List<JsonNode>>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode page = reader.ok("GET", "/v1/usage?limit=50&sort=created_at&filter[job_run_uuid]=" + run, null, 200);
            var list = new java.util.ArrayList<JsonNode>();
            page.get("data").forEach(list::add);
            list.sort(java.util.Comparator.comparing(u -> u.get("period_start").asText()));
            found.set(list);
            return ready.test(list);
        });
        return found.get();
    }

    Connection sql() throws SQLException {
        return DriverManager.getConnection(db);
    }
}
