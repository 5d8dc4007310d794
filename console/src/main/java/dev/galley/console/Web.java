package dev.galley.console;

import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-cutting part of every console request, in one place: security headers, the session behind the
 * cookie (none → the sign-in page), the CSRF token on every POST (none or wrong → 403), a per-session API client
 * for the replica's own API, and what each API failure looks like as a page.
 */
final class Web {
    private static final Logger log = LoggerFactory.getLogger(Web.class);
    static final String COOKIE = "galley_session";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @FunctionalInterface
    interface PageHandler {
        void handle(Context ctx, Session session, GalleyClient api) throws Exception;
    }

    @FunctionalInterface
    interface OpenHandler {
        void handle(Context ctx) throws Exception;
    }

    private final RoutesConfig routes;
    private final Sessions sessions;
    private final Supplier<URI> api;
    private final Assets assets;
    private final Consumer<Context> markHandled;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    Web(RoutesConfig routes, Sessions sessions, Supplier<URI> api, Assets assets, Consumer<Context> markHandled) {
        this.routes = routes;
        this.markHandled = markHandled;
        this.sessions = sessions;
        this.api = api;
        this.assets = assets;
    }

    Sessions sessions() {
        return sessions;
    }

    void get(String path, PageHandler h) {
        add(HandlerType.GET, path, h);
    }

    void post(String path, PageHandler h) {
        add(HandlerType.POST, path, h);
    }

    /** A route that needs no session (sign-in, assets). */
    void open(HandlerType method, String path, OpenHandler h) {
        routes.addEndpoint(new Endpoint(method, path, ctx -> {
            secure(ctx);
            try {
                h.handle(ctx);
            } catch (Exception e) {
                failed(ctx, null, e);
            }
        }));
    }

    /**
     * Every other path under {@code /console/}: the console's 404 page instead of the API's JSON, signed in or not
     * (signed out, the page shows no navigation, only the way to sign in). Must be registered after every page:
     * Javalin gives a request to the first endpoint that matches, in the order they were added.
     */
    void unknownPaths() {
        for (HandlerType method : java.util.List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            routes.addEndpoint(new Endpoint(method, "/console/*", ctx -> {
                secure(ctx);
                notFound(ctx, sessions.find(ctx.cookie(COOKIE)).orElse(null));
            }));
        }
    }

    private void add(HandlerType method, String path, PageHandler h) {
        routes.addEndpoint(new Endpoint(method, path, ctx -> {
            secure(ctx);
            Optional<Session> session = sessions.find(ctx.cookie(COOKIE));
            if (session.isEmpty()) {
                toSignIn(ctx, method == HandlerType.GET ? ctx.path() : null, null);
                return;
            }
            Session s = session.get();
            if (method == HandlerType.POST && !csrfMatches(ctx, s)) {
                page(ctx, 403, "error.jte", Map.of("frame", frame(s, "Forbidden", ""), "status", 403,
                        "message", "This form has expired or did not come from the console. Go back, reload the page and try again."));
                return;
            }
            long start = System.nanoTime();
            try {
                h.handle(ctx, s, client(s));
            } catch (Exception e) {
                failed(ctx, s, e);
            }
            // The server's own time for the page (API calls and rendering), for the benchmark and the browser's tools.
            if (!ctx.res().isCommitted()) ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "page;dur=%.1f",
                    (System.nanoTime() - start) / 1e6));
        }));
    }

    /**
     * The API client that signs as this session's key. Clients are kept per key pair (a client owns an HTTP
     * client and its pooled connections; making one per page view cost more than the page), at most
     * {@code MAX_CLIENTS}, least recently used first out.
     */
    GalleyClient client(Session s) {
        synchronized (clients) {
            return clients.computeIfAbsent(s.key(), k -> GalleyClient.builder(api.get(), k).requestTimeout(Duration.ofSeconds(30)).build());
        }
    }

    private static final int MAX_CLIENTS = 256;
    private final Map<dev.galley.client.ApiKeyPair, GalleyClient> clients = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<dev.galley.client.ApiKeyPair, GalleyClient> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    private static boolean csrfMatches(Context ctx, Session s) {
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null) sent = ctx.formParam(CSRF_FIELD);
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), s.csrfToken().getBytes(StandardCharsets.UTF_8));
    }

    /** Headers every console response carries; pages are never cached (they show one user's data). */
    private void secure(Context ctx) {
        markHandled.accept(ctx);
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    Frame frame(Session s, String title, String section) {
        return new Frame(title, section, s == null ? null : s.key().publicKey(), s == null ? null : s.csrfToken(),
                assets.url("console.css"), assets.url("console.js"));
    }

    void page(Context ctx, int status, String template, Map<String, Object> params) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(render(template, params));
    }

    String render(String template, Map<String, Object> params) {
        var out = new StringOutput(8192);
        templates.render(template, params, out);
        return out.toString();
    }

    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    void toSignIn(Context ctx, String next, String notice) {
        String target = "/console/sign-in";
        StringBuilder q = new StringBuilder();
        if (next != null && next.startsWith("/console/")) q.append("next=").append(java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
        if (notice != null) q.append(q.isEmpty() ? "" : "&").append("notice=").append(notice);
        ctx.status(303).header("Location", q.isEmpty() ? target : target + "?" + q);
    }

    static void setCookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme());
        ctx.header("Set-Cookie", COOKIE + "=" + value + "; Path=/console; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : ""));
    }

    /** A path segment that must be a uuid; anything else is a page that does not exist (and never reaches the API). */
    static UUID uuid(Context ctx, String name) {
        try {
            return UUID.fromString(ctx.pathParam(name));
        } catch (IllegalArgumentException e) {
            throw new NotFound();
        }
    }

    /** A console URL that names nothing. */
    static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }

    private void failed(Context ctx, Session s, Exception e) {
        if (e instanceof NotFound) {
            notFound(ctx, s);
        } else if (e instanceof GalleyApiException api) {
            switch (api.status()) {
                case 401 -> { // the key was revoked or expired: the session is over
                    if (s != null) sessions.close(s);
                    setCookie(ctx, "", 0);
                    toSignIn(ctx, null, "key-refused");
                }
                case 404 -> notFound(ctx, s);
                default -> page(ctx, api.status() == 403 || api.status() == 429 || api.status() == 409 ? api.status() : 502,
                        "error.jte", params("frame", frame(s, "Error", ""), "status", api.status(),
                                "message", api.apiMessage() == null ? "The API answered " + api.status() : api.apiMessage()));
            }
        } else if (e instanceof GalleyConnectionException) {
            page(ctx, 503, "error.jte", params("frame", frame(s, "Unavailable", ""), "status", 503,
                    "message", "The API of this server did not answer. Try again in a moment."));
        } else {
            log.warn("console request {} {} failed", ctx.method(), ctx.path(), e);
            page(ctx, 500, "error.jte", params("frame", frame(s, "Error", ""), "status", 500,
                    "message", "Something went wrong on the server. The request id is " + dev.galley.server.http.RequestIds.of(ctx) + "."));
        }
    }

    void notFound(Context ctx, Session s) {
        page(ctx, 404, "error.jte", params("frame", frame(s, "Not found", ""), "status", 404,
                "message", "There is nothing here, or your key may not see it."));
    }
}
