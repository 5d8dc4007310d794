package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** /console/keys: the account's API keys; create one (its secret shown once, on the answer page only); revoke. */
final class KeyPages {
    /** The presets the create form offers, as the API names them. */
    static final List<String> PRESETS = List.of("preset:compute_consumer", "preset:compute_node");
    static final List<Integer> EXPIRY_DAYS = List.of(0, 1, 7, 30, 90, 365);

    private final Web web;
    private final java.time.Clock clock;

    KeyPages(Web web, java.time.Clock clock) {
        this.web = web;
        this.clock = clock;
    }

    void register() {
        web.get("/console/keys", (ctx, s, api) -> show(ctx, s, api, 200, null, Map.of(), Map.of()));
        web.post("/console/keys", this::create);
        web.post("/console/keys/{uuid}/revoke", this::revoke);
    }

    private void show(Context ctx, Session s, GalleyClient api, int status, JsonNode created, Map<String, String> form,
                      Map<String, String> errors) {
        JsonNode keys = api.get("/v1/api-keys?limit=50");
        web.page(ctx, status, "keys.jte", Web.params("frame", web.frame(s, "API keys", "keys"), "keys", keys, "created", created,
                "form", form, "errors", errors, "presets", PRESETS, "expiryDays", EXPIRY_DAYS));
    }

    private void create(Context ctx, Session s, GalleyClient api) {
        Map<String, String> form = RecipePages.form(ctx);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", form.getOrDefault("name", "").strip());
        String preset = form.getOrDefault("preset", PRESETS.getFirst());
        var perms = body.putArray("permissions");
        if (preset.equals("custom")) {
            for (String p : form.getOrDefault("permissions", "").split("[,\\s]+")) if (!p.isBlank()) perms.add(p);
        } else {
            perms.add(preset);
        }
        int days = 0;
        try {
            days = Integer.parseInt(form.getOrDefault("expires_in_days", "0"));
        } catch (NumberFormatException ignored) {
            // "never"
        }
        if (days > 0) body.put("expires_at", Instant.now(clock).plus(Duration.ofDays(days)).toString());
        String ips = form.getOrDefault("allowed_ips", "");
        if (!ips.isBlank()) {
            var list = body.putArray("allowed_ips");
            for (String ip : ips.split("[,\\s]+")) if (!ip.isBlank()) list.add(ip);
        }
        ApiResponse r = api.send("POST", "/v1/api-keys", GalleyClient.toJsonBytes(body), Map.of());
        if (r.status() == 400) {
            show(ctx, s, api, 400, null, form, RecipePages.errors(r));
        } else if (r.status() >= 400) {
            throw new GalleyApiException(r);
        } else {
            // The one response that carries the secret: shown here, never stored, and this page is not cached.
            show(ctx, s, api, 201, r.json(), Map.of(), Map.of());
        }
    }

    private void revoke(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        api.delete("/v1/api-keys/" + uuid);
        ctx.status(303).header("Location", "/console/keys");
    }
}
