package dev.galley.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.CanonicalRequest;
import dev.galley.core.cook.Cook;
import dev.galley.core.cook.CookResult;
import dev.galley.core.json.CanonicalJson;
import dev.galley.core.placement.RunRequirements;
import dev.galley.core.placement.WaitReasonHints;
import dev.galley.core.spec.JobSpecValidator;
import dev.galley.core.spec.Secrets;
import dev.galley.server.auth.Authenticator;
import dev.galley.server.auth.Caller;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.keys.ApiKeyGenerator;
import dev.galley.server.recipes.RecipeRepository;
import dev.galley.server.recipes.RecipeRow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Creating jobs (directly or by cooking a recipe), idempotently, and cancelling them. */
public final class JobService {
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    /** A response as first sent: replayed byte for byte for a retried Idempotency-Key. */
    public record Created(int status, byte[] body) {}

    /** What to insert once validation passed (the expensive, pure part runs outside the transaction). */
    private record Prepared(ObjectNode spec, Set<String> secretPointers, UUID recipeUuid) {}

    private final Jdbi jdbi;
    private final JobRepository jobs;
    private final RecipeRepository recipes;
    private final IdempotencyRepository idempotency;
    private final SecretCodec secrets;
    private final GpuCatalogCache gpus;
    private final Clock clock;
    private final java.util.function.Consumer<List<UUID>> onJobCreated;
    private final dev.galley.server.runs.JobReconciler reconciler;
    private final dev.galley.server.auth.NonceClaim nonceClaim;
    private final JobGroupCommit groupCommit;
    private final WaitReasonHints waitReasons;

    public JobService(Jdbi jdbi, JobRepository jobs, RecipeRepository recipes, IdempotencyRepository idempotency,
                      SecretCodec secrets, GpuCatalogCache gpus, Clock clock, java.util.function.Consumer<List<UUID>> onJobCreated,
                      dev.galley.server.runs.JobReconciler reconciler, dev.galley.server.auth.NonceClaim nonceClaim,
                      JobGroupCommit groupCommit, WaitReasonHints waitReasons) {
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.recipes = recipes;
        this.idempotency = idempotency;
        this.secrets = secrets;
        this.gpus = gpus;
        this.clock = clock;
        this.onJobCreated = onJobCreated;
        this.reconciler = reconciler;
        this.nonceClaim = nonceClaim;
        this.groupCommit = groupCommit;
        this.waitReasons = waitReasons;
    }

    /** POST /v1/jobs. */
    public Created create(Caller caller, String path, byte[] body, String idempotencyKey) {
        caller.require("jobs", "create");
        return idempotent(caller, idempotencyKey, path, body, () -> {
            JsonNode parsed = Json.parseObject(body, false);
            ObjectNode spec = new JobSpecValidator(gpus.current()).validate(parsed);
            return new Prepared(spec, Secrets.standardSecretPointers(spec), null);
        });
    }

    /** Claims the request's nonce when the handler fails before reaching this service's transaction. */
    public void useNonce(Caller caller) {
        nonceClaim.claimAlone(jdbi, caller);
    }

