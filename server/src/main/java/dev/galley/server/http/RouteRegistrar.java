package dev.galley.server.http;

import dev.galley.server.auth.Authenticator;
import dev.galley.server.auth.Caller;
import dev.galley.server.metrics.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.time.Duration;

/**
 * Registers routes with the cross-cutting work every request needs, in one visible place: request id,
 * authentication (for signed routes), error mapping to spec §1.2 and per-route metrics.
 */
public final class RouteRegistrar {
    /** A handler for a signed route: it gets the authenticated caller. */
    @FunctionalInterface
    public interface SignedHandler {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    private final RoutesConfig routes;
    private final Authenticator authenticator;
    private final Metrics metrics;
    /**
     * Admission control: at most this many signed requests are worked on at once (long-polls and log
     * follows excepted: they mostly wait). Past it the server answers 429 at once instead of queueing
     * thousands of requests for 16 database connections, so latency and memory stay bounded under overload.
     */
    private final java.util.concurrent.Semaphore inFlight;

    public RouteRegistrar(RoutesConfig routes, Authenticator authenticator, Metrics metrics, int maxInFlight) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.inFlight = new java.util.concurrent.Semaphore(maxInFlight);
    }

    public void get(String path, SignedHandler h) { signed(HandlerType.GET, path, h); }
    public void post(String path, SignedHandler h) { signed(HandlerType.POST, path, h); }

    /** A POST whose handler claims the nonce inside its own write transaction (see {@code NonceClaim}). */
    public void postClaimingNonce(String path, SignedHandler h) { signed(HandlerType.POST, path, h, true); }
    public void put(String path, SignedHandler h) { signed(HandlerType.PUT, path, h); }
    public void patch(String path, SignedHandler h) { signed(HandlerType.PATCH, path, h); }
    public void delete(String path, SignedHandler h) { signed(HandlerType.DELETE, path, h); }

    /** An unsigned route (health, metrics, the OpenAPI document). */
    public void open(HandlerType method, String path, Handler h) {
        routes.addEndpoint(new io.javalin.router.Endpoint(method, path, ctx -> run(ctx, method, path, () -> h.handle(ctx))));
    }

    private void signed(HandlerType method, String path, SignedHandler h) {
        signed(method, path, h, false);
    }

    private void signed(HandlerType method, String path, SignedHandler h, boolean deferNonce) {
        boolean waits = path.endsWith("/assignments") || (method == HandlerType.GET && path.endsWith("/logs"));
        routes.addEndpoint(new io.javalin.router.Endpoint(method, path, ctx -> run(ctx, method, path, () -> {
            if (waits) {
                h.handle(ctx, authenticator.authenticate(ctx));
                return;
            }
            if (!inFlight.tryAcquire()) throw ApiException.busy();
            try {
                h.handle(ctx, authenticator.authenticate(ctx, deferNonce));
            } finally {
                inFlight.release();
            }
        })));
    }

    private interface Body {
        void run() throws Exception;
    }

    /** True once one of our routes handled the request (so a 404 it produced already has a JSON body). */
    public static boolean handled(Context ctx) {
        return ctx.attribute(HANDLED) != null;
    }

    private static final String HANDLED = "galley.handled";

    private void run(Context ctx, HandlerType method, String path, Body body) {
        long start = System.nanoTime();
        ctx.attribute(HANDLED, Boolean.TRUE);
        try {
            body.run();
        } catch (Exception e) {
            ErrorResponses.write(ctx, e);
        } finally {
            metrics.recordRequest(method.name(), path, ctx.statusCode(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
