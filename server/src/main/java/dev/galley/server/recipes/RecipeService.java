package dev.galley.server.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.cook.InputSchema;
import dev.galley.core.cook.RecipePayloadValidator;
import dev.galley.core.cook.RegistryCredentials;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.error.ValidationException;
import dev.galley.core.list.ListQuery;
import dev.galley.core.spec.Secrets;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.ReplicaCache;
import dev.galley.server.db.Signals;
import dev.galley.server.db.Transactions;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Job recipes: who may see, change, fork and cook them, and the registry credentials in their payloads (sealed,
 * masked, kept on a masked round trip, left behind by another account's fork; spec §8).
 */
public final class RecipeService {
    static final Set<String> VISIBILITIES = Set.of("PRIVATE", "PUBLIC", "ARCHIVED");
    private static final Set<String> FIELDS = Set.of("name", "description", "visibility", "payload", "input_schema",
            "quickstart_md", "thumbnail_url", "is_official", "share_credentials");

    private final Transactions tx;
    private final RecipeRepository recipes;
    private final SecretCodec secrets;
    private final GpuCatalogCache gpus;
    private final Clock clock;
    private final Signals signals;
    /**
     * Recipes as cooks read them, so a cook neither reads nor decrypts its recipe again (reading and mapping the row
     * was a fifth of the server's CPU per cook); the API key cache's rules: 10 s at most, evicted on every replica by
     * the NOTIFY of a change or delete, so a recipe made PRIVATE or given new credentials is cooked as changed.
     */
    private final ReplicaCache<UUID, Cookable> cache = new ReplicaCache<>(Duration.ofSeconds(10), 10_000);

    public RecipeService(Transactions tx, RecipeRepository recipes, SecretCodec secrets, GpuCatalogCache gpus, Clock clock,
                         Signals signals) {
        this.tx = tx;
        this.recipes = recipes;
        this.secrets = secrets;
        this.gpus = gpus;
        this.clock = clock;
        this.signals = signals;
        signals.onRecipeChanged(cache::invalidate);
    }

    public RecipeRow create(Caller caller, ObjectNode body) {
        var f = new JsonFields(body, FIELDS);
        String name = f.string("name", true, 1, 200);
        String description = f.string("description", false, 0, 10_000);
        String visibility = visibility(f, "PRIVATE");
        String quickstart = f.string("quickstart_md", false, 0, 100_000);
        String thumbnail = thumbnail(f);
        Boolean official = f.bool("is_official");
        boolean share = Boolean.TRUE.equals(f.bool("share_credentials"));
        JsonNode payload = f.raw("payload");
        if (payload == null || payload.isNull()) f.errors().add("payload", "is required (a job spec, see POST /v1/jobs)");
        Sealed sealed = null;
        JsonNode schema = Json.array();
        try {
            InputSchema parsed = InputSchema.parse(f.raw("input_schema"), "input_schema");
            schema = normalisedSchema(f.raw("input_schema"));
            if (payload != null && !payload.isNull()) {
                ObjectNode validated = RecipePayloadValidator.validate(payload, parsed, gpus.current());
                sealed = bindAndSeal(null, validated, parsed, true, f);
            }
        } catch (ValidationException e) {
            f.errors().addAll(e.errors());
        }
        f.finish();
        if (Boolean.TRUE.equals(official)) caller.requireAll(Resource.JOB_RECIPES, Action.UPDATE);
        Instant now = clock.instant();
        var row = new RecipeRow(UUID.randomUUID(), caller.accountUuid(), name, description, visibility, sealed.payload(),
                sealed.secrets(), schema, quickstart, thumbnail, Boolean.TRUE.equals(official), null, now, now, null, share);
        tx.useHandle(h -> recipes.insert(h, row));
        return row;
    }

    public ListSql.Page<RecipeRow> list(Caller caller, ListQuery q) {
        return tx.withHandle(h -> recipes.list(h, caller.accountUuid(), caller.canAll(Resource.JOB_RECIPES, Action.READ), q));
    }

    /** A recipe the caller may read: its own, a PUBLIC one, or any with job_recipes.read.all; else 404. */
    public RecipeRow visible(Caller caller, UUID uuid) {
        RecipeRow r = tx.withHandle(h -> recipes.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("job recipe"));
        if (!mayRead(caller, r)) throw ApiException.notFound("job recipe");
        return r;
    }

    private static boolean mayRead(Caller caller, RecipeRow r) {
        return caller.owns(r.accountUuid()) || r.isPublic() || caller.canAll(Resource.JOB_RECIPES, Action.READ);
    }

    /** A recipe the caller may change or delete: its own, or any with job_recipes.{action}.all; 403 for another's PUBLIC one. */
    public RecipeRow owned(Caller caller, UUID uuid, Action action) {
        RecipeRow r = visible(caller, uuid);
        if (!caller.owns(r.accountUuid()) && !caller.canAll(Resource.JOB_RECIPES, action)) {
            throw ApiException.forbidden("only the recipe's owner may " + action.wire() + " it; fork it to make your own copy");
        }
        return r;
    }

    /** A recipe the caller may fork: one it may read, and an ARCHIVED one only when it is its own. */
    public RecipeRow forkable(Caller caller, UUID uuid) {
        RecipeRow src = visible(caller, uuid);
        if (src.isArchived() && !caller.owns(src.accountUuid())) throw ApiException.notFound("job recipe");
        return src;
    }

    /** A recipe as a cook uses it: the stored row, and its payload with the sealed values revealed (a copy of its own). */
    public record Cookable(RecipeRow row, ObjectNode revealedPayload) {}

    /**
     * A recipe the caller may cook: one it may read that is not ARCHIVED (409 for its owner, 404 for others). Served
     * from the cache: the same permission checks run on the cached row for every caller.
     */
    public Cookable cookable(Caller caller, UUID uuid) {
        var cached = cache.get(uuid, () -> tx.withHandle(h -> recipes.byUuid(h, uuid)).map(r -> new Cookable(r, revealedPayload(r))))
                .orElseThrow(() -> ApiException.notFound("job recipe"));
        RecipeRow recipe = cached.row();
        if (!mayRead(caller, recipe)) throw ApiException.notFound("job recipe");
        if (recipe.isArchived()) {
            if (!caller.owns(recipe.accountUuid())) throw ApiException.notFound("job recipe");
            throw ApiException.conflict("job recipe " + uuid + " is ARCHIVED and cannot be cooked; "
                    + "PATCH its visibility to PRIVATE or PUBLIC first");
        }
        return new Cookable(recipe, cached.revealedPayload().deepCopy()); // cooking changes the payload it is given
    }

    /** The payload with its sealed values in place of the masks. */
    private ObjectNode revealedPayload(RecipeRow recipe) {
        return Secrets.revealed(recipe.payload(), secrets.open(recipe.secrets()));
    }

    /** PATCH: every field sent replaces the stored one; the payload is re-validated whenever it or the inputs change. */
    public RecipeRow patch(Caller caller, RecipeRow old, ObjectNode body) {
        var f = new JsonFields(body, FIELDS);
        String name = f.has("name") ? f.string("name", true, 1, 200) : old.name();
        String description = f.has("description") ? f.string("description", false, 0, 10_000) : old.description();
        String visibility = f.has("visibility") ? visibility(f, old.visibility()) : old.visibility();
        String quickstart = f.has("quickstart_md") ? f.string("quickstart_md", false, 0, 100_000) : old.quickstartMd();
        String thumbnail = f.has("thumbnail_url") ? thumbnail(f) : old.thumbnailUrl();
        Boolean official = f.has("is_official") ? f.bool("is_official") : Boolean.valueOf(old.official());
        if (f.has("is_official") && official == null) f.errors().add("is_official", "must be true or false");
        Boolean share = f.has("share_credentials") ? f.bool("share_credentials") : Boolean.valueOf(old.shareCredentials());
        if (share == null) f.errors().add("share_credentials", "must be true or false");
        boolean payloadSent = f.has("payload") && f.raw("payload") != null && !f.raw("payload").isNull();
        if (f.has("payload") && !payloadSent) f.errors().add("payload", "cannot be null (send a job spec, or leave payload out)");
        JsonNode schemaRaw = f.has("input_schema") ? f.raw("input_schema") : old.inputSchema();
        Sealed sealed = null;
        JsonNode schema = old.inputSchema();
        try {
            InputSchema parsed = InputSchema.parse(schemaRaw, "input_schema");
            schema = normalisedSchema(schemaRaw);
            ObjectNode before = revealedPayload(old);
            ObjectNode validated = RecipePayloadValidator.validate(payloadSent ? f.raw("payload") : before, parsed, gpus.current());
            sealed = bindAndSeal(payloadSent ? before : null, validated, parsed, payloadSent || f.has("input_schema"), f);
        } catch (ValidationException e) {
            f.errors().addAll(e.errors());
        }
        f.finish();
        if (f.has("is_official") && official != old.official()) caller.requireAll(Resource.JOB_RECIPES, Action.UPDATE);
        if (share != old.shareCredentials() && !caller.owns(old.accountUuid())) {
            // Sharing hands the owner's registry credentials to other accounts: only the owner decides that.
            throw ApiException.forbidden("only the recipe's owner may change share_credentials");
        }
        var row = new RecipeRow(old.uuid(), old.accountUuid(), name, description, visibility, sealed.payload(),
                sealed.secrets(), schema, quickstart, thumbnail, official, old.forkedFromRecipeUuid(), old.createdAt(),
                clock.instant(), old.lastUsedAt(), share);
        tx.useTransaction(h -> {
            recipes.update(h, row);
            signals.recipeChanged(h, row.uuid()); // every replica's cache forgets it when this commits
        });
        cache.invalidate(row.uuid());
        return row;
    }

    public void delete(Caller caller, UUID uuid) {
        RecipeRow r = owned(caller, uuid, Action.DELETE);
        tx.useTransaction(h -> {
            recipes.delete(h, r.uuid());
            signals.recipeChanged(h, r.uuid());
        });
        cache.invalidate(r.uuid());
    }

    /**
     * A PRIVATE copy for the caller, named {@code name} or (null) "NAME (fork)"; another account's fork leaves the
     * owner's credentials behind (spec §8).
     */
    public RecipeRow fork(Caller caller, RecipeRow src, String name) {
        String fallback = src.name() + " (fork)";
        String forkName = name != null ? name : fallback.substring(0, Math.min(200, fallback.length())); // names are <= 200
        ObjectNode payload = revealedPayload(src);
        var bound = RegistryCredentials.forFork(payload, inputSchemaOf(src.inputSchema()), caller.owns(src.accountUuid()));
        Sealed sealed = seal(bound.spec());
        Instant now = clock.instant();
        var row = new RecipeRow(UUID.randomUUID(), caller.accountUuid(), forkName, src.description(), "PRIVATE",
                sealed.payload(), sealed.secrets(), src.inputSchema(), src.quickstartMd(), src.thumbnailUrl(), false,
                src.uuid(), now, now, null, false);
        tx.useHandle(h -> recipes.insert(h, row));
        return row;
    }

    private record Sealed(ObjectNode payload, byte[] secrets) {}

    /**
     * Applies the credential rules to a payload being written ({@link RegistryCredentials}): a {@code "********"} sent
     * back keeps the stored value only where host and image did not change ({@code before} null: nothing is stored),
     * and stored credentials may not sit next to a destination an input fills ({@code checkDestinations}). Problems
     * go to {@code f}; when there are none the payload is masked and its credentials sealed.
     */
    private Sealed bindAndSeal(ObjectNode before, ObjectNode payload, InputSchema schema, boolean checkDestinations, JsonFields f) {
        var problems = new FieldErrors();
        if (checkDestinations) RegistryCredentials.checkFixedDestinations(payload, schema, problems);
        var bound = RegistryCredentials.forUpdate(before, payload, schema, problems);
        f.errors().addAll(problems.list());
        return problems.isEmpty() ? seal(bound.spec()) : null;
    }

    /** Masks the registry credentials and seals their values (placeholders included: GET shows them masked too). */
    private Sealed seal(ObjectNode payload) {
        Set<String> pointers = Secrets.standardSecretPointers(payload);
        return new Sealed(Secrets.masked(payload, pointers), secrets.seal(Secrets.extract(payload, pointers)));
    }

    /** A stored recipe's input schema; one that no longer parses counts as none (so every credential counts as stored). */
    private static InputSchema inputSchemaOf(JsonNode inputSchema) {
        try {
            return InputSchema.parse(inputSchema, "input_schema");
        } catch (ValidationException unreadable) {
            return InputSchema.empty();
        }
    }

    /** The schema as sent, but a null {@code required} (read as false) is stored as false: recipes show a boolean there. */
    private static JsonNode normalisedSchema(JsonNode raw) {
        if (raw == null || raw.isNull()) return Json.array();
        JsonNode schema = raw.deepCopy();
        for (JsonNode item : schema) {
            if (item instanceof ObjectNode o && o.has("required") && o.get("required").isNull()) o.put("required", false);
        }
        return schema;
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
}