    /** POST /v1/job-recipes/{uuid}/cook. */
    public Created cook(Caller caller, UUID recipeUuid, String path, byte[] body, String idempotencyKey) {
        caller.require("jobs", "create");
        caller.require("job_recipes", "read");
        return idempotent(caller, idempotencyKey, path, body, () -> {
            RecipeRow recipe = jdbi.withHandle(h -> recipes.byUuid(h, recipeUuid))
                    .filter(r -> caller.owns(r.accountUuid()) || "PUBLIC".equals(r.visibility())
                            || caller.canAll("job_recipes", "read"))
                    .orElseThrow(() -> ApiException.notFound("job recipe"));
            if (recipe.isArchived()) {
                if (!caller.owns(recipe.accountUuid())) throw ApiException.notFound("job recipe");
                throw ApiException.conflict("job recipe " + recipeUuid + " is ARCHIVED and cannot be cooked; "
                        + "PATCH its visibility to PRIVATE or PUBLIC first");
            }
            ObjectNode payload = Secrets.revealed(recipe.payload(), secrets.open(recipe.secrets()));
            JsonNode overrides = Json.parseObject(body, true);
            // Spec §8: the owner's registry credentials go only into the owner's own jobs, unless the owner shares
            // them; job_recipes.read.all does not change whose job this is.
            boolean credentialsMayTravel = caller.owns(recipe.accountUuid()) || recipe.shareCredentials();
            CookResult result = new Cook(gpus.current()).cook(payload, recipe.inputSchema(), overrides, credentialsMayTravel);
            return new Prepared(result.spec(), result.secretPointers(), recipe.uuid());
        });
    }

    private Created idempotent(Caller caller, String key, String path, byte[] body, Supplier<Prepared> prepare) {
        Prepared prepared;
        String hash = key == null ? null : requestHash(path, body);
        try {
            if (key != null && (key.isEmpty() || key.length() > 255)) {
                throw ApiException.badRequest("Idempotency-Key", "must be 1 to 255 characters");
            }
            if (key != null) {
                Optional<Created> replay = jdbi.withHandle(h -> replay(h, caller, key, hash));
                if (replay.isPresent()) {
                    nonceClaim.claimAlone(jdbi, caller); // a replay is a request too: its nonce is used
                    return replay.get();
                }
            }
            prepared = prepare.get();
        } catch (RuntimeException e) {
            // Failed before the write transaction: the nonce still counts as used (a resend gets 401, not a retry).
            if (!(e instanceof ApiException api && api.status() == 401)) nonceClaim.claimAlone(jdbi, caller);
            throw e;
        }
        JobRow job = newJob(caller, prepared);
        byte[] response = Json.bytes(JobView.of(job));
        boolean touchRecipe = prepared.recipeUuid() != null && shouldTouchRecipe(prepared.recipeUuid(), job.createdAt());
        var outcome = groupCommit.write(new JobGroupCommit.Entry(caller, job, key, hash, response, touchRecipe));
        return switch (outcome) {
            case JobGroupCommit.Outcome.Written w -> new Created(201, response);
            case JobGroupCommit.Outcome.NonceReused r -> throw Authenticator.reusedNonce(caller.pendingNonce());
            case JobGroupCommit.Outcome.KeyTaken t -> jdbi.withHandle(h -> replay(h, caller, key, hash))
                    .orElseGet(() -> writeAlone(caller, key, hash, job, response, touchRecipe)); // it expired meanwhile
            case JobGroupCommit.Outcome.RetryAlone r -> writeAlone(caller, key, hash, job, response, touchRecipe);
        };
    }

    /**
     * The same writes as a group commit, for one request in a transaction of its own: used when a shared
     * transaction failed, so that the failure belongs to the request that caused it.
     */
    private Created writeAlone(Caller caller, String key, String hash, JobRow job, byte[] response, boolean touchRecipe) {
        Optional<Created> replayed = jdbi.inTransaction(h -> {
            nonceClaim.claim(h, caller); // commits with the job: one commit per request
            if (key != null) {
                idempotency.lock(h, caller.accountUuid(), key);
                Optional<Created> replay = replay(h, caller, key, hash); // a concurrent twin may have won
                if (replay.isPresent()) return replay;
            }
            jobs.insert(h, job);
            if (touchRecipe) recipes.touchLastUsed(h, job.sourceRecipeUuid(), job.createdAt());
            if (key != null) idempotency.save(h, caller.accountUuid(), key, hash, 201, response, job.createdAt());
            return Optional.<Created>empty();
        });
        if (replayed.isPresent()) return replayed.get();
        onJobCreated.accept(List.of(job.uuid()));
        return new Created(201, response);
    }

