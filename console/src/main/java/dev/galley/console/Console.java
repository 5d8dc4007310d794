package dev.galley.console;

import dev.galley.server.extension.ExtensionContext;
import dev.galley.server.extension.ServerExtension;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console (spec §11), served by {@code galley server} at {@code /console}. Every page acts as its
 * signed-in user through the documented {@code /v1} API of its own replica, signed with the session's key pair,
 * so the console can do exactly what that key may do and every page has an API twin.
 */
public final class Console implements ServerExtension {
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    public static final Duration DEFAULT_IDLE = Duration.ofHours(1);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);

    private final Duration idle;
    private final Duration absolute;

    public Console() {
        this(DEFAULT_IDLE, DEFAULT_ABSOLUTE);
    }

    /** With session lifetimes of its own (tests shorten them to see a session expire). */
    public Console(Duration idle, Duration absolute) {
        this.idle = idle;
        this.absolute = absolute;
    }

    @Override
    public void register(RoutesConfig routes, ExtensionContext context) {
        var sessions = new Sessions(context.tx(), new SessionRepository(), context.box(), context.clock(), idle, absolute);
        var assets = new Assets();
        var web = new Web(routes, sessions, context.selfUrl(), assets, context.markHandled());
        web.open(HandlerType.GET, "/console/assets/{hash}/{name}", ctx -> {
            var asset = assets.find(ctx.pathParam("hash"), ctx.pathParam("name"));
            if (asset.isEmpty()) {
                ctx.status(404).contentType("text/plain").result("no such asset");
                return;
            }
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.contentType(asset.get().contentType()).result(asset.get().bytes());
        });
        new SignInPages(web, context.selfUrl(), new SignInLimiter(10, 6_000), context.clock()).register();
        new JobPages(web).register();
        new RecipePages(web).register();
        new KeyPages(web, context.clock()).register();
        new ClusterPages(web, context.clock()).register();
        new EpochPages(web).register();
        web.unknownPaths(); // last: it matches every path under /console/
        var sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("galley-console-sessions").daemon().factory());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sessions.sweep();
            } catch (RuntimeException e) {
                log.debug("sweeping ended console sessions failed; will retry", e);
            }
        }, 5, 5, TimeUnit.MINUTES);
    }
}
