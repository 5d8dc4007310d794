package dev.galley.server;

import dev.galley.server.accounts.AccountHandlers;
import dev.galley.server.accounts.AccountRepository;
import dev.galley.server.auth.Authenticator;
import dev.galley.server.auth.NonceRepository;
import dev.galley.server.billing.Billing;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.crypto.MasterKeys;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.db.Database;
import dev.galley.server.db.DatabaseOutage;
import dev.galley.server.db.EmbeddedPostgresLauncher;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.gpus.GpuHandlers;
import dev.galley.server.gpus.GpuRepository;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.ApiRoutes;
import dev.galley.server.http.ErrorResponses;
import dev.galley.server.http.Json;
import dev.galley.server.http.RequestIds;
import dev.galley.server.http.RouteRegistrar;
import dev.galley.server.jobs.IdempotencyRepository;
import dev.galley.server.jobs.JobHandlers;
import dev.galley.server.jobs.JobRepository;
import dev.galley.server.jobs.JobService;
import dev.galley.server.keys.ApiKeyHandlers;
import dev.galley.server.keys.ApiKeyRepository;
import dev.galley.server.keys.Bootstrap;
import dev.galley.server.metrics.Metrics;
import dev.galley.server.metrics.StatusGauges;
import dev.galley.server.recipes.RecipeHandlers;
import dev.galley.server.recipes.RecipeRepository;
import dev.galley.server.nodes.NodeHandlers;
import dev.galley.server.nodes.NodeRepository;
import dev.galley.server.runs.JobReconciler;
import dev.galley.server.runs.RunHandlers;
import dev.galley.server.runs.RunRepository;
import dev.galley.server.scheduler.PlanApplier;
import dev.galley.server.scheduler.SchedulingLoop;
import dev.galley.server.scheduler.Signals;
import dev.galley.server.scheduler.SnapshotLoader;
import dev.galley.server.scheduler.TimeoutReaper;
import io.javalin.Javalin;
import java.util.List;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the database, repositories, services and handlers with plain {@code new},
 * registers every route inside {@code Javalin.create}, and starts the background loops.
 */
