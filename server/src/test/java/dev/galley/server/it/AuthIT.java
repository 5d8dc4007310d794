package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.client.RequestSigning;
import dev.galley.core.auth.CanonicalRequest;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §2 over real HTTP: every way a request can fail authentication or authorisation, and the ways it passes. */
class AuthIT {
    static Tenant alice;
    static ApiKeyPair key;

    @BeforeAll
    static void setUp() {
        alice = TestServer.newTenant();
        key = ApiKeyPair.parse(alice.keyPair());
    }

    /** Sends a request with explicitly given headers (no automatic signing). */
    static ApiResponse raw(String method, String pathWithQuery, String body, Map<String, String> headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + pathWithQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        ApiResponse response = new ApiResponse(r.statusCode(), r.headers().map(), r.body());
        String path = pathWithQuery.contains("?") ? pathWithQuery.substring(0, pathWithQuery.indexOf('?')) : pathWithQuery;
        dev.galley.server.contract.OpenApiContract.load().assertResponseMatches(method, path, r.statusCode(), response.bodyText());
        return response;
    }

    static Map<String, String> signed(String method, String pathWithQuery, String body, long time, String nonce) {
        return RequestSigning.headers(key, method, pathWithQuery, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), time, nonce);
    }

    static String unauthenticated(ApiResponse r) {
        JsonNode err = ok(r, 401).get("error");
        assertThat(err.get("type").asText()).isEqualTo("unauthenticated");
        return err.get("message").asText();
    }

    @Test
    void aCorrectlySignedRequestPasses() throws Exception {
        var h = signed("GET", "/v1/jobs?limit=5&page=1", null, System.currentTimeMillis(), RequestSigning.randomNonce());
        assertThat(raw("GET", "/v1/jobs?limit=5&page=1", null, h).status()).isEqualTo(200);
    }

    @Test
    void eachMissingHeaderIsA401NamingIt() throws Exception {
        for (String missing : List.of("X-API-Key", "X-Time", "X-Nonce", "X-Signature")) {
            var h = new HashMap<>(signed("GET", "/v1/jobs", null, System.currentTimeMillis(), RequestSigning.randomNonce()));
            h.remove(missing);
            assertThat(unauthenticated(raw("GET", "/v1/jobs", null, h))).contains(missing);
        }
    }

    @Test
    void malformedHeadersAre401() throws Exception {
        long now = System.currentTimeMillis();
        var badNonce = new HashMap<>(signed("GET", "/v1/jobs", null, now, "xyz"));
        assertThat(unauthenticated(raw("GET", "/v1/jobs", null, badNonce))).contains("X-Nonce");
        var badTime = new HashMap<>(signed("GET", "/v1/jobs", null, now, RequestSigning.randomNonce()));
        badTime.put("X-Time", "yesterday");
        assertThat(unauthenticated(raw("GET", "/v1/jobs", null, badTime))).contains("X-Time");
        var badSig = new HashMap<>(signed("GET", "/v1/jobs", null, now, RequestSigning.randomNonce()));
        badSig.put("X-Signature", "ABC");
        assertThat(unauthenticated(raw("GET", "/v1/jobs", null, badSig))).contains("X-Signature");
    }

    @Test
    void timestampsOutsideTheWindowAreRejectedWithAClockMessage() throws Exception {
        long now = System.currentTimeMillis();
        String stale = unauthenticated(raw("GET", "/v1/jobs", null, signed("GET", "/v1/jobs", null, now - 301_000, RequestSigning.randomNonce())));
        assertThat(stale).contains("clock");
        String future = unauthenticated(raw("GET", "/v1/jobs", null, signed("GET", "/v1/jobs", null, now + 301_000, RequestSigning.randomNonce())));
        assertThat(future).contains("ahead");
        // Just inside the window still passes.
        assertThat(raw("GET", "/v1/jobs", null, signed("GET", "/v1/jobs", null, now - 290_000, RequestSigning.randomNonce())).status()).isEqualTo(200);
    }

    @Test
    void aReusedNonceIsRejected() throws Exception {
        String nonce = RequestSigning.randomNonce();
        long now = System.currentTimeMillis();
        assertThat(raw("GET", "/v1/jobs", null, signed("GET", "/v1/jobs", null, now, nonce)).status()).isEqualTo(200);
        assertThat(unauthenticated(raw("GET", "/v1/jobs", null, signed("GET", "/v1/jobs?page=2", null, now + 1, nonce).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))))).isNotEmpty();
        assertThat(unauthenticated(raw("GET", "/v1/jobs", null, signed("GET", "/v1/jobs", null, now, nonce)))).contains("already used");
    }

    @Test
    void aReusedNonceOnCreateAndCookIsRefusedAndCreatesNothing() throws Exception {
        long now = System.currentTimeMillis();
        String body = Recipes.job();
        String nonce = RequestSigning.randomNonce();
        assertThat(raw("POST", "/v1/jobs", body, signed("POST", "/v1/jobs", body, now, nonce)).status()).isEqualTo(201);
        int before = alice.ok("GET", "/v1/jobs?limit=1", null, 200).get("total").asInt();
        assertThat(unauthenticated(raw("POST", "/v1/jobs", body, signed("POST", "/v1/jobs", body, now, nonce)))).contains("already used");
        assertThat(alice.ok("GET", "/v1/jobs?limit=1", null, 200).get("total").asInt()).as("no second job").isEqualTo(before);

        // An invalid request uses its nonce too: resending it is a 401, not another 400.
        String bad = "{\"title\":\"\"}";
        String badNonce = RequestSigning.randomNonce();
        assertThat(raw("POST", "/v1/jobs", bad, signed("POST", "/v1/jobs", bad, now, badNonce)).status()).isEqualTo(400);
        assertThat(unauthenticated(raw("POST", "/v1/jobs", bad, signed("POST", "/v1/jobs", bad, now, badNonce)))).contains("already used");

        String recipe = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("nonce-cook", "PRIVATE"), 201).get("uuid").asText();
        String cookPath = "/v1/job-recipes/" + recipe + "/cook";
        String cookNonce = RequestSigning.randomNonce();
        assertThat(raw("POST", cookPath, "{}", signed("POST", cookPath, "{}", now, cookNonce)).status()).isEqualTo(201);
        assertThat(unauthenticated(raw("POST", cookPath, "{}", signed("POST", cookPath, "{}", now, cookNonce)))).contains("already used");
        assertThat(alice.ok("GET", "/v1/jobs?limit=1&filter[source_recipe_uuid]=" + recipe, null, 200).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void aNonceUsedOnOneReplicaIsRejectedByAnother() throws Exception {
        try (GalleyServer second = TestServer.start(0)) {
            String nonce = RequestSigning.randomNonce();
            var h = signed("GET", "/v1/jobs", null, System.currentTimeMillis(), nonce);
            assertThat(raw("GET", "/v1/jobs", null, h).status()).isEqualTo(200);
            var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/v1/jobs")).GET();
            h.forEach(req::header);
            HttpResponse<String> r = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("already used");
        }
    }

    @Test
    void aWrongSignatureShowsTheCanonicalStringTheServerSigned() throws Exception {
        long now = System.currentTimeMillis();
        String nonce = RequestSigning.randomNonce();
        var h = new HashMap<>(signed("GET", "/v1/jobs?page=1", null, now, nonce));
        h.put("X-Signature", "0".repeat(64));
        JsonNode err = ok(raw("GET", "/v1/jobs?page=1", null, h), 401).get("error");
        assertThat(err.get("canonical_string").asText())
                .isEqualTo(key.publicKey() + "|" + now + "|" + nonce + "|GET|/v1/jobs|page=1|" + CanonicalRequest.EMPTY_BODY_SHA256);
        assertThat(err.toString()).doesNotContain(key.secretKey());
    }

    @Test
    void aSignatureOverAnotherBodyFails() throws Exception {
        long now = System.currentTimeMillis();
        var h = signed("POST", "/v1/job-recipes", "{\"name\":\"a\"}", now, RequestSigning.randomNonce());
        ApiResponse r = raw("POST", "/v1/job-recipes", "{\"name\":\"b\"}", h);
        assertThat(ok(r, 401).get("error").has("canonical_string")).isTrue();
    }

    @Test
    void bothSpaceEncodingsAndTheCanonicalJsonBodyHashAreAccepted() throws Exception {
        long now = System.currentTimeMillis();
        String q = "filter[name]=my job&limit=5";
        String query20 = CanonicalRequest.canonicalQuery("filter%5Bname%5D=my%20job&limit=5", CanonicalRequest.SpaceStyle.PERCENT_20);
        String queryPlus = CanonicalRequest.canonicalQuery("filter%5Bname%5D=my%20job&limit=5", CanonicalRequest.SpaceStyle.PLUS);
        assertThat(query20).isEqualTo("filter%5Bname%5D=my%20job&limit=5");
        assertThat(queryPlus).isEqualTo("filter%5Bname%5D=my+job&limit=5");
        for (String canonicalQuery : List.of(query20, queryPlus)) {
            String nonce = RequestSigning.randomNonce();
            String sts = CanonicalRequest.stringToSign(key.publicKey(), Long.toString(now), nonce, "GET", "/v1/job-recipes",
                    canonicalQuery, CanonicalRequest.EMPTY_BODY_SHA256);
            var h = Map.of("X-API-Key", key.publicKey(), "X-Time", Long.toString(now), "X-Nonce", nonce,
                    "X-Signature", CanonicalRequest.hmacSha256Hex(key.secretKey(), sts));
            assertThat(raw("GET", "/v1/job-recipes?filter%5Bname%5D=my+job&limit=5", null, h).status()).as(q).isEqualTo(200);
        }
        // A body sent with whitespace but signed in canonical JSON form (as the Python client does).
        String sent = "{ \"reason\" : \"x\" }";
        String canonical = "{\"reason\":\"x\"}";
        String nonce = RequestSigning.randomNonce();
        String jobUuid = alice.ok("POST", "/v1/jobs", Recipes.job(), 201).get("uuid").asText();
        String path = "/v1/jobs/" + jobUuid + "/cancel";
        String sts = CanonicalRequest.stringToSign(key.publicKey(), Long.toString(now), nonce, "PUT", path, "",
                CanonicalRequest.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)));
        var h = Map.of("X-API-Key", key.publicKey(), "X-Time", Long.toString(now), "X-Nonce", nonce,
                "X-Signature", CanonicalRequest.hmacSha256Hex(key.secretKey(), sts));
        assertThat(raw("PUT", path, sent, h).status()).isEqualTo(200);
    }

    @Test
    void unknownRevokedAndExpiredKeysAre401() throws Exception {
        GalleyClient stranger = new GalleyClient(TestServer.baseUrl(), ApiKeyPair.parse("pk_nosuchkey000:sk_nosuchsecret0000000000"));
        assertThat(unauthenticated(stranger.send("GET", "/v1/jobs", null, Map.of()))).contains("unknown API key");

        JsonNode created = alice.ok("POST", "/v1/api-keys", "{\"name\":\"short-lived\",\"permissions\":[\"jobs.read.own\"]}", 201);
        GalleyClient temp = TestServer.client(created.get("public_key").asText() + ":" + created.get("secret_key").asText());
        assertThat(temp.send("GET", "/v1/jobs", null, Map.of()).status()).isEqualTo(200);
        JsonNode revoked = alice.ok("DELETE", "/v1/api-keys/" + created.get("uuid").asText(), null, 200);
        assertThat(revoked.get("is_revoked").asBoolean()).isTrue();
        assertThat(unauthenticated(temp.send("GET", "/v1/jobs", null, Map.of()))).contains("revoked");

        String soon = java.time.Instant.now().plusSeconds(2).toString();
        JsonNode expiring = alice.ok("POST", "/v1/api-keys", "{\"name\":\"expiring\",\"permissions\":[\"jobs.read.own\"],\"expires_at\":\"" + soon + "\"}", 201);
        GalleyClient exp = TestServer.client(expiring.get("public_key").asText() + ":" + expiring.get("secret_key").asText());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(unauthenticated(exp.send("GET", "/v1/jobs", null, Map.of()))).contains("expired"));
    }

    @Test
    void aKeyRevokedOnOneReplicaIsRefusedByAnotherThatHadItCached() {
        try (GalleyServer second = TestServer.start(0)) {
            JsonNode created = alice.ok("POST", "/v1/api-keys", "{\"name\":\"replicated\",\"permissions\":[\"jobs.read.own\"]}", 201);
            GalleyClient onSecond = TestServer.client(second, created.get("public_key").asText() + ":" + created.get("secret_key").asText());
            assertThat(onSecond.send("GET", "/v1/jobs", null, Map.of()).status()).as("cached on the second replica now").isEqualTo(200);
            alice.ok("DELETE", "/v1/api-keys/" + created.get("uuid").asText(), null, 200); // revoked through the first
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(onSecond.send("GET", "/v1/jobs", null, Map.of()).status()).isEqualTo(401));
        }
    }

    @Test
    void allowedIpsRestrictTheKey() {
        JsonNode elsewhere = alice.ok("POST", "/v1/api-keys",
                "{\"name\":\"office only\",\"permissions\":[\"jobs.read.own\"],\"allowed_ips\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}", 201);
        GalleyClient c = TestServer.client(elsewhere.get("public_key").asText() + ":" + elsewhere.get("secret_key").asText());
        JsonNode err = ok(c.send("GET", "/v1/jobs", null, Map.of()), 403).get("error");
        assertThat(err.get("type").asText()).isEqualTo("forbidden");
        assertThat(err.get("message").asText()).contains("127.0.0.1");

        JsonNode local = alice.ok("POST", "/v1/api-keys",
                "{\"name\":\"loopback\",\"permissions\":[\"jobs.read.own\"],\"allowed_ips\":[\"127.0.0.0/8\"]}", 201);
        GalleyClient l = TestServer.client(local.get("public_key").asText() + ":" + local.get("secret_key").asText());
        assertThat(l.send("GET", "/v1/jobs", null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void permissionsAreEnforcedAndCannotBeEscalated() {
        JsonNode readOnly = alice.ok("POST", "/v1/api-keys", "{\"name\":\"ro\",\"permissions\":[\"jobs.read.own\"]}", 201);
        GalleyClient ro = TestServer.client(readOnly.get("public_key").asText() + ":" + readOnly.get("secret_key").asText());
        assertThat(ro.send("GET", "/v1/jobs", null, Map.of()).status()).isEqualTo(200);
        JsonNode denied = ok(ro.send("POST", "/v1/jobs", Recipes.job().getBytes(), Map.of()), 403).get("error");
        assertThat(denied.get("message").asText()).contains("jobs.create");
        // A consumer cannot mint an operator key, nor a key for another account, nor read accounts.
        assertThat(ok(alice.call("POST", "/v1/api-keys", "{\"name\":\"x\",\"permissions\":[\"*\"]}"), 403)).isNotNull();
        assertThat(ok(alice.call("POST", "/v1/api-keys", "{\"name\":\"x\",\"permissions\":[\"jobs.read.all\"]}"), 403)).isNotNull();
        assertThat(ok(alice.call("GET", "/v1/accounts", null), 403)).isNotNull();
        JsonNode own = ok(alice.call("GET", "/v1/accounts/" + alice.accountUuid(), null), 403);
        assertThat(own.get("error").get("type").asText()).isEqualTo("forbidden");
        JsonNode seen = TestServer.ok(TestServer.call(TestServer.operator(), "GET", "/v1/accounts/" + alice.accountUuid(), null), 200);
        assertThat(seen.get("object").asText()).isEqualTo("account");
        Tenant bob = TestServer.newTenant();
        assertThat(ok(alice.call("POST", "/v1/api-keys", "{\"name\":\"x\",\"permissions\":[\"jobs.read.own\"],\"account_uuid\":\""
                + bob.accountUuid() + "\"}"), 403)).isNotNull();
    }

    @Test
    void apiKeyEndpointsListGetAndHideSecrets() {
        // A consumer cannot mint node permissions it lacks; an operator can, for the consumer's account.
        assertThat(ok(alice.call("POST", "/v1/api-keys", "{\"name\":\"node key\",\"permissions\":[\"preset:compute_node\"]}"), 403)).isNotNull();
        JsonNode created = TestServer.ok(TestServer.call(TestServer.operator(), "POST", "/v1/api-keys",
                "{\"name\":\"node key\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + alice.accountUuid() + "\"}"), 201);
        assertThat(created.get("object").asText()).isEqualTo("api_key");
        assertThat(created.get("secret_key").asText()).startsWith("sk_");
        assertThat(created.get("permissions")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("nodes.read.own", "nodes.update.own", "jobs.read.own", "job_runs.read.own", "job_runs.update.own",
                        "ledger.read.own", "epochs.read.own");
        JsonNode got = alice.ok("GET", "/v1/api-keys/" + created.get("uuid").asText(), null, 200);
        assertThat(got.has("secret_key")).isFalse();
        JsonNode list = alice.ok("GET", "/v1/api-keys?filter[name]=node&limit=50", null, 200);
        assertThat(list.get("data")).anySatisfy(k -> assertThat(k.get("uuid")).isEqualTo(created.get("uuid")));
        assertThat(list.toString()).doesNotContain("sk_");
        Tenant bob = TestServer.newTenant();
        assertThat(ok(bob.call("GET", "/v1/api-keys/" + created.get("uuid").asText(), null), 404)).isNotNull();
        assertThat(ok(bob.call("DELETE", "/v1/api-keys/" + created.get("uuid").asText(), null), 404)).isNotNull();
    }

    @Test
    void badApiKeyBodiesNameTheField() {
        JsonNode err = ok(alice.call("POST", "/v1/api-keys",
                "{\"permissions\":[\"jobs.fly.own\"],\"allowed_ips\":[\"300.1.1.1\"],\"expires_at\":\"2001-01-01T00:00:00Z\",\"colour\":1}"), 400).get("error");
        assertThat(err.get("errors")).extracting(e -> e.get("field").asText())
                .contains("name", "permissions[0]", "allowed_ips[0]", "expires_at", "colour");
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() {
        TestServer.server();
        try (GalleyServer limited = TestServer.start(TestDatabase.jdbcUrl(), 30_000, c -> c.withRateLimitRps(5))) {
            GalleyClient c = TestServer.client(limited, alice.keyPair());
            int ok = 0;
            ApiResponse limitedResponse = null;
            for (int i = 0; i < 30 && limitedResponse == null; i++) {
                ApiResponse r = TestServer.call(c, "GET", "/v1/jobs?limit=1", null);
                if (r.status() == 429) limitedResponse = r;
                else ok++;
            }
            assertThat(ok).as("the burst (twice the rate) passes").isGreaterThanOrEqualTo(9);
            assertThat(limitedResponse).isNotNull();
            assertThat(limitedResponse.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
            assertThat(limitedResponse.json().get("error").get("type").asText()).isEqualTo("rate_limited");
        }
    }

    @Test
    void aServerAtCapacityAnswers429AtOnceInsteadOfQueueing() throws Exception {
        TestServer.server();
        try (GalleyServer tiny = TestServer.start(TestDatabase.jdbcUrl(), 30_000, c -> c.withMaxInFlight(1))) {
            GalleyClient c = TestServer.client(tiny, alice.keyPair());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            var futures = new java.util.ArrayList<java.util.concurrent.Future<ApiResponse>>();
            for (int i = 0; i < 64; i++) futures.add(pool.submit(() -> c.send("POST", "/v1/jobs", Recipes.job().getBytes(), Map.of())));
            int created = 0;
            int busy = 0;
            for (var f : futures) {
                ApiResponse r = f.get();
                if (r.status() == 201) created++;
                else {
                    assertThat(r.status()).as(r.bodyText()).isEqualTo(429);
                    assertThat(r.header("Retry-After")).hasValue("1");
                    assertThat(r.json().get("error").get("message").asText()).contains("capacity");
                    busy++;
                }
            }
            pool.shutdown();
            assertThat(created).as("some get through").isPositive();
            assertThat(busy).as("the rest are turned away at once, not queued").isPositive();
        }
    }

    @Test
    void healthMetricsAndOpenApiNeedNoSignature() throws Exception {
        assertThat(raw("GET", "/health", null, Map.of()).status()).isEqualTo(200);
        ApiResponse metrics = raw("GET", "/metrics", null, Map.of());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.bodyText()).contains("galley_http_requests").contains("route=\"/v1/jobs\"");
        ApiResponse doc = raw("GET", "/v1/openapi.yaml", null, Map.of());
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.bodyText()).startsWith("openapi: 3.1");
    }
}
