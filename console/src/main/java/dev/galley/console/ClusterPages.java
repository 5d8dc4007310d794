package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pages over what the account's key may see of the cluster and of money: /console/nodes, /console/gpus,
 * /console/billing, and the operators' /console/accounts, /console/prices. Parts whose API a server does not have
 * (it answers 404 for the endpoint) say so instead of failing the page. (/console/epochs: {@link EpochPages}.)
 */
final class ClusterPages {
    /** Nodes per page: each costs one hardware-events call for its sparkline. */
    static final int NODES_PER_PAGE = 20;
    /** The time a node's sparkline covers. */
    static final Duration LOAD_WINDOW = Duration.ofHours(1);

    private final Web web;
    private final Clock clock;

    ClusterPages(Web web, Clock clock) {
        this.web = web;
        this.clock = clock;
    }

    void register() {
        web.get("/console/nodes", this::nodes);
        web.get("/console/gpus", (ctx, s, api) -> web.page(ctx, 200, "gpus.jte", Web.params("frame", web.frame(s, "GPUs", "gpus"),
                "gpus", api.get("/v1/gpu-registry?limit=50"))));
        web.get("/console/billing", this::billing);
        web.get("/console/accounts", (ctx, s, api) -> sections(ctx, s, api, "Accounts", "accounts",
                "Accounts", "/v1/accounts?limit=50&page=" + JobPages.page(ctx)));
        web.get("/console/prices", (ctx, s, api) -> sections(ctx, s, api, "Prices", "prices",
                "Prices", "/v1/prices"));
    }

    /**
     * A page of nodes, each with a sparkline of its load over the last hour: one hardware-events call per node
     * whose newest sample falls in that hour (the node object carries it), none for the others.
     */
    private void nodes(Context ctx, Session s, GalleyClient api) {
        int page = JobPages.page(ctx);
        JsonNode nodes = api.get("/v1/nodes?limit=" + NODES_PER_PAGE + "&page=" + page);
        long to = clock.millis();
        long from = to - LOAD_WINDOW.toMillis();
        Map<String, Sparkline> load = new HashMap<>();
        for (JsonNode n : nodes.path("data")) load.put(n.path("uuid").asText(), recentLoad(api, n, from, to));
        web.page(ctx, 200, "nodes.jte", Web.params("frame", web.frame(s, "Nodes", "nodes"), "nodes", nodes, "load", load,
                "page", page, "pageSize", NODES_PER_PAGE));
    }

    /** The node's sparkline; null when its hardware events could not be read. */
    private static Sparkline recentLoad(GalleyClient api, JsonNode node, long from, long to) {
        JsonNode latest = node.path("latest_hardware_event");
        if (!latest.isObject() || latest.path("timestamp_ms").asLong() < from) return Sparkline.NONE;
        // Newest first, so when the hour holds more samples than a page (50) the drawing keeps the most recent.
        ApiResponse r = api.send("GET", "/v1/nodes/" + node.path("uuid").asText() + "/hardware-events?limit=50&filter[timestamp_ms]="
                + from + "," + to, null, Map.of());
        if (r.status() == 401) throw new GalleyApiException(r);
        // A node deleted since the list was read (404), or any other refusal: null, "not available"; the page still shows.
        return r.status() == 200 ? Sparkline.of(r.json().path("data"), from, to) : null;
    }

    /** Balance, spend per day (up to 100 days) and per GPU model as charts, and the ledger. */
    private void billing(Context ctx, Session s, GalleyClient api) {
        Section byDay = load(api, "/v1/usage/summary?group_by=day");
        Section byGpu = load(api, "/v1/usage/summary?group_by=gpu_name&limit=20");
        web.page(ctx, 200, "billing.jte", Web.params("frame", web.frame(s, "Billing", "billing"),
                "balance", load(api, "/v1/balance"), "byDay", byDay,
                "dayBars", byDay.data() == null ? new Bars(java.util.List.of()) : Bars.ofSummary(byDay.data(), "—"),
                "byGpu", byGpu, "gpuBars", byGpu.data() == null ? new Bars(java.util.List.of()) : Bars.ofSummary(byGpu.data(), "CPU only"),
                "ledger", load(api, "/v1/compute/ledger/transactions?limit=50")));
    }

    /** A page of titled sections, each the list one API call returns, or why it is missing. */
    private void sections(Context ctx, Session s, GalleyClient api, String title, String section, String... nameThenPath) {
        Map<String, Section> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenPath.length; i += 2) out.put(nameThenPath[i], load(api, nameThenPath[i + 1]));
        web.page(ctx, 200, "sections.jte", Web.params("frame", web.frame(s, title, section), "sections", out));
    }

    static Section load(GalleyClient api, String path) {
        ApiResponse r = api.send("GET", path, null, Map.of());
        if (r.status() == 200) return new Section(r.json(), null);
        if (r.status() == 404) return new Section(null, "Not available on this server.");
        if (r.status() == 403) return new Section(null, "Your key may not see this.");
        if (r.status() == 401) throw new GalleyApiException(r);
        return new Section(null, "The API answered " + r.status() + ".");
    }
}
