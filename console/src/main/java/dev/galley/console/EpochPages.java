package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Compute epochs and what nodes earned in them (spec §10): /console/epochs lists the epochs, /console/epochs/{uuid}
 * shows one with its reward rows. The API decides whose rows a key sees: a provider key ({@code epochs.read.own})
 * its account's nodes', an operator's every node's; the amounts are the API's decimal strings, shown as they are.
 */
final class EpochPages {
    static final int PER_PAGE = 50;

    private final Web web;

    EpochPages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/console/epochs", this::list);
        web.get("/console/epochs/{uuid}", this::epoch);
    }

    private void list(Context ctx, Session s, GalleyClient api) {
        int page = JobPages.page(ctx);
        web.page(ctx, 200, "epochs.jte", Web.params("frame", web.frame(s, "Epochs", "epochs"),
                "epochs", ClusterPages.load(api, "/v1/compute/epochs?limit=" + PER_PAGE + "&page=" + page), "page", page, "pageSize", PER_PAGE));
    }

    private void epoch(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        int page = JobPages.page(ctx);
        JsonNode epoch = api.get("/v1/compute/epochs/" + uuid);
        Section rewards = ClusterPages.load(api, "/v1/compute/epochs/" + uuid + "/rewards?limit=" + PER_PAGE + "&page=" + page);
        web.page(ctx, 200, "epoch.jte", Web.params("frame", web.frame(s, "Epoch", "epochs"), "epoch", epoch, "rewards", rewards,
                "names", nodeNames(api), "page", page, "pageSize", PER_PAGE));
    }

    /**
     * Names for the reward rows' nodes, from the first page of the nodes the key may see (the nodes list has no
     * filter by uuid); a row whose node is not on it shows the node's short uuid. A key that may not read nodes
     * gets no names.
     */
    private static Map<String, String> nodeNames(GalleyClient api) {
        Map<String, String> names = new HashMap<>();
        ApiResponse r = api.send("GET", "/v1/nodes?limit=50", null, Map.of());
        if (r.status() == 401) throw new GalleyApiException(r);
        if (r.status() == 200) r.json().path("data").forEach(n -> names.put(n.path("uuid").asText(), n.path("name").asText()));
        return names;
    }
}
