package dev.galley.server;

import dev.galley.core.placement.WaitReasonHints;
import dev.galley.server.accounts.AccountHandlers;
import dev.galley.server.accounts.AccountRepository;
import dev.galley.server.accounts.AccountService;
import dev.galley.server.auth.ApiKeyCache;
import dev.galley.server.auth.ApiKeyRepository;
import dev.galley.server.auth.Authenticator;
import dev.galley.server.auth.NonceRepository;
import dev.galley.server.auth.RateLimiter;
import dev.galley.server.billing.Billing;
import dev.galley.server.billing.BillingService;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.crypto.MasterKeys;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.crypto.SecretCodec;
import dev.galley.server.db.Database;
import dev.galley.server.db.DatabaseOutage;
import dev.galley.server.db.EmbeddedPostgresLauncher;
import dev.galley.server.db.Signals;
import dev.galley.server.db.Transactions;
import dev.galley.server.extension.ExtensionContext;
import dev.galley.server.extension.ServerExtension;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.gpus.GpuHandlers;
import dev.galley.server.gpus.GpuRepository;
import dev.galley.server.gpus.GpuService;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.ErrorResponses;
import dev.galley.server.http.Json;
import dev.galley.server.http.RequestIds;
import dev.galley.server.idempotency.Idempotency;
import dev.galley.server.idempotency.IdempotencyRepository;
import dev.galley.server.jobs.JobGroupCommit;
import dev.galley.server.jobs.JobHandlers;
import dev.galley.server.jobs.JobService;
import dev.galley.server.keys.ApiKeyHandlers;
import dev.galley.server.keys.ApiKeyService;
import dev.galley.server.keys.Bootstrap;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.lifecycle.JobStatusRepository;
import dev.galley.server.lifecycle.RunRepository;
import dev.galley.server.metrics.Metrics;
import dev.galley.server.nodes.HardwareEventRepository;
import dev.galley.server.nodes.NodeHandlers;
import dev.galley.server.nodes.NodeKeys;
import dev.galley.server.nodes.NodeRepository;
import dev.galley.server.nodes.NodeService;
import dev.galley.server.providers.EpochFinalizer;
import dev.galley.server.providers.EpochHandlers;
import dev.galley.server.providers.EpochRepository;
import dev.galley.server.providers.EpochService;
import dev.galley.server.providers.ReputationRepository;
import dev.galley.server.providers.ReputationUpdater;
import dev.galley.server.providers.RewardPayouts;
import dev.galley.server.recipes.RecipeHandlers;
import dev.galley.server.recipes.RecipeRepository;
import dev.galley.server.recipes.RecipeService;
import dev.galley.server.runs.LogFollowers;
import dev.galley.server.runs.RunHandlers;
import dev.galley.server.runs.RunService;
import dev.galley.server.scheduler.CreditGate;
import dev.galley.server.scheduler.PlanApplier;
import dev.galley.server.scheduler.SchedulingLoop;
import dev.galley.server.scheduler.SnapshotLoader;
import dev.galley.server.scheduler.TimeoutReaper;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
    private final BillingService billing;

    private GalleyServer(EmbeddedPostgresLauncher embedded, Database database, Javalin app, ScheduledExecutorService housekeeping,
                         List<AutoCloseable> loops, BillingService billing) {
        this.embedded = embedded;
        this.database = database;
        this.app = app;
        this.housekeeping = housekeeping;
        this.loops = loops;
        this.billing = billing;
    }

    public static GalleyServer start(ServerConfig config) {
        return start(config, List.of());
    }

    /** A server with extensions (the web console) whose routes sit beside the API's; see {@link ServerExtension}. */
    public static GalleyServer start(ServerConfig config, List<ServerExtension> extensions) {
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
            // Whole milliseconds: timestamps are stored and shown to the millisecond, so what is read back sorts and filters
            // like what was written (decisions.md).
            GalleyServer server = wire(c, embedded, db, url, new SecretBox(masterKey), Clock.tickMillis(ZoneOffset.UTC), extensions);
            log.info("galley server ready on port {} in {} ms", server.port(), (System.nanoTime() - t0) / 1_000_000);
            return server;
        } catch (RuntimeException e) {
            if (db != null) db.close();
            if (embedded != null) embedded.close();
            throw e;
        }
    }

    private static GalleyServer wire(ServerConfig config, EmbeddedPostgresLauncher embedded, Database db, String jdbcUrl,
                                     SecretBox box, Clock clock, List<ServerExtension> extensions) {
        var jdbi = db.jdbi();
        var tx = new Transactions(jdbi);
        var metrics = new Metrics();
        var accounts = new AccountRepository();
        var keys = new ApiKeyRepository();
        var nonces = new NonceRepository();
        var gpuRepo = new GpuRepository();
        var recipes = new RecipeRepository();
        var jobs = new JobRepository();
        var idempotency = new IdempotencyRepository();
        var runs = new RunRepository();
        var nodes = new NodeRepository();
        var secrets = new SecretCodec(box);
        var gpuCatalog = new GpuCatalogCache(tx, gpuRepo);

        config.bootstrapKey().ifPresent(k -> Bootstrap.ensureOperatorKey(tx, k, box, accounts, keys));

        var reconciler = new JobReconciler(runs, new JobStatusRepository());
        var signals = new Signals(jdbcUrl, config.databaseUser().orElse(null), config.databasePassword().orElse(null));
        var bill = Billing.wire(tx, config.billing(), gpuCatalog, idempotency, signals::wakeScheduler, clock);
        var billingService = bill.service(Duration.ofMillis(config.nodeTtlMs()));
        var keyCache = new ApiKeyCache();
        signals.onKeyChanged(keyCache::invalidate);
        metrics.registry().gauge("galley_assignment_polls_waiting", signals, Signals::nodeWaiters);
        var authenticator = new Authenticator(tx, keys, nonces, box, clock, new RateLimiter(config.rateLimitRps()), keyCache);
        var groupCommit = new JobGroupCommit(tx, jobs, nonces, idempotency, recipes, signals::jobsCreated);
        var waitReasons = new WaitReasonHints();
        var recipeService = new RecipeService(tx, recipes, secrets, gpuCatalog, clock, signals);
        var jobService = new JobService(tx, jobs, recipeService, idempotency, nonces, secrets, gpuCatalog, clock, reconciler,
                groupCommit, waitReasons, billingService);
        var nodeKeys = new NodeKeys(tx, nodes);
        var followers = new LogFollowers(metrics.registry());
        var closer = bill.closer(reconciler, Duration.ofMillis(config.nodeTtlMs()), metrics);
        var runHandlers = new RunHandlers(new RunService(tx, runs, jobs, reconciler, signals, nodeKeys, followers, clock,
                config.limits().logRetentionBytes(), closer::wake), followers);
        var nodeService = new NodeService(tx, nodes, gpuRepo, runs, jobs, nodeKeys, gpuCatalog, secrets, signals,
                clock, config.limits().maxNewGpuModelsPerNode(), new HardwareEventRepository(), config.providers().telemetry());
        var nodeHandlers = new NodeHandlers(nodeService);
        var epochRepo = new EpochRepository();
        var epochService = new EpochService(tx, epochRepo, nodes, gpuCatalog, config.providers(), new RewardPayouts(epochRepo, bill.postings()), clock);
        var epochHandlers = new EpochHandlers(epochService);
        var accountHandlers = new AccountHandlers(new AccountService(tx, accounts, clock, config.billing().currency()));
        var keyHandlers = new ApiKeyHandlers(new ApiKeyService(tx, keys, accounts, box, clock, keyCache, signals));
        var gpuHandlers = new GpuHandlers(new GpuService(tx, gpuRepo));
        var recipeHandlers = new RecipeHandlers(recipeService);
        var jobHandlers = new JobHandlers(jobService);
        byte[] openapi = resource("/openapi/galley-v1.yaml");

        var started = new java.util.concurrent.atomic.AtomicReference<Javalin>();
        var extensionContext = new ExtensionContext(tx, box, clock, () -> selfUrl(config.httpHost(), started.get().port()),
                RouteRegistrar::markHandled);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.jetty.host = config.httpHost();
            cfg.jetty.port = config.httpPort();
            // Assignment long-polls hold a request up to 60 s without I/O; the default 30 s idle timeout would cut them.
            cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(120_000));
            // Javalin sets Jetty's LEGACY URI compliance, which lets %u0041 and a bare % through to Javalin's path-parameter
            // decoding, where they threw (500). Jetty refuses them instead, with a 400 (see HttpLayerErrors).
            cfg.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY.without(
                    "LEGACY_DECODABLE", org.eclipse.jetty.http.UriCompliance.Violation.UTF16_ENCODINGS,
                    org.eclipse.jetty.http.UriCompliance.Violation.BAD_PERCENT_ENCODING)));
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
            // What Jetty refuses before any route (not HTTP, headers or URI too large) gets the API's error body too.
            cfg.jetty.modifyServer(server -> server.setErrorHandler(dev.galley.server.http.HttpLayerErrors.forServer()));
            cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(dev.galley.server.http.HttpLayerErrors.forServletContext()));
            cfg.routes.before(RequestIds::assign);
            var r = new RouteRegistrar(cfg.routes, authenticator, metrics, config.maxInFlight());
            r.open(HandlerType.GET, "/health", ctx -> {
                if (!db.isHealthy()) throw ApiException.unavailable();
                ctx.contentType("application/json").result(Json.bytes(Json.object().put("status", "ok")));
            });
            r.open(HandlerType.GET, "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            r.open(HandlerType.GET, "/v1/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
            ApiRoutes.register(r, accountHandlers, keyHandlers, gpuHandlers, recipeHandlers, jobHandlers, runHandlers, nodeHandlers,
                    bill.prices(), bill.usage(), bill.ledger(), epochHandlers);
            extensions.forEach(e -> e.register(cfg.routes, extensionContext));
            cfg.routes.exception(Exception.class, (e, ctx) -> ErrorResponses.write(ctx, e));
            // Unmatched paths: Javalin's plain-text 404 becomes our error shape. Our own 404s are already JSON.
            cfg.routes.error(404, ctx -> {
                if (!RouteRegistrar.handled(ctx)) {
                    ErrorResponses.write(ctx, ApiException.notFound("endpoint " + ctx.method() + " " + ctx.path()));
                }
            });
        });
        started.set(app);
        app.start();

        ScheduledExecutorService loops = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("galley-housekeeping").daemon().factory());
        var gauges = new StatusGauges(tx, jobs, nodes, metrics);
        loops.scheduleWithFixedDelay(() -> {
            try {
                tx.useHandle(jobs::compactCounts);
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
                int n = tx.withHandle(h -> nonces.sweep(h, now.minusMillis(2 * Authenticator.WINDOW_MS + 60_000)));
                int k = tx.withHandle(h -> idempotency.sweep(h, now.minus(Idempotency.WINDOW)));
                if (n + k > 0) log.debug("housekeeping removed {} nonces and {} idempotency keys", n, k);
            } catch (RuntimeException e) {
                logLoopFailure("housekeeping", e);
            }
        }, 60, 60, TimeUnit.SECONDS);
        // Hardware events past the retention: swept once per telemetry interval (at most every minute), so none
        // outlives the retention by much more than an interval.
        long sweepMs = Math.min(60_000, config.providers().telemetry().interval().toMillis());
        loops.scheduleWithFixedDelay(() -> {
            try {
                int e = nodeService.sweepHardwareEvents();
                if (e > 0) log.debug("housekeeping removed {} hardware events past the retention", e);
            } catch (RuntimeException e) {
                logLoopFailure("sweeping hardware events", e);
            }
        }, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        var placement = new dev.galley.server.scheduler.PlacementRepository();
        var snapshots = new SnapshotLoader(placement, runs);
        var scheduler = new SchedulingLoop(jdbi, snapshots, new PlanApplier(jdbi, placement, snapshots, runs, reconciler, signals),
                gpuCatalog, signals, metrics, clock, waitReasons, CreditGate.of(billingService::withoutCredit, jdbi, reconciler),
                config.schedulerRoundJobs());
        var reaper = new TimeoutReaper(jdbi, runs, nodes, reconciler, signals, metrics, clock, config.nodeTtlMs());
        closer.start();
        var epochFinalizer = new EpochFinalizer(epochService, metrics);
        var reputation = new ReputationUpdater(tx, new ReputationRepository(), config.providers().reputation(), metrics, clock,
                config.providers().reputationInterval());
        return new GalleyServer(embedded, db, app, loops, List.of(groupCommit, scheduler, reaper, closer, epochFinalizer, reputation,
                signals), billingService);
    }

    /** A housekeeping failure; while the database is away that is expected, and the pool has said so once already. */
    private static void logLoopFailure(String what, RuntimeException e) {
        if (DatabaseOutage.isCause(e)) log.debug("{} failed: the database is unavailable; will retry", what, e);
        else log.warn("{} failed, will retry: {}", what, e.getMessage());
    }

    /** This replica's API as seen from this machine: loopback unless the server listens on one address only. */
    private static java.net.URI selfUrl(String host, int port) {
        boolean any = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        String h = any ? "127.0.0.1" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return java.net.URI.create("http://" + h + ":" + port);
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
    public BillingService billing() {
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
