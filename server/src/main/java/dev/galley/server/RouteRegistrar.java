package dev.galley.server;

import dev.galley.server.auth.Authenticator;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.ClientConnection;
import dev.galley.server.http.ErrorResponses;
import dev.galley.server.http.MinimumDataRate;
import dev.galley.server.metrics.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.time.Duration;

/**
 * Registers routes with the cross-cutting work every request needs, in one visible place: request id,
 * authentication (for signed routes), admission control, error mapping to spec §1.2 and per-route metrics.
 *
 * <p>A signed request goes through, in this order (spec §8: nothing unbounded from one tenant):
 * <ol>
 *   <li>the cheap checks: signing headers, clock window, key known and usable ({@link Authenticator#checkHeaders});
 *   <li>its body, at a minimum data rate ({@link MinimumDataRate}) and with no more than
 *       {@value #BODY_IDLE_TIMEOUT_MS} ms without a byte: a slow or stalled upload is cut off with 408 here;
 *   <li>an admission slot (long-polls and log follows excepted: they mostly wait);
 *   <li>the signature, allowed IPs, the key's rate limit and its nonce, then the handler.
 * </ol>
 * So a client that uploads slowly, or sends what it cannot sign, never holds a slot: the slots only ever
 * hold requests whose whole body is in memory.
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
    /** The longest a request body may go without a byte (the connection's own idle timeout is for long-polls). */
    public static final long BODY_IDLE_TIMEOUT_MS = 10_000;

    public RouteRegistrar(RoutesConfig routes, Authenticator authenticator, Metrics metrics, int maxInFlight) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.inFlight = new java.util.concurrent.Semaphore(maxInFlight);
        io.micrometer.core.instrument.Gauge.builder("galley_http_requests_in_flight", inFlight, s -> maxInFlight - s.availablePermits())
                .description("signed requests holding an admission slot now (long-polls and log follows are not counted)")
                .register(metrics.registry());
    }

    public void get(String path, SignedHandler h) { signed(HandlerType.GET, path, h); }
    public void post(String path, SignedHandler h) { signed(HandlerType.POST, path, h); }

    /** A POST whose handler claims the nonce inside its own write transaction (create and cook: see {@code JobGroupCommit}). */
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
        boolean longPoll = path.endsWith("/assignments");
        boolean logs = method == HandlerType.GET && path.endsWith("/logs");
        routes.addEndpoint(new io.javalin.router.Endpoint(method, path, ctx -> run(ctx, method, path, () -> {
            var headers = authenticator.checkHeaders(ctx);
            readBody(ctx);
            if (longPoll || (logs && "true".equals(ctx.queryParam("follow")))) {
                h.handle(ctx, authenticator.authenticate(ctx, headers, deferNonce));
                return;
            }
            if (!inFlight.tryAcquire()) throw ApiException.busy();
            try {
                h.handle(ctx, authenticator.authenticate(ctx, headers, deferNonce));
            } finally {
                inFlight.release();
            }
        })));
    }

    /**
     * Reads the whole body (Javalin keeps it for {@code ctx.bodyAsBytes()}). {@link MinimumDataRate} fails a read of
     * a body arriving too slowly; until the body has arrived, the connection's idle timeout is lowered to
     * {@value #BODY_IDLE_TIMEOUT_MS} ms, so a body that stops arriving fails too. Either is a 408, and the
     * connection is closed.
     */
    private static void readBody(Context ctx) {
        var endPoint = arrived(ctx) ? java.util.Optional.<org.eclipse.jetty.io.EndPoint>empty() : ClientConnection.endPoint(ctx);
        long idle = endPoint.map(org.eclipse.jetty.io.EndPoint::getIdleTimeout).orElse(0L);
        boolean lower = endPoint.isPresent() && (idle <= 0 || idle > BODY_IDLE_TIMEOUT_MS);
        if (lower) endPoint.get().setIdleTimeout(BODY_IDLE_TIMEOUT_MS);
        try {
            ctx.bodyAsBytes();
        } catch (io.javalin.http.HttpResponseException e) {
            throw e; // 413: over the body limit
        } catch (Exception e) { // Kotlin passes IOExceptions on undeclared
            ctx.header("Connection", "close");
            throw new ApiException(408, "request_timeout", "the request body arrived too slowly or stopped arriving;"
                    + " send it at once (the server cuts off bodies slower than its minimum data rate after "
                    + MinimumDataRate.GRACE_MS / 1000 + " s, or idle for " + BODY_IDLE_TIMEOUT_MS / 1000 + " s)",
                    java.util.List.of(), java.util.Map.of(), java.util.Map.of());
        } finally {
            if (lower) endPoint.get().setIdleTimeout(idle);
        }
    }

    /** True when there is no body, or all of it came with the headers (most requests): nothing to guard. */
    private static boolean arrived(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length <= 0 && ctx.header("Transfer-Encoding") == null) return true;
        try {
            return length > 0 && ctx.req().getInputStream().available() >= length;
        } catch (java.io.IOException e) {
            return false;
        }
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
