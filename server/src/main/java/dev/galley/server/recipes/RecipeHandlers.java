package dev.galley.server.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.cook.InputSchema;
import dev.galley.core.cook.RecipePayloadValidator;
import dev.galley.core.error.ValidationException;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.core.spec.Secrets;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** /v1/job-recipes: create, list, get, patch, delete, fork (cook lives in the jobs package). */
public final class RecipeHandlers {
    static final Set<String> VISIBILITIES = Set.of("PRIVATE", "PUBLIC", "ARCHIVED");
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("visibility", FilterKind.WORD_SET, "is_official", FilterKind.BOOLEAN, "is_owner", FilterKind.BOOLEAN,
                    "name", FilterKind.SUBSTRING, "uuid", FilterKind.UUID_SET, "created_at", FilterKind.DATE_RANGE),
            Map.of("visibility", VISIBILITIES), Set.of());
    private static final Set<String> FIELDS = Set.of("name", "description", "visibility", "payload", "input_schema",
            "quickstart_md", "thumbnail_url", "is_official");

    private final Jdbi jdbi;
    private final RecipeRepository recipes;
    private final SecretCodec secrets;
    private final GpuCatalogCache gpus;
    private final Clock clock;

    public RecipeHandlers(Jdbi jdbi, RecipeRepository recipes, SecretCodec secrets, GpuCatalogCache gpus, Clock clock) {
        this.jdbi = jdbi;
        this.recipes = recipes;
        this.secrets = secrets;
        this.gpus = gpus;
        this.clock = clock;
    }

    public void create(Context ctx, Caller caller) {
        caller.require("job_recipes", "create");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), FIELDS);
        String name = f.string("name", true, 1, 200);
        String description = f.string("description", false, 0, 10_000);
        String visibility = visibility(f, "PRIVATE");
        String quickstart = f.string("quickstart_md", false, 0, 100_000);
        String thumbnail = thumbnail(f);
        Boolean official = f.bool("is_official");
        JsonNode payload = f.raw("payload");
        if (payload == null || payload.isNull()) f.errors().add("payload", "is required (a job spec, see POST /v1/jobs)");
        Sealed sealed = null;
        JsonNode schema = Json.array();
        try {
            InputSchema parsed = InputSchema.parse(f.raw("input_schema"), "input_schema");
            schema = normalisedSchema(f.raw("input_schema"));
            if (payload != null && !payload.isNull()) {
                sealed = seal(RecipePayloadValidator.validate(payload, parsed, gpus.current()), Map.of());
            }
        } catch (ValidationException e) {
            f.errors().addAll(e.errors());
        }
        f.finish();
        if (Boolean.TRUE.equals(official)) caller.requireAll("job_recipes", "update");
        Instant now = now();
        var row = new RecipeRow(UUID.randomUUID(), caller.accountUuid(), name, description, visibility, sealed.payload(),
                sealed.secrets(), schema, quickstart, thumbnail, Boolean.TRUE.equals(official), null, now, now, null);
        jdbi.useHandle(h -> recipes.insert(h, row));
        Responses.json(ctx, 201, RecipeView.of(row, caller.accountUuid()));
    }

    public void list(Context ctx, Caller caller) {
        caller.require("job_recipes", "read");
        var q = LIST.parse(ctx.queryParamMap());
        boolean all = caller.canAll("job_recipes", "read");
        Responses.page(ctx, q, jdbi.withHandle(h -> recipes.list(h, caller.accountUuid(), all, q)),
                r -> RecipeView.of(r, caller.accountUuid()));
    }

    public void get(Context ctx, Caller caller) {
        caller.require("job_recipes", "read");
        Responses.json(ctx, 200, RecipeView.of(visible(ctx, caller), caller.accountUuid()));
    }

    public void patch(Context ctx, Caller caller) {
        caller.require("job_recipes", "update");
        RecipeRow old = owned(ctx, caller, "update");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), FIELDS);
        String name = f.has("name") ? f.string("name", true, 1, 200) : old.name();
        String description = f.has("description") ? f.string("description", false, 0, 10_000) : old.description();
        String visibility = f.has("visibility") ? visibility(f, old.visibility()) : old.visibility();
        String quickstart = f.has("quickstart_md") ? f.string("quickstart_md", false, 0, 100_000) : old.quickstartMd();
        String thumbnail = f.has("thumbnail_url") ? thumbnail(f) : old.thumbnailUrl();
        Boolean official = f.has("is_official") ? f.bool("is_official") : Boolean.valueOf(old.official());
        if (f.has("is_official") && official == null) f.errors().add("is_official", "must be true or false");
        if (f.has("payload") && (f.raw("payload") == null || f.raw("payload").isNull())) {
            f.errors().add("payload", "cannot be null (send a job spec, or leave payload out)");
        }
        JsonNode schemaRaw = f.has("input_schema") ? f.raw("input_schema") : old.inputSchema();
        Sealed sealed = null;
        JsonNode schema = old.inputSchema();
        try {
            InputSchema parsed = InputSchema.parse(schemaRaw, "input_schema");
            schema = normalisedSchema(schemaRaw);
            // The payload is re-validated whenever it or the inputs it refers to change.
            Map<String, String> oldSecrets = secrets.open(old.secrets());
            JsonNode payload = f.has("payload") && !f.raw("payload").isNull() ? f.raw("payload")
                    : Secrets.revealed(old.payload(), oldSecrets);
            sealed = seal(RecipePayloadValidator.validate(payload, parsed, gpus.current()), oldSecrets);
        } catch (ValidationException e) {
            f.errors().addAll(e.errors());
        }
        f.finish();
        if (f.has("is_official") && official != old.official()) caller.requireAll("job_recipes", "update");
        var row = new RecipeRow(old.uuid(), old.accountUuid(), name, description, visibility, sealed.payload(),
                sealed.secrets(), schema, quickstart, thumbnail, official, old.forkedFromRecipeUuid(), old.createdAt(),
                now(), old.lastUsedAt());
        jdbi.useHandle(h -> recipes.update(h, row));
        Responses.json(ctx, 200, RecipeView.of(row, caller.accountUuid()));
    }

    public void delete(Context ctx, Caller caller) {
        caller.require("job_recipes", "delete");
        RecipeRow r = owned(ctx, caller, "delete");
        jdbi.useHandle(h -> recipes.delete(h, r.uuid()));
        ctx.status(204);
    }

    public void fork(Context ctx, Caller caller) {
        caller.require("job_recipes", "create");
        caller.require("job_recipes", "read");
        RecipeRow src = visible(ctx, caller);
        if (src.isArchived() && !caller.owns(src.accountUuid())) throw ApiException.notFound("job recipe");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), true), Set.of("name"));
        String name = f.has("name") ? f.string("name", true, 1, 200) : null;
        f.finish();
        if (name == null) name = truncate(src.name() + " (fork)", 200);
        Instant now = now();
        var row = new RecipeRow(UUID.randomUUID(), caller.accountUuid(), name, src.description(), "PRIVATE",
                src.payload(), src.secrets(), src.inputSchema(), src.quickstartMd(), src.thumbnailUrl(), false,
                src.uuid(), now, now, null);
        jdbi.useHandle(h -> recipes.insert(h, row));
        Responses.json(ctx, 201, RecipeView.of(row, caller.accountUuid()));
    }

    /** A recipe the caller may read: its own, a PUBLIC one, or any with job_recipes.read.all; else 404. */
    public RecipeRow visible(Context ctx, Caller caller) {
        UUID uuid = Responses.pathUuid(ctx, "job recipe");
        RecipeRow r = jdbi.withHandle(h -> recipes.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("job recipe"));
        boolean ok = caller.owns(r.accountUuid()) || "PUBLIC".equals(r.visibility()) || caller.canAll("job_recipes", "read");
        if (!ok) throw ApiException.notFound("job recipe");
        return r;
    }

    private RecipeRow owned(Context ctx, Caller caller, String action) {
        RecipeRow r = visible(ctx, caller);
        if (!caller.owns(r.accountUuid()) && !caller.canAll("job_recipes", action)) {
            throw ApiException.forbidden("only the recipe's owner may " + action + " it; fork it to make your own copy");
        }
        return r;
    }

    private record Sealed(ObjectNode payload, byte[] secrets) {}

    /**
     * Masks the payload's secrets and seals their values. A secret sent back as "********" (as GET shows it)
     * keeps the value already stored, so a client can round-trip a recipe without knowing its secrets.
     */
    private Sealed seal(ObjectNode payload, Map<String, String> previous) {
        Set<String> pointers = Secrets.standardSecretPointers(payload);
        Map<String, String> values = new HashMap<>(Secrets.extract(payload, pointers));
        for (var e : Map.copyOf(values).entrySet()) {
            if (Secrets.MASK.equals(e.getValue())) {
                String kept = previous.get(e.getKey());
                if (kept == null) throw ValidationException.of("payload" + pointerToPath(e.getKey()), "is masked; send the real secret value");
                values.put(e.getKey(), kept);
            }
        }
        return new Sealed(Secrets.masked(payload, pointers), secrets.seal(values));
    }

    private static String pointerToPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            if (part.matches("\\d+")) sb.append('[').append(part).append(']');
            else sb.append('.').append(part);
        }
        return sb.toString();
    }

    private static JsonNode normalisedSchema(JsonNode raw) {
        return raw == null || raw.isNull() ? Json.array() : raw.deepCopy();
    }

    private static String visibility(JsonFields f, String def) {
        String v = f.string("visibility", false, 1, 20);
        if (v == null) return def;
        if (!VISIBILITIES.contains(v)) {
            f.errors().add("visibility", "must be one of PRIVATE, PUBLIC, ARCHIVED");
            return def;
        }
        return v;
    }

    private static String thumbnail(JsonFields f) {
        String url = f.string("thumbnail_url", false, 0, 2048);
        if (url == null || url.isEmpty()) return url;
        try {
            URI u = URI.create(url);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                f.errors().add("thumbnail_url", "must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            f.errors().add("thumbnail_url", "must be an http(s) URL");
        }
        return url;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
