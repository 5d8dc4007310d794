package dev.galley.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.billing.Money;
import dev.galley.core.cook.Cook;
import dev.galley.core.cook.CookResult;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.list.ListQuery;
import dev.galley.core.placement.RunRequirements;
import dev.galley.core.placement.WaitReasonHints;
import dev.galley.core.spec.JobSpecValidator;
import dev.galley.core.spec.Secrets;
import dev.galley.server.auth.Authenticator;
import dev.galley.server.auth.Caller;
import dev.galley.server.auth.NonceRepository;
import dev.galley.server.billing.BillingService;
import dev.galley.server.crypto.ApiKeyGenerator;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.db.DatabaseOutage;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.idempotency.Idempotency;
import dev.galley.server.idempotency.IdempotencyRepository;
import dev.galley.server.idempotency.IdempotentResponse;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.lifecycle.JobRow;
import dev.galley.server.recipes.RecipeRow;
import dev.galley.server.recipes.RecipeService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/** Jobs: created (directly or by cooking a recipe) idempotently, read, and cancelled. */
public final class JobService {
    /** What to insert once validation passed (the expensive, pure part runs outside the transaction). */
    private record Prepared(ObjectNode spec, Set<String> secretPointers, UUID recipeUuid) {}

    private final Transactions tx;
    private final JobRepository jobs;
    private final RecipeService recipes;
    private final IdempotencyRepository idempotency;
    private final NonceRepository nonces;
    private final SecretCodec secrets;
    private final GpuCatalogCache gpus;
    private final Clock clock;
    private final JobReconciler reconciler;
    private final JobGroupCommit groupCommit;
    private final WaitReasonHints waitReasons;
    private final BillingService billing;

    public JobService(Transactions tx, JobRepository jobs, RecipeService recipes, IdempotencyRepository idempotency,
                      NonceRepository nonces, SecretCodec secrets, GpuCatalogCache gpus, Clock clock, JobReconciler reconciler,
                      JobGroupCommit groupCommit, WaitReasonHints waitReasons, BillingService billing) {
        this.tx = tx;
        this.jobs = jobs;
        this.recipes = recipes;
        this.idempotency = idempotency;
        this.nonces = nonces;
        this.secrets = secrets;
        this.gpus = gpus;
        this.clock = clock;
        this.reconciler = reconciler;
        this.groupCommit = groupCommit;
        this.waitReasons = waitReasons;
        this.billing = billing;
    }

    /** POST /v1/jobs. */
    public IdempotentResponse create(Caller caller, String path, byte[] body, String idempotencyKey) {
        caller.require(Resource.JOBS, Action.CREATE);
        return idempotent(caller, idempotencyKey, path, body, () -> {
            billing.requireCredit(caller.accountUuid()); // GALLEY_BILLING=enforce: 402 without credit (spec §9)
            JsonNode parsed = Json.parseObject(body, false);
            ObjectNode spec = new JobSpecValidator(gpus.current()).validate(parsed);
            return new Prepared(spec, Secrets.standardSecretPointers(spec), null);
        });
    }

    /**
     * Claims the request's nonce on its own, for a create or cook that fails before its job's transaction (which
     * claims it with the job): the nonce still counts as used, and a resent request whose nonce was used already
     * gets the 401 a reused nonce always gets, whatever else is wrong with it.
     */
    public void useNonce(Caller caller) {
        if (caller.pendingNonce() == null) return;
        boolean fresh = tx.withHandle(h -> nonces.claim(h, caller.publicKey(), caller.pendingNonce()));
        if (!fresh) throw Authenticator.reusedNonce(caller.pendingNonce());
    }

    /** POST /v1/job-recipes/{uuid}/cook. */
    public IdempotentResponse cook(Caller caller, UUID recipeUuid, String path, byte[] body, String idempotencyKey) {
        caller.require(Resource.JOBS, Action.CREATE);
        caller.require(Resource.JOB_RECIPES, Action.READ);
        return idempotent(caller, idempotencyKey, path, body, () -> prepareCook(caller, recipeUuid, body));
    }

