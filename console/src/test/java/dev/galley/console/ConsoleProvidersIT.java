package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider pages over real HTTP (spec §10, §11): nodes with sparklines of their hardware events and reputation,
 * epochs with their reward rows as each key may see them. On a server of its own with a 1-second telemetry interval
 * and 3-second epochs finalized a second after they end, so rewards appear within seconds.
 */
class ConsoleProvidersIT {
    static GalleyServer server;
    static TestServer.Tenant provider;
    static TestServer.Tenant stranger;

    @BeforeAll
    static void start() {
        server = ConsoleServer.startWithProviders(Map.of("GALLEY_TELEMETRY_INTERVAL", "PT1S", "GALLEY_EPOCH_LENGTH", "PT3S",
                "GALLEY_EPOCH_SETTLE", "PT1S"));
        provider = ConsoleServer.provider(server);
        stranger = ConsoleServer.provider(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    WebClient signedIn(String keyPair) {
        var web = new WebClient(ConsoleServer.base(server));
        web.signIn(keyPair);
        return web;
    }

    /** The table row of the page marked {@code data-<kind>="<uuid>"}, or empty. */
    static Optional<String> row(String html, String kind, String uuid) {
        Matcher m = Pattern.compile("<tr data-" + kind + "=\"" + uuid + "\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Test
    void aNodeThatSentHardwareEventsHasASparklineOfTheLastHourAndANodeWithoutSamplesSaysSo() {
        SimulatedNode busy = Nodes.register(server, provider, "busy");
        SimulatedNode quiet = Nodes.register(server, provider, "quiet");
        SimulatedNode theirs = Nodes.register(server, stranger, "theirs");
        try {
            long now = System.currentTimeMillis();
            Nodes.sendLoad(busy, now - 7_200_000, 99, 200); // two hours ago: stored, but outside the drawing
            Nodes.sendLoad(busy, now - 1_800_000, 10, 64);
            Nodes.sendLoad(busy, now - 1_200_000, 40, 128);
            Nodes.sendLoad(busy, now - 600_000, 80, 192);
            Nodes.sendLoad(busy, now - 1_000, 25.5, 32);
            Nodes.sendLoad(theirs, now - 1_000, 50, 32);
            assertThat(provider.ok("GET", "/v1/nodes/" + busy.uuid + "/hardware-events", null, 200).get("data")).hasSize(5);

            String html = signedIn(provider.keyPair()).get("/console/nodes").body();
            String row = row(html, "node", busy.uuid).orElseThrow(() -> new AssertionError("no row for the node:\n" + html));
            JsonNode shown = provider.ok("GET", "/v1/nodes/" + busy.uuid, null, 200);
            JsonNode latest = shown.get("latest_hardware_event");
            assertThat(row).contains("<svg class=\"spark\"").contains("4 samples in the last hour")
                    .contains("CPU 25.5 % · RAM " + latest.get("ram_used_gb").asText() + " of " + latest.get("ram_total_gb").asText() + " GB");
            // CPU 10, 40, 80, 25.5 % in a box 24 high, oldest first, each at its time in the hour.
            assertThat(row).containsPattern("<polyline class=\"cpu\" points=\"[0-9.]+,21\\.6 [0-9.]+,14\\.4 [0-9.]+,4\\.8 [0-9.]+,17\\.9\">");
            // RAM 64, 128, 192, 32 of 256 GB: 25 %, 50 %, 75 %, 12.5 %.
            assertThat(row).containsPattern("<polyline class=\"ram\" points=\"[0-9.]+,18\\.0 [0-9.]+,12\\.0 [0-9.]+,6\\.0 [0-9.]+,21\\.0\">");
            assertThat(row).contains("class=\"num reputation\">" + shown.get("reputation").asText() + "<");

            String quietRow = row(html, "node", quiet.uuid).orElseThrow();
            assertThat(quietRow).contains("no samples yet").doesNotContain("<svg");
            assertThat(html).as("another account's node").doesNotContain(theirs.uuid);
            assertThat(html).as("drawn within the CSP: no inline style or script").doesNotContain(" style=").doesNotContain("<script>");
        } finally {
            busy.fallSilent();
            quiet.fallSilent();
            theirs.fallSilent();
        }
    }

    @Test
    void theEpochsPageListsEpochsAndEachKeySeesTheRewardsTheApiGivesIt() {
        String evil = "<img src=x onerror=alert('node')>";
        SimulatedNode mine = Nodes.register(server, provider, evil);
        SimulatedNode theirs = Nodes.register(server, stranger, "their-node");
        var operator = TestServer.client(server, TestServer.OPERATOR_KEY);
        try {
            // The first finalized epoch in which both nodes were online (each gets a row then).
            String epoch = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode finalized = TestServer.ok(TestServer.call(operator, "GET", "/v1/compute/epochs?limit=50&filter[status]=FINALIZED", null), 200);
                for (JsonNode e : finalized.get("data")) {
                    JsonNode rows = TestServer.ok(TestServer.call(operator, "GET", "/v1/compute/epochs/" + e.get("uuid").asText() + "/rewards?limit=50", null), 200);
                    String text = rows.toString();
                    if (text.contains(mine.uuid) && text.contains(theirs.uuid)) return Optional.of(e.get("uuid").asText());
                }
                return Optional.<String>empty();
            }, Optional::isPresent).orElseThrow();

            var web = signedIn(provider.keyPair());
            String list = web.get("/console/epochs").body();
            assertThat(row(list, "epoch", epoch)).as(list).hasValueSatisfying(r -> assertThat(r).contains("FINALIZED")
                    .contains("href=\"/console/epochs/" + epoch + "\""));

            var page = web.get("/console/epochs/" + epoch);
            assertThat(page.status()).isEqualTo(200);
            JsonNode reward = provider.ok("GET", "/v1/compute/epochs/" + epoch + "/rewards?filter[node_uuid]=" + mine.uuid, null, 200)
                    .get("data").get(0);
            String row = row(page.body(), "node", mine.uuid).orElseThrow(() -> new AssertionError(page.body()));
            assertThat(row).contains("&lt;img src=x onerror=alert(")
                    .contains("class=\"num total\">" + reward.get("total").asText() + "<");
            for (String field : List.of("assignable_hours", "worked_hours", "prep_hours", "multiplier", "availability_reward",
                    "execution_reward", "preparation_reward")) {
                assertThat(row).as(field).contains(">" + reward.get(field).asText() + "<");
            }
            assertThat(page.body()).doesNotContain(evil).as("another provider's node").doesNotContain(theirs.uuid);

            String all = signedIn(TestServer.OPERATOR_KEY).get("/console/epochs/" + epoch).body();
            assertThat(row(all, "node", mine.uuid)).isPresent();
            assertThat(row(all, "node", theirs.uuid)).hasValueSatisfying(r -> assertThat(r).contains("their-node"));
        } finally {
            mine.fallSilent();
            theirs.fallSilent();
        }
    }

    @Test
    void aKeyWithoutEpochsSaysSoAndABadEpochUrlIsNotFound() {
        var consumer = signedIn(ConsoleServer.tenant(server).keyPair());
        var list = consumer.get("/console/epochs");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("Your key may not see this.").contains("epochs.read.own");
        assertThat(consumer.get("/console/epochs/" + java.util.UUID.randomUUID()).status()).isEqualTo(403);

        var web = signedIn(provider.keyPair());
        assertThat(web.get("/console/epochs/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(web.get("/console/epochs/not-a-uuid").status()).isEqualTo(404);
    }
}
