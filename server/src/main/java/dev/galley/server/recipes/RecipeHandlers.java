package dev.galley.server.recipes;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** /v1/job-recipes: create, list, get, patch, delete, fork (cook lives in the jobs package). */
public final class RecipeHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("visibility", FilterKind.WORD_SET, "is_official", FilterKind.BOOLEAN, "is_owner", FilterKind.BOOLEAN,
                    "name", FilterKind.SUBSTRING, "uuid", FilterKind.UUID_SET, "created_at", FilterKind.DATE_RANGE),
            Map.of("visibility", RecipeService.VISIBILITIES), Set.of());

    private final RecipeService recipes;

    public RecipeHandlers(RecipeService recipes) {
        this.recipes = recipes;
    }

    public void create(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RECIPES, Action.CREATE);
        var row = recipes.create(caller, Json.parseObject(ctx.bodyAsBytes(), false));
        Responses.json(ctx, 201, RecipeView.of(row, caller.accountUuid()));
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RECIPES, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, recipes.list(caller, q), r -> RecipeView.of(r, caller.accountUuid()));
    }

    public void get(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RECIPES, Action.READ);
        Responses.json(ctx, 200, RecipeView.of(recipes.visible(caller, uuid(ctx)), caller.accountUuid()));
    }

    public void patch(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RECIPES, Action.UPDATE);
        RecipeRow old = recipes.owned(caller, uuid(ctx), Action.UPDATE);
        var row = recipes.patch(caller, old, Json.parseObject(ctx.bodyAsBytes(), false));
        Responses.json(ctx, 200, RecipeView.of(row, caller.accountUuid()));
    }

    public void delete(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RECIPES, Action.DELETE);
        recipes.delete(caller, uuid(ctx));
        ctx.status(204);
    }

    public void fork(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RECIPES, Action.CREATE);
        caller.require(Resource.JOB_RECIPES, Action.READ);
        RecipeRow src = recipes.forkable(caller, uuid(ctx));
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), true), Set.of("name"));
        String name = f.has("name") ? f.string("name", true, 1, 200) : null;
        f.finish();
        Responses.json(ctx, 201, RecipeView.of(recipes.fork(caller, src, name), caller.accountUuid()));
    }

    private static UUID uuid(Context ctx) {
        return Responses.pathUuid(ctx, "job recipe");
    }
}
