package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** /console/recipes (the gallery) and /console/recipes/{uuid}/cook (the form, its preview, the cook). */
final class RecipePages {
    private final Web web;

    RecipePages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/console/recipes", this::gallery);
        web.post("/console/recipes/{uuid}/fork", this::fork);
        web.get("/console/recipes/{uuid}/cook", this::cookForm);
        web.post("/console/recipes/{uuid}/cook", this::cook);
        web.post("/console/recipes/{uuid}/preview", this::preview);
    }

    private void gallery(Context ctx, Session s, GalleyClient api) {
        int page = JobPages.page(ctx);
        JsonNode recipes = api.get("/v1/job-recipes?limit=24&page=" + page);
        Map<String, List<Markdown.Block>> quickstarts = new HashMap<>();
        for (JsonNode r : recipes.path("data")) quickstarts.put(r.path("uuid").asText(), Markdown.blocks(r.path("quickstart_md").asText(null)));
        web.page(ctx, 200, "recipes.jte", Web.params("frame", web.frame(s, "Recipes", "recipes"), "recipes", recipes,
                "quickstarts", quickstarts, "page", page));
    }

    private void fork(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        JsonNode fork = api.post("/v1/job-recipes/" + uuid + "/fork", "{}");
        ctx.status(303).header("Location", "/console/recipes/" + fork.path("uuid").asText() + "/cook");
    }

    private void cookForm(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        JsonNode recipe = api.get("/v1/job-recipes/" + uuid);
        show(ctx, s, 200, recipe, Map.of(), null, Map.of(), null);
    }

    /** Without JavaScript, "Preview" posts here too (with _action=preview) and the page comes back with the preview. */
    private void cook(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        JsonNode recipe = api.get("/v1/job-recipes/" + uuid);
        Map<String, String> form = form(ctx);
        byte[] body = GalleyClient.toJsonBytes(CookForm.body(recipe.path("input_schema"), form));
        boolean previewOnly = "preview".equals(form.get("_action"));
        String path = "/v1/job-recipes/" + uuid + "/cook" + (previewOnly ? "?dry_run=true" : "");
        // The form's own idempotency key: a double click or a resent form creates one job.
        Map<String, String> headers = previewOnly || !form.containsKey("_idem") ? Map.of() : Map.of("Idempotency-Key", "console-" + form.get("_idem"));
        ApiResponse r = api.send("POST", path, body, headers);
        if (r.status() == 400) {
            show(ctx, s, 400, recipe, form, null, errors(r), null);
        } else if (r.status() >= 400) {
            throw new GalleyApiException(r);
        } else if (previewOnly) {
            show(ctx, s, 200, recipe, form, r.json(), Map.of(), null);
        } else {
            ctx.status(303).header("Location", "/console/jobs/" + r.json().path("uuid").asText());
        }
    }

    /** The live preview: the job the form would cook, or the form's errors, as an HTML fragment. */
    private void preview(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        JsonNode recipe = api.get("/v1/job-recipes/" + uuid);
        byte[] body = GalleyClient.toJsonBytes(CookForm.body(recipe.path("input_schema"), form(ctx)));
        ApiResponse r = api.send("POST", "/v1/job-recipes/" + uuid + "/cook?dry_run=true", body, Map.of());
        if (r.status() >= 400 && r.status() != 400) throw new GalleyApiException(r);
        ctx.status(200).contentType("text/html; charset=utf-8").result(web.render("preview.jte", Web.params(
                "job", r.status() == 200 ? r.json() : null, "errors", r.status() == 400 ? errors(r) : Map.of())));
    }

    private void show(Context ctx, Session s, int status, JsonNode recipe, Map<String, String> form, JsonNode preview,
                      Map<String, String> errors, String notice) {
        web.page(ctx, status, "cook.jte", Web.params("frame", web.frame(s, "Cook " + recipe.path("name").asText(), "recipes"),
                "recipe", recipe, "form", form, "preview", preview, "errors", errors,
                "idem", UUID.randomUUID().toString(), "quickstart", Markdown.blocks(recipe.path("quickstart_md").asText(null))));
    }

    static Map<String, String> form(Context ctx) {
        Map<String, String> form = new HashMap<>();
        ctx.formParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) form.put(k, v.getLast()); // a checkbox after its hidden "false" wins
        });
        return form;
    }

    /** The API's field errors by field; a message without a field goes under "". */
    static Map<String, String> errors(ApiResponse r) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        JsonNode error = r.json().path("error");
        for (JsonNode e : error.path("errors")) out.merge(e.path("field").asText(""), e.path("message").asText(), (a, b) -> a + "; " + b);
        if (out.isEmpty()) out.put("", error.path("message").asText("The request was refused."));
        return out;
    }
}