    /**
     * POST /v1/job-recipes/{uuid}/cook?dry_run=true: the job the cook would create, validated exactly as a cook is,
     * and not written. The caller's handler has claimed the nonce (the one side effect of any signed request);
     * an Idempotency-Key is neither looked up nor stored. The answer is the one a cook would give (its price
     * estimate included).
     */
    public ObjectNode cookPreview(Caller caller, UUID recipeUuid, byte[] body) {
        caller.require(Resource.JOBS, Action.CREATE);
        caller.require(Resource.JOB_RECIPES, Action.READ);
        JobRow job = newJob(caller, prepareCook(caller, recipeUuid, body));
        return JobView.of(job, new BillingService.JobCharges(billing.priceEstimate(job.spec()), Money.ZERO));
    }

    private Prepared prepareCook(Caller caller, UUID recipeUuid, byte[] body) {
        RecipeService.Cookable cookable = recipes.cookable(caller, recipeUuid);
        RecipeRow recipe = cookable.row();
        billing.requireCredit(caller.accountUuid()); // after the 404 of a recipe the caller may not see
        ObjectNode payload = cookable.revealedPayload();
        JsonNode overrides = Json.parseObject(body, true);
        // Spec §8: the owner's registry credentials go only into the owner's own jobs, unless the owner shares
        // them; job_recipes.read.all does not change whose job this is.
        boolean credentialsMayTravel = caller.owns(recipe.accountUuid()) || recipe.shareCredentials();
        CookResult result = new Cook(gpus.current()).cook(payload, recipe.inputSchema(), overrides, credentialsMayTravel);
        return new Prepared(result.spec(), result.secretPointers(), recipe.uuid());
    }

    private IdempotentResponse idempotent(Caller caller, String key, String path, byte[] body, Supplier<Prepared> prepare) {
        Prepared prepared;
        String hash = key == null ? null : Idempotency.requestHash(path, body);
        try {
            Idempotency.checkKey(key);
            if (key != null) {
                Optional<IdempotentResponse> replay = tx.withHandle(h -> replay(h, caller, key, hash));
                if (replay.isPresent()) {
                    useNonce(caller); // a replay is a request too: its nonce is used
                    return replay.get();
                }
            }
            prepared = prepare.get();
        } catch (RuntimeException e) {
            // Failed before the write transaction: the nonce still counts as used (a resend gets 401, not a retry).
            if (!(e instanceof ApiException api && api.status() == 401)) useNonce(caller);
            throw e;
        }
        JobRow job = newJob(caller, prepared);
        // A new job's price is the estimate at the card in force, its cost zero: no query on the create path.
        byte[] response = Json.bytes(JobView.of(job, new BillingService.JobCharges(billing.priceEstimate(job.spec()), Money.ZERO)));
        boolean touchRecipe = prepared.recipeUuid() != null && shouldTouchRecipe(prepared.recipeUuid(), job.createdAt());
        var entry = new JobGroupCommit.Entry(caller, job, key, hash, response, touchRecipe);
        return answer(entry, groupCommit.write(entry));
    }

    private IdempotentResponse answer(JobGroupCommit.Entry entry, JobGroupCommit.Outcome outcome) {
        return switch (outcome) {
            case JobGroupCommit.Outcome.Written w -> new IdempotentResponse(201, entry.response());
            case JobGroupCommit.Outcome.NonceReused r -> throw Authenticator.reusedNonce(entry.caller().pendingNonce());
            case JobGroupCommit.Outcome.KeyTaken t -> tx.withHandle(h -> replay(h, entry.caller(), entry.idempotencyKey(),
                    entry.requestHash())).orElseGet(() -> writeAlone(entry)); // it expired meanwhile
            // A lost connection may have lost the answer to a COMMIT that happened: retrying here would find this
            // request's own nonce stored and answer 401. A 503 instead lets the client retry with a new nonce and the
            // same Idempotency-Key, which replays the job if it was written.
            case JobGroupCommit.Outcome.RetryAlone r when DatabaseOutage.isCause(r.cause()) -> throw r.cause();
            case JobGroupCommit.Outcome.RetryAlone r -> writeAlone(entry);
        };
    }

