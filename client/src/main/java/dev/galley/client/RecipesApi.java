package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** {@code /v1/job-recipes}: saved job templates, and cooking jobs from them. */
public final class RecipesApi {
    private final RetryingTransport transport;

    RecipesApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /** Filters: {@code is_official, visibility, is_owner, name} (a substring). ARCHIVED ones only when asked for. */
    public Page<Recipe> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/job-recipes" + query.toQueryString(), null, Map.of()), Recipe::new);
    }

    public Recipe get(String uuid) {
        return new Recipe(transport.call("GET", base(uuid), null, Map.of()));
    }

    /** {@code {name, payload, description?, visibility?, input_schema?, quickstart_md?, thumbnail_url?}}. */
    public Recipe create(JsonNode body) {
        Objects.requireNonNull(body, "body");
        return new Recipe(transport.call("POST", "/v1/job-recipes", body, Map.of()));
    }

    /** Fields present replace the stored ones; {@code payload} is replaced whole and re-validated. */
    public Recipe update(String uuid, JsonNode patch) {
        Objects.requireNonNull(patch, "patch");
        return new Recipe(transport.call("PATCH", base(uuid), patch, Map.of()));
    }

    /** Hides the recipe from lists and stops it being cooked; jobs already cooked are unaffected. */
    public Recipe archive(String uuid) {
        ObjectNode patch = GalleyClient.MAPPER.createObjectNode().put("visibility", "ARCHIVED");
        return update(uuid, patch);
    }

    public void delete(String uuid) {
        RetryingTransport.Outcome outcome = transport.send("DELETE", base(uuid), null, Map.of());
        int status = outcome.response().status();
        // A retried delete whose first attempt succeeded sees 404: the recipe is gone, as asked.
        if (status == 404 && outcome.attempts() > 1) return;
        if (status >= 400) throw new GalleyApiException(outcome.response());
    }

    /** A PRIVATE copy owned by the caller; {@code name} null keeps the source's name. */
    public Recipe fork(String uuid, String name) {
        ObjectNode body = GalleyClient.MAPPER.createObjectNode();
        if (name != null) body.put("name", name);
        return new Recipe(transport.call("POST", base(uuid) + "/fork", body, Map.of()));
    }

    /**
     * Cooks a job: {@code body} holds job-spec overrides and {@code inputs} (spec §4.1); null or {@code {}}
     * cooks the recipe as is. A fresh {@code Idempotency-Key} is reused by every retry of this call.
     */
    public Job cook(String uuid, JsonNode body) {
        return cook(uuid, body, UUID.randomUUID().toString());
    }

    public Job cook(String uuid, JsonNode body, String idempotencyKey) {
        JsonNode sent = body == null ? GalleyClient.MAPPER.createObjectNode() : body;
        return new Job(transport.call("POST", base(uuid) + "/cook", sent, Map.of("Idempotency-Key", idempotencyKey)));
    }

    /**
     * Every recipe visible to the caller whose name is exactly {@code name} (the server's name filter is a
     * substring match, so the exact comparison happens here).
     *
     * @param includeArchived also look among ARCHIVED recipes, which lists otherwise hide
     */
    public List<Recipe> findByName(String name, boolean includeArchived) {
        List<Recipe> matches = new ArrayList<>();
        ListQuery query = ListQuery.first(50).filter("name", name);
        if (includeArchived) query = query.filter("visibility", "PRIVATE,PUBLIC,ARCHIVED");
        for (int page = 1; ; page++) {
            Page<Recipe> result = list(query.page(page));
            for (Recipe recipe : result.data()) if (name.equals(recipe.name())) matches.add(recipe);
            if (!result.hasMore() || result.data().isEmpty()) return matches;
        }
    }

    private static String base(String uuid) {
        return "/v1/job-recipes/" + Urls.segment(uuid);
    }
}
