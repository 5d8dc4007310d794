package dev.galley.server.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.spec.Secrets;
import dev.galley.server.http.Json;
import java.util.UUID;

/** The {@code job_recipe} object of spec §4, with {@code is_owner} computed for the caller. */
public final class RecipeView {
    private RecipeView() {}

    public static ObjectNode of(RecipeRow r, UUID callerAccount) {
        ObjectNode o = Json.object();
        o.put("uuid", r.uuid().toString());
        o.put("object", "job_recipe");
        o.put("created_at", Json.timestamp(r.createdAt()));
        o.put("updated_at", Json.timestamp(r.updatedAt()));
        o.put("last_used_at", Json.timestamp(r.lastUsedAt()));
        o.put("name", r.name());
        o.put("description", r.description());
        o.put("visibility", r.visibility());
        // Stored payloads are masked already; masking again also covers recipes stored before user was masked.
        o.set("payload", Secrets.masked(r.payload(), Secrets.standardSecretPointers(r.payload())));
        o.put("is_official", r.official());
        o.put("share_credentials", r.shareCredentials());
        o.put("is_owner", r.accountUuid().equals(callerAccount));
        o.put("forked_from_recipe_uuid", r.forkedFromRecipeUuid() == null ? null : r.forkedFromRecipeUuid().toString());
        o.put("quickstart_md", r.quickstartMd());
        o.put("thumbnail_url", r.thumbnailUrl());
        o.set("input_schema", r.inputSchema().deepCopy());
        o.put("account_uuid", r.accountUuid().toString());
        return o;
    }

}