    private Optional<Created> replay(Handle h, Caller caller, String key, String hash) {
        return idempotency.find(h, caller.accountUuid(), key, now().minus(IDEMPOTENCY_WINDOW)).map(stored -> {
            if (!stored.requestHash().equals(hash)) {
                throw ApiException.conflict("Idempotency-Key '" + key + "' was already used with a different request; "
                        + "use a new key for a new request");
            }
            return new Created(stored.status(), stored.body());
        });
    }

    private JobRow newJob(Caller caller, Prepared p) {
        Instant now = now();
        ObjectNode masked = Secrets.masked(p.spec(), p.secretPointers());
        byte[] sealed = secrets.seal(Secrets.extract(p.spec(), p.secretPointers()));
        long assignDeadline = now.toEpochMilli() + p.spec().path("max_timeout_assign_ms").asLong();
        var hint = waitReasons.forNewJob(RunRequirements.ofSpec(p.spec(), gpus.current()));
        return new JobRow(UUID.randomUUID(), caller.accountUuid(), "PENDING", hint.reason(), hint.code().name(),
                masked, sealed, p.recipeUuid(), ApiKeyGenerator.hex(24), assignDeadline, null, null, null,
                now, now, null, null);
    }

    /**
     * A recipe's last_used_at is written at most once a second per replica: every cook writing the same row
     * would serialise all cooks of a popular recipe on its row lock. The first cook always writes.
     */
    private boolean shouldTouchRecipe(UUID recipe, Instant now) {
        long ms = now.toEpochMilli();
        Long last = recipeTouches.get(recipe);
        if (last != null && ms - last < 1_000) return false;
        recipeTouches.put(recipe, ms);
        if (recipeTouches.size() > 100_000) recipeTouches.clear(); // bounded: forgetting only costs one extra write
        return true;
    }

    private final java.util.concurrent.ConcurrentHashMap<UUID, Long> recipeTouches = new java.util.concurrent.ConcurrentHashMap<>();

    /** Same key + same method/path/body = same request; the body compares in canonical JSON form when it is JSON. */
    public static String requestHash(String path, byte[] body) {
        String canonical;
        try {
            canonical = body.length == 0 ? "" : CanonicalJson.canonicalize(body);
        } catch (IllegalArgumentException notJson) {
            canonical = new String(body, StandardCharsets.UTF_8);
        }
        return CanonicalRequest.sha256Hex((path + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * PUT /v1/jobs/{uuid}/cancel: marks the job cancel-requested and lets the lifecycle rule decide: a job
     * with no active run is CANCELLED at once, otherwise CANCELLING until its runs have stopped.
     */
    public JobRow cancel(Caller caller, UUID jobUuid, String reason) {
        caller.require("jobs", "update");
        return jdbi.inTransaction(h -> {
            JobRow job = jobs.lockByUuid(h, jobUuid)
                    .filter(j -> caller.owns(j.accountUuid()) || caller.canAll("jobs", "update"))
                    .orElseThrow(() -> ApiException.notFound("job"));
            switch (job.status()) {
                case "CANCELLING" -> { return job; }
                case "COMPLETED", "FAILED", "CANCELLED" -> throw ApiException.conflict(
                        "job " + jobUuid + " is already " + job.status() + " and cannot be cancelled");
                default -> { }
            }
            Instant now = now();
            h.createUpdate("UPDATE jobs SET cancel_requested = true, cancel_reason = :reason WHERE uuid = :uuid")
                    .bind("uuid", jobUuid).bind("reason", reason).execute();
            reconciler.reconcile(h, jobUuid, now);
            if (reason != null && !reason.isBlank()) {
                h.createUpdate("UPDATE jobs SET status_reason = status_reason || ': ' || :reason WHERE uuid = :uuid")
                        .bind("uuid", jobUuid).bind("reason", reason).execute();
            }
            return jobs.byUuid(h, jobUuid).orElseThrow();
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