public final class GalleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GalleyServer.class);
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    private final EmbeddedPostgresLauncher embedded;
    private final Database database;
    private final Javalin app;
    private final ScheduledExecutorService housekeeping;
    private final List<AutoCloseable> loops;
    private final dev.galley.server.billing.BillingService billing;

    private GalleyServer(EmbeddedPostgresLauncher embedded, Database database, Javalin app, ScheduledExecutorService housekeeping,
                         List<AutoCloseable> loops, dev.galley.server.billing.BillingService billing) {
        this.embedded = embedded;
        this.database = database;
        this.app = app;
        this.housekeeping = housekeeping;
        this.loops = loops;
        this.billing = billing;
    }

    public static GalleyServer start(ServerConfig config) {
        long t0 = System.nanoTime();
        EmbeddedPostgresLauncher embedded = null;
        ServerConfig c = config;
        if (config.databaseUrl().isEmpty()) {
            embedded = EmbeddedPostgresLauncher.start(config.dataDir());
            c = config.withDatabase(embedded.jdbcUrl(), embedded.user(), embedded.password());
        }
        String url = c.databaseUrl().orElseThrow();
        Database db = null;
        try {
            db = Database.connect(url, c.databaseUser().orElse(null), c.databasePassword().orElse(null), 16);
            db.migrate();
            byte[] masterKey = MasterKeys.resolve(config.masterKeyBase64(), config.dataDir(), embedded != null);
            GalleyServer server = wire(c, embedded, db, url, new SecretBox(masterKey), Clock.systemUTC());
            log.info("galley server ready on port {} in {} ms", server.port(), (System.nanoTime() - t0) / 1_000_000);
            return server;
        } catch (RuntimeException e) {
            if (db != null) db.close();
            if (embedded != null) embedded.close();
            throw e;
        }
    }

    private static GalleyServer wire(ServerConfig config, EmbeddedPostgresLauncher embedded, Database db, String jdbcUrl,
                                     SecretBox box, Clock clock) {
        var jdbi = db.jdbi();
        var metrics = new Metrics();
        var accounts = new AccountRepository();
        var keys = new ApiKeyRepository();
        var nonces = new NonceRepository();
        var gpuRepo = new GpuRepository();
        var recipes = new RecipeRepository();
        var jobs = new JobRepository();
        var idempotency = new IdempotencyRepository();
        var secrets = new SecretCodec(box);
        var gpuCatalog = new GpuCatalogCache(jdbi, gpuRepo);

        config.bootstrapKey().ifPresent(k -> Bootstrap.ensureOperatorKey(jdbi, k, box, accounts, keys));
        var bill = Billing.wire(jdbi, config.billing(), gpuCatalog, idempotency, clock);

        var runs = new RunRepository();
        var nodes = new NodeRepository();
        var reconciler = new JobReconciler(runs);
        var signals = new Signals(jdbcUrl, config.databaseUser().orElse(null), config.databasePassword().orElse(null));
        var keyCache = new dev.galley.server.auth.ApiKeyCache();
        signals.onKeyChanged(keyCache::invalidate);
        metrics.registry().gauge("galley_assignment_polls_waiting", signals, Signals::nodeWaiters);
        var authenticator = new Authenticator(jdbi, keys, nonces, box, clock,
                new dev.galley.server.auth.RateLimiter(config.rateLimitRps()), keyCache);
        var groupCommit = new dev.galley.server.jobs.JobGroupCommit(jdbi, jobs, nonces, idempotency, recipes, signals::jobsCreated);
        var waitReasons = new dev.galley.core.placement.WaitReasonHints();
        var jobService = new JobService(jdbi, jobs, recipes, idempotency, secrets, gpuCatalog, clock, signals::jobsCreated, reconciler,
                new dev.galley.server.auth.NonceClaim(nonces), groupCommit, waitReasons);
        var nodeKeys = new dev.galley.server.nodes.NodeKeys(jdbi, nodes);
        var runHandlers = new RunHandlers(jdbi, runs, reconciler, signals, clock, nodeKeys,
                new dev.galley.server.runs.LogFollowers(metrics.registry()), config.limits().logRetentionBytes());
        var nodeHandlers = new NodeHandlers(jdbi, nodes, gpuRepo, gpuCatalog, runs, jobs, secrets, signals, clock, nodeKeys,
                config.limits().maxNewGpuModelsPerNode());
        var accountHandlers = new AccountHandlers(jdbi, accounts, clock);
        var keyHandlers = new ApiKeyHandlers(jdbi, keys, accounts, box, clock, keyCache, signals);
        var gpuHandlers = new GpuHandlers(jdbi, gpuRepo);
        var recipeHandlers = new RecipeHandlers(jdbi, recipes, secrets, gpuCatalog, clock);
        var jobHandlers = new JobHandlers(jdbi, jobs, jobService);
        var billingService = bill.service(Duration.ofMillis(config.nodeTtlMs()));
        byte[] openapi = resource("/openapi/galley-v1.yaml");

        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.jetty.host = config.httpHost();
            cfg.jetty.port = config.httpPort();
            // Assignment long-polls hold a request up to 60 s without I/O; the default 30 s idle timeout would cut them.
            cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(120_000));
            // Bodies slower than the minimum data rate are cut off with 408 (spec §8); see RouteRegistrar.
            cfg.jetty.modifyServletContextHandler(h -> h.addFilter(new dev.galley.server.http.MinimumDataRate(
                    config.limits().minRequestDataRate()), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
            cfg.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (var c : server.getConnectors()) {
                        if (c instanceof org.eclipse.jetty.server.AbstractConnector ac) ac.setIdleTimeout(120_000);
                    }
                }
            }));
            cfg.routes.before(RequestIds::assign);
            var r = new RouteRegistrar(cfg.routes, authenticator, metrics, config.maxInFlight());
            r.open(HandlerType.GET, "/health", ctx -> {
                if (!db.isHealthy()) throw ApiException.unavailable();
                ctx.contentType("application/json").result(Json.bytes(Json.object().put("status", "ok")));
            });
            r.open(HandlerType.GET, "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            r.open(HandlerType.GET, "/v1/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
            ApiRoutes.register(r, accountHandlers, keyHandlers, gpuHandlers, recipeHandlers, jobHandlers, runHandlers, nodeHandlers,
                    bill.prices(), bill.usage(), bill.ledger());
            cfg.routes.exception(Exception.class, (e, ctx) -> ErrorResponses.write(ctx, e));
            // Unmatched paths: Javalin's plain-text 404 becomes our error shape. Our own 404s are already JSON.
            cfg.routes.error(404, ctx -> {
                if (!RouteRegistrar.handled(ctx)) {
                    ErrorResponses.write(ctx, ApiException.notFound("endpoint " + ctx.method() + " " + ctx.path()));
                }
            });
        });
        app.start();

        ScheduledExecutorService loops = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("galley-housekeeping").daemon().factory());
        var gauges = new StatusGauges(jdbi, metrics);
        var jobCounts = new dev.galley.server.jobs.JobCounts();
        loops.scheduleWithFixedDelay(() -> {
            try {
                jdbi.useHandle(jobCounts::compact);
            } catch (RuntimeException e) {
                logLoopFailure("compacting job counts", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        loops.scheduleWithFixedDelay(() -> {
            try {
                gauges.refresh();
            } catch (RuntimeException e) {
                logLoopFailure("refreshing status gauges", e);
            }
        }, 0, 10, TimeUnit.SECONDS);
        loops.scheduleWithFixedDelay(() -> {
            try {
                Instant now = clock.instant();
                int n = jdbi.withHandle(h -> nonces.sweep(h, now.minusMillis(2 * Authenticator.WINDOW_MS + 60_000)));
                int k = jdbi.withHandle(h -> idempotency.sweep(h, now.minus(JobService.IDEMPOTENCY_WINDOW)));
                if (n + k > 0) log.debug("housekeeping removed {} nonces and {} idempotency keys", n, k);
            } catch (RuntimeException e) {
                logLoopFailure("housekeeping", e);
            }
        }, 60, 60, TimeUnit.SECONDS);
        var scheduler = new SchedulingLoop(jdbi, new SnapshotLoader(runs), new PlanApplier(jdbi, runs, reconciler, signals),
                gpuCatalog, signals, metrics, clock, waitReasons, config.schedulerRoundJobs());
        var reaper = new TimeoutReaper(jdbi, runs, nodes, reconciler, signals, metrics, clock, config.nodeTtlMs());
        var closer = bill.closer(reconciler, Duration.ofMillis(config.nodeTtlMs()), metrics).start();
        return new GalleyServer(embedded, db, app, loops, List.of(groupCommit, scheduler, reaper, closer, signals), billingService);
    }

    /** A housekeeping failure; while the database is away that is expected, and the pool has said so once already. */
    private static void logLoopFailure(String what, RuntimeException e) {
        if (DatabaseOutage.isCause(e)) log.debug("{} failed: the database is unavailable; will retry", what, e);
        else log.warn("{} failed, will retry: {}", what, e.getMessage());
    }

    private static byte[] resource(String path) {
        try (InputStream in = GalleyServer.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return app.port();
    }

    /** Billing's one-call answers (a job's price and cost, balances, credit checks) for the request paths. */
    public dev.galley.server.billing.BillingService billing() {
        return billing;
    }

    @Override
    public void close() {
        for (AutoCloseable loop : loops) {
            try {
                loop.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", loop, e.getMessage());
            }
        }
        housekeeping.shutdownNow();
        app.stop();
        database.close();
        if (embedded != null) embedded.close();
    }

    /** Blocks the calling thread until the JVM shuts down, closing the server on the way out. */
    public void runUntilShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            close();
        }, "galley-shutdown"));
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
