package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.console.WebClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console attacked over plain HTTP: injection, CSRF, other accounts' URLs, sessions that must end. */
class ConsoleSecurityIT {
    static GalleyServer server;
    static TestServer.Tenant alice;
    static TestServer.Tenant bob;

    static final List<String> PAGES = List.of("/console/jobs", "/console/recipes", "/console/nodes", "/console/gpus",
            "/console/keys", "/console/billing", "/console/accounts", "/console/prices", "/console/epochs");

    @BeforeAll
    static void setUp() {
        server = ConsoleServer.shared();
        alice = ConsoleServer.tenant(server);
        bob = ConsoleServer.tenant(server);
    }

    WebClient signedIn(TestServer.Tenant t) {
        var web = new WebClient(ConsoleServer.base(server));
        web.signIn(t.keyPair());
        return web;
    }

    @Test
    void everyPageIsClosedWithoutASessionAndOpenWithOne() {
        var anonymous = new WebClient(ConsoleServer.base(server));
        for (String page : PAGES) {
            var p = anonymous.get(page);
            assertThat(p.status()).as(page).isEqualTo(303);
            assertThat(p.location()).as(page).startsWith("/console/sign-in");
        }
        var web = signedIn(alice);
        for (String page : PAGES) {
            var p = web.get(page);
            // Operator pages answer 403 for a consumer key, or say a part is not on this server: never a 5xx.
            assertThat(p.status()).as(page + ": " + p.body()).isIn(200, 403);
            assertThat(p.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                    .doesNotContain("unsafe-inline");
            assertThat(p.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(p.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
    }

    @Test
    void aBadKeyPairShowsTheFormAgainWithAClearError() {
        var web = new WebClient(ConsoleServer.base(server));
        String pk = alice.keyPair().substring(0, alice.keyPair().indexOf(':'));
        var wrongSecret = web.post("/console/sign-in", form("public_key", pk, "secret_key", "sk_wrongwrongwrong"));
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("was not accepted").contains("name=\"secret_key\"").contains(pk);
        assertThat(web.cookie).isNull();
        var notAPair = web.post("/console/sign-in", form("public_key", "hello", "secret_key", ""));
        assertThat(notAPair.status()).isEqualTo(400);
        assertThat(notAPair.body()).contains("public key must start with pk_");
    }

    @Test
    void failedSignInsFromOneAddressAreRateLimited() {
        // A server of its own: its limiter is not shared with the other tests, which sign in from the same address.
        try (GalleyServer own = ConsoleServer.start(Console.DEFAULT_IDLE, Console.DEFAULT_ABSOLUTE)) {
            failedSignInsAreLimited(new WebClient(ConsoleServer.base(own)));
        }
    }

    private static void failedSignInsAreLimited(WebClient web) {
        int limited = 0;
        for (int i = 0; i < 15; i++) {
            var p = web.post("/console/sign-in", form("public_key", "pk_nobody" + i, "secret_key", "sk_nothing"));
            if (p.status() == 429) limited++;
        }
        assertThat(limited).isGreaterThan(0);
        // Even the right pair waits now: the limit is on the address, so guessing cannot go around it.
        var right = web.post("/console/sign-in", form("public_key", "pk_x", "secret_key", "sk_y"));
        assertThat(right.status()).isEqualTo(429);
        assertThat(right.body()).contains("Too many failed sign-ins");
    }

    @Test
    void aRecipeNamedLikeMarkupAndItsQuickstartRenderInert() {
        String evil = "<img src=x onerror=alert(1)>";
        String uuid = ConsoleServer.recipe(alice, evil);
        var web = signedIn(alice);
        for (String page : List.of("/console/recipes", "/console/recipes/" + uuid + "/cook")) {
            String html = web.get(page).body();
            assertThat(html).as(page).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain(evil);
            assertThat(html).as(page).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        }
    }

    @Test
    void aLogLineWithMarkupRendersInert() {
        String recipe = ConsoleServer.recipe(alice, "logs");
        JsonNode job = alice.ok("POST", "/v1/job-recipes/" + recipe + "/cook", "{\"inputs\":{\"scene\":\"x\"}}", 201);
        SimulatedNode node = Nodes.register(server, alice, "inert-logs");
        try {
            JsonNode a = Nodes.assignmentFor(node, job.get("uuid").asText());
            String run = a.path("job_run").path("uuid").asText();
            node.reportOk(run, "{\"status\":\"PREPARING\"}");
            node.reportOk(run, "{\"status\":\"RUNNING\"}");
            node.log(run, "<script>alert('log')</script><b onmouseover=alert(2)>hi</b>\n");
            node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
            String html = signedIn(alice).get("/console/job-runs/" + run).body();
            assertThat(html).contains("&lt;script&gt;alert('log')&lt;/script&gt;&lt;b onmouseover=alert(2)&gt;hi&lt;/b&gt;")
                    .doesNotContain("<script>alert").doesNotContain("<b onmouseover");
        } finally {
            node.fallSilent();
        }
    }

    @Test
    void aNodeNamedLikeMarkupRendersInertOnTheNodesPage() {
        String evil = "<script>alert('node')</script><svg onload=alert(3)>";
        TestServer.Tenant provider = ConsoleServer.provider(server);
        SimulatedNode node = Nodes.register(server, provider, evil);
        try {
            Nodes.sendLoad(node, System.currentTimeMillis() - 1_000, 12.5, 8);
            String html = signedIn(provider).get("/console/nodes").body();
            assertThat(html).contains("&lt;script&gt;alert('node')&lt;/script&gt;&lt;svg onload=alert(3)&gt;")
                    .doesNotContain("<script>alert").doesNotContain("<svg onload");
            assertThat(html).as("its sparkline is drawn").contains("<svg class=\"spark\"");
        } finally {
            node.fallSilent();
        }
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() {
        var web = signedIn(alice);
        JsonNode job = alice.ok("POST", "/v1/jobs", dev.galley.server.it.Recipes.job(), 201);
        String uuid = job.get("uuid").asText();
        for (var post : List.of("/console/jobs/" + uuid + "/cancel", "/console/keys", "/console/sign-out")) {
            assertThat(web.post(post, form("name", "x")).status()).as(post).isEqualTo(403);
            assertThat(web.post(post, form("name", "x", "_csrf", "not-the-token")).status()).as(post).isEqualTo(403);
        }
        // Nothing happened: the job is not cancelled and the session still works.
        assertThat(alice.ok("GET", "/v1/jobs/" + uuid, null, 200).get("status").asText()).isEqualTo("PENDING");
        assertThat(web.get("/console/jobs").status()).isEqualTo(200);
        // With the token, the same post does what it says.
        String csrf = web.get("/console/jobs/" + uuid).csrf();
        assertThat(web.post("/console/jobs/" + uuid + "/cancel", form("_csrf", csrf)).status()).isEqualTo(303);
        assertThat(alice.ok("GET", "/v1/jobs/" + uuid, null, 200).get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void anotherAccountsJobRunAndRecipeAre404() {
        JsonNode job = alice.ok("POST", "/v1/jobs", dev.galley.server.it.Recipes.job(), 201);
        String recipe = ConsoleServer.recipe(alice, "alice's");
        var web = signedIn(bob);
        for (String page : List.of("/console/jobs/" + job.get("uuid").asText(), "/console/recipes/" + recipe + "/cook",
                "/console/job-runs/" + java.util.UUID.randomUUID(), "/console/jobs/not-a-uuid")) {
            var p = web.get(page);
            assertThat(p.status()).as(page).isEqualTo(404);
            assertThat(p.body()).as(page).contains("There is nothing here").doesNotContain(alice.accountUuid().toString());
        }
        String csrf = web.get("/console/jobs").csrf();
        assertThat(web.post("/console/jobs/" + job.get("uuid").asText() + "/cancel", form("_csrf", csrf)).status()).isEqualTo(404);
        assertThat(alice.ok("GET", "/v1/jobs/" + job.get("uuid").asText(), null, 200).get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void anUnknownConsolePathIsTheConsoles404PageSignedInOrNotAndTheApisStayJson() {
        List<String> unknown = List.of("/console/nope", "/console/jobs/not-a-uuid/extra", "/console/jobs/" + java.util.UUID.randomUUID()
                + "/cancel/again", "/console/keys/x/y/z", "/console/sign-in/more");
        String alicePk = alice.keyPair().substring(0, alice.keyPair().indexOf(':'));
        var anonymous = new WebClient(ConsoleServer.base(server));
        var web = signedIn(alice);
        for (String path : unknown) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                var out = anonymous.request(method, path);
                assertIsTheConsoles404(out, method + " " + path + " signed out");
                assertThat(out.body()).as("signed out: no navigation, no key, the way in")
                        .contains("href=\"/console/sign-in\"").doesNotContain("href=\"/console/nodes\"").doesNotContain("pk_")
                        .doesNotContain("_csrf");
                var in = web.request(method, path);
                assertIsTheConsoles404(in, method + " " + path + " signed in");
                assertThat(in.body()).as("signed in: the console's frame and the way home")
                        .contains("href=\"/console/jobs\"").contains("href=\"/console/nodes\"").contains(alicePk);
            }
        }
        // The pages themselves still answer (the catch-all is registered after them), and a real session is not ended.
        assertThat(web.get("/console/jobs").status()).isEqualTo(200);
        assertThat(anonymous.get("/console/jobs").status()).isEqualTo(303);
        assertThat(anonymous.get("/console/sign-in").status()).isEqualTo(200);
        // The API's own 404s stay JSON, for unknown endpoints and unknown resources alike.
        for (String path : List.of("/v1/nope", "/v1/jobs/" + java.util.UUID.randomUUID() + "/nope", "/consolex", "/v1/console/nope")) {
            var api = anonymous.get(path);
            assertThat(api.status()).as(path).isEqualTo(404);
            assertThat(api.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/json");
            assertThat(api.body()).as(path).startsWith("{\"error\":").contains("\"type\":\"not_found\"");
        }
        assertThat(alice.ok("GET", "/v1/jobs/" + java.util.UUID.randomUUID(), null, 404).at("/error/type").asText()).isEqualTo("not_found");
    }

    private static void assertIsTheConsoles404(WebClient.Page p, String what) {
        assertThat(p.status()).as(what).isEqualTo(404);
        assertThat(p.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("text/html");
        assertThat(p.headers().firstValue("Content-Security-Policy").orElse("")).as(what).contains("default-src 'none'")
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(p.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(p.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(p.headers().firstValue("Referrer-Policy")).as(what).hasValue("same-origin");
        assertThat(p.headers().firstValue("Cache-Control")).as(what).hasValue("no-store");
        assertThat(p.body()).as(what).startsWith("<!doctype html>").contains("<title>Not found · Galley</title>")
                .contains("There is nothing here").doesNotContain("\"error\"");
    }

    @Test
    void theSessionCookieStopsWorkingAtSignOut() {
        var web = signedIn(alice);
        String cookie = web.cookie;
        String csrf = web.get("/console/jobs").csrf();
        var out = web.post("/console/sign-out", form("_csrf", csrf));
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElse("")).contains("Max-Age=0");
        var replay = new WebClient(ConsoleServer.base(server));
        replay.cookie = cookie; // a copy of the cookie taken before sign-out
        for (String page : PAGES) assertThat(replay.get(page).status()).as(page).isEqualTo(303);
    }

    @Test
    void signingInAgainEndsTheBrowsersEarlierSession() {
        var web = signedIn(alice);
        String first = web.cookie;
        web.signIn(bob.keyPair());
        assertThat(web.cookie).isNotEqualTo(first);
        var old = new WebClient(ConsoleServer.base(server));
        old.cookie = first;
        assertThat(old.get("/console/jobs").status()).isEqualTo(303);
        assertThat(web.get("/console/jobs").body()).contains(bob.keyPair().substring(0, bob.keyPair().indexOf(':')));
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrict() {
        var web = new WebClient(ConsoleServer.base(server));
        var p = web.signIn(alice.keyPair());
        String setCookie = p.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console");
        assertThat(web.cookie).hasSizeGreaterThanOrEqualTo(43); // 256 random bits, base64url
    }

    @Test
    void aSessionExpiresWhenIdle() {
        try (GalleyServer shortLived = ConsoleServer.start(Duration.ofSeconds(2), Duration.ofHours(1))) {
            var web = new WebClient(ConsoleServer.base(shortLived));
            web.signIn(alice.keyPair());
            assertThat(web.get("/console/jobs").status()).isEqualTo(200);
            // The session is idle from here on; it must close by itself (not before 2 s, by construction).
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> probe(shortLived, web.cookie) == 303);
        }
    }

    @Test
    void aSessionEndsAtItsAbsoluteExpiryEvenWhenBusy() {
        try (GalleyServer shortLived = ConsoleServer.start(Duration.ofHours(1), Duration.ofSeconds(3))) {
            var web = new WebClient(ConsoleServer.base(shortLived));
            web.signIn(alice.keyPair());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> web.get("/console/jobs").status() == 303);
        }
    }

    @Test
    void aRevokedKeyEndsItsSessions() {
        TestServer.Tenant carol = ConsoleServer.tenant(server);
        var web = signedIn(carol);
        assertThat(web.get("/console/jobs").status()).isEqualTo(200);
        JsonNode keys = TestServer.ok(TestServer.call(TestServer.client(server, TestServer.OPERATOR_KEY), "GET",
                "/v1/api-keys?limit=50&filter[account_uuid]=" + carol.accountUuid(), null), 200);
        for (JsonNode k : keys.get("data")) {
            TestServer.call(TestServer.client(server, TestServer.OPERATOR_KEY), "DELETE", "/v1/api-keys/" + k.get("uuid").asText(), null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> web.get("/console/jobs").status() == 303);
        assertThat(web.get("/console/jobs").location()).startsWith("/console/sign-in");
    }

    private static int probe(GalleyServer on, String cookie) {
        var w = new WebClient(ConsoleServer.base(on));
        w.cookie = cookie;
        return w.get("/console/gpus").status();
    }
}
