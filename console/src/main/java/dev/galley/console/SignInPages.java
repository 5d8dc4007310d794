package dev.galley.console;

import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.net.URI;

/** /console/sign-in and /console/sign-out. */
final class SignInPages {
    private final Web web;
    private final Supplier<URI> api;
    private final SignInLimiter limiter;
    private final Clock clock;

    SignInPages(Web web, Supplier<URI> api, SignInLimiter limiter, Clock clock) {
        this.web = web;
        this.api = api;
        this.limiter = limiter;
        this.clock = clock;
    }

    void register() {
        web.open(HandlerType.GET, "/console", ctx -> ctx.status(303).header("Location", "/console/jobs"));
        web.open(HandlerType.GET, "/console/", ctx -> ctx.status(303).header("Location", "/console/jobs"));
        web.open(HandlerType.GET, "/console/sign-in", this::form);
        web.open(HandlerType.POST, "/console/sign-in", this::signIn);
        web.post("/console/sign-out", (ctx, s, client) -> {
            web.sessions().close(s);
            Web.setCookie(ctx, "", 0);
            web.toSignIn(ctx, null, "signed-out");
        });
    }

    private void form(Context ctx) {
        String notice = switch (String.valueOf(ctx.queryParam("notice"))) {
            case "signed-out" -> "You are signed out.";
            case "key-refused" -> "Your session ended: its API key no longer works (revoked or expired).";
            default -> null;
        };
        show(ctx, 200, null, notice, "");
    }

    private void show(Context ctx, int status, String error, String notice, String publicKey) {
        String next = ctx.queryParam("next");
        web.page(ctx, status, "sign_in.jte", Web.params("frame", web.frame(null, "Sign in", ""), "error", error,
                "notice", notice, "publicKey", publicKey, "next", next != null && next.startsWith("/console/") ? next : ""));
    }

    private void signIn(Context ctx) {
        // A page of another site cannot sign the browser into an account of the attacker's choosing.
        if ("cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
            show(ctx, 403, "Sign in from the console's own page.", null, "");
            return;
        }
        String address = ctx.ip();
        long now = clock.millis();
        if (!limiter.mayTry(address, now)) {
            show(ctx, 429, "Too many failed sign-ins from your address. Wait a minute and try again.", null, "");
            return;
        }
        String pk = String.valueOf(ctx.formParam("public_key")).strip();
        String sk = String.valueOf(ctx.formParam("secret_key")).strip();
        ApiKeyPair key;
        try {
            key = new ApiKeyPair(pk, sk);
        } catch (IllegalArgumentException e) {
            limiter.failed(address, now);
            show(ctx, 400, "That is not a key pair: " + e.getMessage() + ".", null, pk.startsWith("pk_") ? pk : "");
            return;
        }
        ApiResponse answer;
        try {
            // Any signed request tells whether the pair authenticates; 403 means it does but may not list jobs.
            answer = GalleyClient.builder(api.get(), key).requestTimeout(Duration.ofSeconds(15)).build()
                    .send("GET", "/v1/jobs?limit=1", null, Map.of());
        } catch (GalleyConnectionException e) {
            show(ctx, 503, "The API of this server did not answer. Try again in a moment.", null, pk);
            return;
        }
        if (answer.status() == 401 || answer.status() == 429) {
            limiter.failed(address, now);
            show(ctx, answer.status() == 429 ? 429 : 401, answer.status() == 429 ? "Too many requests with this key; wait a moment."
                    : "This key pair was not accepted: the secret key does not match, or the key is revoked or expired.", null, pk);
            return;
        }
        // A session this browser already had ends here: one browser, one session, and no old id left to reuse.
        web.sessions().find(ctx.cookie(Web.COOKIE)).ifPresent(web.sessions()::close);
        String cookie = web.sessions().open(key);
        Web.setCookie(ctx, cookie, web.sessions().absolute().toSeconds());
        String next = ctx.formParam("next");
        ctx.status(303).header("Location", next != null && next.startsWith("/console/") && !next.startsWith("/console//") ? next : "/console/jobs");
    }
}
