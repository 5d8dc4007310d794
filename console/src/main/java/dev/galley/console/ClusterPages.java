package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pages over what the account's key may see of the cluster and of money: /console/nodes, /console/gpus,
 * /console/billing, and the operators' /console/accounts, /console/prices, /console/epochs. Parts whose API a
 * server does not have (it answers 404 for the endpoint) say so instead of failing the page.
 */
final class ClusterPages {
    private final Web web;

    ClusterPages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/console/nodes", (ctx, s, api) -> web.page(ctx, 200, "nodes.jte", Web.params("frame", web.frame(s, "Nodes", "nodes"),
                "nodes", api.get("/v1/nodes?limit=50&page=" + JobPages.page(ctx)))));
        web.get("/console/gpus", (ctx, s, api) -> web.page(ctx, 200, "gpus.jte", Web.params("frame", web.frame(s, "GPUs", "gpus"),
                "gpus", api.get("/v1/gpu-registry?limit=50"))));
        web.get("/console/billing", this::billing);
        web.get("/console/accounts", (ctx, s, api) -> sections(ctx, s, api, "Accounts", "accounts",
                "Accounts", "/v1/accounts?limit=50&page=" + JobPages.page(ctx)));
        web.get("/console/prices", (ctx, s, api) -> sections(ctx, s, api, "Prices", "prices",
                "Prices", "/v1/prices"));
        web.get("/console/epochs", (ctx, s, api) -> sections(ctx, s, api, "Epochs", "epochs",
                "Reward epochs", "/v1/compute/epochs"));
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

    private static Section load(GalleyClient api, String path) {
        ApiResponse r = api.send("GET", path, null, Map.of());
        if (r.status() == 200) return new Section(r.json(), null);
        if (r.status() == 404) return new Section(null, "Not available on this server.");
        if (r.status() == 403) return new Section(null, "Your key may not see this.");
        if (r.status() == 401) throw new GalleyApiException(r);
        return new Section(null, "The API answered " + r.status() + ".");
    }
}