    /**
     * The request's writes as a batch of its own, in a transaction of its own: when a shared transaction failed,
     * the failure belongs to the request that caused it.
     */
    private IdempotentResponse writeAlone(JobGroupCommit.Entry entry) {
        var outcome = groupCommit.writeTogether(List.of(entry)).getFirst();
        if (outcome instanceof JobGroupCommit.Outcome.RetryAlone failed) throw failed.cause();
        return answer(entry, outcome);
    }

    private Optional<IdempotentResponse> replay(Handle h, Caller caller, String key, String hash) {
        return Idempotency.replay(idempotency, h, caller.accountUuid(), key, hash, clock.instant().minus(Idempotency.WINDOW));
    }

    private JobRow newJob(Caller caller, Prepared p) {
        Instant now = clock.instant();
        ObjectNode masked = Secrets.masked(p.spec(), p.secretPointers());
        byte[] sealed = secrets.seal(Secrets.extract(p.spec(), p.secretPointers()));
        long assignDeadline = now.toEpochMilli() + p.spec().path("max_timeout_assign_ms").asLong();
        var hint = waitReasons.forNewJob(RunRequirements.ofSpec(p.spec(), gpus.current()));
        return new JobRow(UUID.randomUUID(), caller.accountUuid(), JobStatus.PENDING, hint.reason(), hint.code(),
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

    /**
     * PUT /v1/jobs/{uuid}/cancel: marks the job cancel-requested and lets the lifecycle rule decide: a job
     * with no active run is CANCELLED at once, otherwise CANCELLING until its runs have stopped.
     */
    public Priced cancel(Caller caller, UUID jobUuid, String reason) {
        caller.require(Resource.JOBS, Action.UPDATE);
        return priced(tx.inTransaction(h -> {
            JobRow job = jobs.lockByUuid(h, jobUuid)
                    .filter(j -> caller.owns(j.accountUuid()) || caller.canAll(Resource.JOBS, Action.UPDATE))
                    .orElseThrow(() -> ApiException.notFound("job"));
            if (job.status() == JobStatus.CANCELLING) return job; // asked already: cancelling again changes nothing
            if (!job.status().canBeCancelled()) {
                throw ApiException.conflict("job " + jobUuid + " is already " + job.status() + " and cannot be cancelled");
            }
            jobs.requestCancel(h, jobUuid, reason);
            reconciler.reconcile(h, jobUuid, clock.instant());
            if (reason != null && !reason.isBlank()) jobs.appendToStatusReason(h, jobUuid, reason);
            return jobs.byUuid(h, jobUuid).orElseThrow();
        }));
    }

    /** A page of jobs with what each costs: the list's rows and their {@link #charges}. */
    public record PricedPage(ListSql.Page<JobRow> page, Map<UUID, BillingService.JobCharges> charges) {}

    /** GET /v1/jobs: the caller's jobs (or everyone's with jobs.read.all), each with its price and cost so far. */
    public PricedPage list(Caller caller, ListQuery q) {
        UUID account = caller.canAll(Resource.JOBS, Action.READ) ? null : caller.accountUuid();
        ListSql.Page<JobRow> page = tx.withHandle(h -> jobs.list(h, account, q));
        return new PricedPage(page, charges(page.data()));
    }

    /** The price per hour and cost so far of each of these jobs (spec §9), in a few queries for all of them. */
    private Map<UUID, BillingService.JobCharges> charges(List<JobRow> jobs) {
        return billing.charges(jobs.stream()
                .map(j -> new BillingService.PricedJob(j.uuid(), j.status() == JobStatus.PENDING, j.spec())).toList());
    }

    /** A job with what it costs: what GET and cancel answer. */
    public record Priced(JobRow job, BillingService.JobCharges charges) {}

    private Priced priced(JobRow job) {
        return new Priced(job, charges(List.of(job)).get(job.uuid()));
    }

    /** A job of the caller's account, or any with jobs.read.all; else it does not exist (404). */
    public Priced get(Caller caller, UUID uuid) {
        return priced(tx.withHandle(h -> jobs.byUuid(h, uuid))
                .filter(j -> caller.owns(j.accountUuid()) || caller.canAll(Resource.JOBS, Action.READ))
                .orElseThrow(() -> ApiException.notFound("job")));
    }
}
