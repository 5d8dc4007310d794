package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spec §8, "keys never out-reach the key that made it", as the attack: a holder of a limited key (short-lived, or
 * usable only from some addresses) mints itself a key without those limits, or keeps using keys it made after its
 * own key was revoked.
 */
class KeyChainIT {
    static final String CONSUMER = "[\"preset:compute_consumer\"]";

    /** A key the operator mints for a fresh account, with the given extra fields ({@code "expires_at": …}). */
    static JsonNode operatorMinted(String permissions, String extra) {
        Tenant account = TestServer.newTenant();
        return ok(TestServer.call(TestServer.operator(), "POST", "/v1/api-keys",
                "{\"name\":\"parent\",\"permissions\":" + permissions + ",\"account_uuid\":\"" + account.accountUuid() + "\""
                        + (extra.isEmpty() ? "" : "," + extra) + "}"), 201);
    }

    static GalleyClient client(JsonNode created) {
        return TestServer.client(created.get("public_key").asText() + ":" + created.get("secret_key").asText());
    }

    static ApiResponse mint(GalleyClient by, String body) {
        return TestServer.call(by, "POST", "/v1/api-keys", body);
    }

    static JsonNode minted(GalleyClient by, String body) {
        return ok(mint(by, body), 201);
    }

    static int status(GalleyClient c) {
        return TestServer.call(c, "GET", "/v1/jobs?limit=1", null).status();
    }

    static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Test
    void aKeyMintedByAnExpiringKeyExpiresNoLaterAndIsRefusedOnceTheParentExpires() {
        Instant parentExpiry = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
        JsonNode parent = operatorMinted(CONSUMER, "\"expires_at\":\"" + iso(parentExpiry) + "\"");
        GalleyClient p = client(parent);

        JsonNode inherited = minted(p, "{\"name\":\"child\",\"permissions\":[\"jobs.read.own\",\"api_keys.create.own\"]}");
        assertThat(Instant.parse(inherited.get("expires_at").asText())).as("asking for nothing inherits the parent's expiry")
                .isEqualTo(parentExpiry);
        assertThat(inherited.get("created_by_key_uuid").asText()).isEqualTo(parent.get("uuid").asText());
        JsonNode sooner = minted(p, "{\"name\":\"short\",\"permissions\":[\"jobs.read.own\"],\"expires_at\":\""
                + iso(parentExpiry.minusSeconds(1)) + "\"}");
        assertThat(Instant.parse(sooner.get("expires_at").asText())).isEqualTo(parentExpiry.minusSeconds(1));

        JsonNode later = ok(mint(p, "{\"name\":\"forever\",\"permissions\":[\"jobs.read.own\"],\"expires_at\":\""
                + iso(Instant.now().plus(Duration.ofDays(365))) + "\"}"), 400).get("error");
        assertThat(later.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("expires_at");
        assertThat(later.get("message").asText()).contains("cannot outlive");

        GalleyClient child = client(inherited);
        JsonNode grandchild = minted(child, "{\"name\":\"grandchild\",\"permissions\":[\"jobs.read.own\"]}");
        assertThat(Instant.parse(grandchild.get("expires_at").asText())).isEqualTo(parentExpiry);
        assertThat(status(child)).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> status(p) == 401);
        for (GalleyClient c : List.of(child, client(grandchild))) {
            JsonNode refused = ok(TestServer.call(c, "GET", "/v1/jobs", null), 401);
            assertThat(refused.at("/error/message").asText()).contains("expired");
        }
    }

    @Test
    void aKeyMintedByAnIpRestrictedKeyIsRefusedFromOtherAddressesAndCannotWidenTheRanges() {
        JsonNode parent = operatorMinted(CONSUMER, "\"allowed_ips\":[\"127.0.0.1\",\"10.0.0.0/8\",\"2001:db8::/32\"]");
        GalleyClient p = client(parent);
        assertThat(status(p)).as("the tests call from 127.0.0.1").isEqualTo(200);

        JsonNode inherited = minted(p, "{\"name\":\"same places\",\"permissions\":[\"jobs.read.own\",\"api_keys.create.own\"],"
                + "\"allowed_ips\":[]}");
        assertThat(inherited.get("allowed_ips")).extracting(JsonNode::asText).containsExactly("127.0.0.1", "10.0.0.0/8", "2001:db8::/32");
        assertThat(status(client(inherited))).isEqualTo(200);

        JsonNode narrower = minted(p, "{\"name\":\"lan only\",\"permissions\":[\"jobs.read.own\"],\"allowed_ips\":[\"10.1.0.0/16\",\"2001:db8:1::/48\"]}");
        JsonNode refused = ok(TestServer.call(client(narrower), "GET", "/v1/jobs", null), 403);
        assertThat(refused.at("/error/message").asText()).contains("127.0.0.1");

        JsonNode grandchild = minted(client(inherited), "{\"name\":\"gc\",\"permissions\":[\"jobs.read.own\"],\"allowed_ips\":[\"10.3.0.0/16\"]}");
        assertThat(ok(TestServer.call(client(grandchild), "GET", "/v1/jobs", null), 403)).isNotNull();

        JsonNode wider = ok(mint(p, "{\"name\":\"anywhere\",\"permissions\":[\"jobs.read.own\"],"
                + "\"allowed_ips\":[\"10.2.0.0/16\",\"0.0.0.0/0\",\"::/0\",\"2001:db9::1\"]}"), 400).get("error");
        assertThat(wider.get("errors")).extracting(e -> e.get("field").asText())
                .containsExactly("allowed_ips[1]", "allowed_ips[2]", "allowed_ips[3]");
    }

    @Test
    void revokingAKeyRevokesEveryKeyBelowItAtOnceAndNothingElse() {
        Tenant account = TestServer.newTenant();
        JsonNode parent = minted(account.client(), "{\"name\":\"parent\",\"permissions\":" + CONSUMER + "}");
        GalleyClient p = client(parent);
        JsonNode child = minted(p, "{\"name\":\"child\",\"permissions\":[\"jobs.read.own\",\"api_keys.create.own\"]}");
        JsonNode grandchild = minted(client(child), "{\"name\":\"grandchild\",\"permissions\":[\"jobs.read.own\"]}");
        JsonNode sibling = minted(account.client(), "{\"name\":\"sibling\",\"permissions\":[\"jobs.read.own\"]}");
        for (JsonNode k : List.of(parent, child, grandchild, sibling)) assertThat(status(client(k))).isEqualTo(200); // cached now

        JsonNode revoked = account.ok("DELETE", "/v1/api-keys/" + parent.get("uuid").asText(), null, 200);
        assertThat(revoked.get("is_revoked").asBoolean()).isTrue();
        for (JsonNode k : List.of(parent, child, grandchild)) {
            JsonNode refused = ok(TestServer.call(client(k), "GET", "/v1/jobs", null), 401);
            assertThat(refused.at("/error/message").asText()).contains("revoked");
            assertThat(account.ok("GET", "/v1/api-keys/" + k.get("uuid").asText(), null, 200).get("is_revoked").asBoolean()).isTrue();
        }
        assertThat(status(client(sibling))).as("a key the parent did not make").isEqualTo(200);
        assertThat(status(account.client())).as("the key that made the parent").isEqualTo(200);
        assertThat(ok(mint(client(child), "{\"name\":\"late\",\"permissions\":[\"jobs.read.own\"]}"), 401)).isNotNull();
    }

    @Test
    void aRevocationEvictsTheKeysBelowItFromTheCacheOfEveryReplica() {
        Tenant account = TestServer.newTenant();
        JsonNode parent = minted(account.client(), "{\"name\":\"parent\",\"permissions\":" + CONSUMER + "}");
        JsonNode child = minted(client(parent), "{\"name\":\"child\",\"permissions\":[\"jobs.read.own\"]}");
        try (GalleyServer replica = TestServer.start(0)) {
            GalleyClient childOnReplica = TestServer.client(replica, child.get("public_key").asText() + ":" + child.get("secret_key").asText());
            assertThat(TestServer.call(childOnReplica, "GET", "/v1/jobs", null).status()).isEqualTo(200); // now in its cache
            account.ok("DELETE", "/v1/api-keys/" + parent.get("uuid").asText(), null, 200);
            // The replica's cache keeps an entry 10 s; the revocation's NOTIFY evicts it long before that.
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> TestServer.call(childOnReplica, "GET", "/v1/jobs", null).status() == 401);
        }
    }

    @Test
    void keysMintedWhileTheirParentIsBeingRevokedNeverOutliveIt() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                Tenant account = TestServer.newTenant();
                JsonNode parent = minted(account.client(), "{\"name\":\"parent\",\"permissions\":" + CONSUMER + "}");
                GalleyClient p = client(parent);
                AtomicBoolean stop = new AtomicBoolean();
                List<Future<List<JsonNode>>> minters = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    minters.add(pool.submit(() -> {
                        List<JsonNode> made = new ArrayList<>();
                        while (!stop.get()) {
                            ApiResponse r = p.send("POST", "/v1/api-keys",
                                    "{\"name\":\"racer\",\"permissions\":[\"jobs.read.own\"]}".getBytes(), java.util.Map.of());
                            if (r.status() == 201) made.add(r.json());
                            else if (r.status() == 401) break;
                            else assertThat(r.status()).as(r.bodyText()).isIn(429);
                        }
                        return made;
                    }));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> TestServer.call(account.client(), "GET",
                        "/v1/api-keys?limit=50&filter[name]=racer", null).json().get("total").asInt() >= 3);
                account.ok("DELETE", "/v1/api-keys/" + parent.get("uuid").asText(), null, 200);
                stop.set(true); // minters still in flight finish their request; any sent from now on is refused
                List<JsonNode> made = new ArrayList<>();
                for (var f : minters) made.addAll(f.get());
                assertThat(made).isNotEmpty();
                for (JsonNode k : made) {
                    assertThat(account.ok("GET", "/v1/api-keys/" + k.get("uuid").asText(), null, 200).get("is_revoked").asBoolean())
                            .as("round %d: key %s minted during the revocation", round, k.get("uuid").asText()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revokingOverlappingTreesAtOnceNeverFails() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                Tenant account = TestServer.newTenant();
                JsonNode root = minted(account.client(), "{\"name\":\"root\",\"permissions\":" + CONSUMER + "}");
                List<JsonNode> all = new ArrayList<>(List.of(root));
                for (int i = 0; i < 6; i++) {
                    JsonNode child = minted(client(root), "{\"name\":\"c\",\"permissions\":[\"jobs.read.own\",\"api_keys.create.own\"]}");
                    all.add(child);
                    for (int j = 0; j < 2; j++) all.add(minted(client(child), "{\"name\":\"gc\",\"permissions\":[\"jobs.read.own\"]}"));
                }
                List<Future<Integer>> revocations = new ArrayList<>();
                for (JsonNode k : all) {
                    revocations.add(pool.submit(() -> account.call("DELETE", "/v1/api-keys/" + k.get("uuid").asText(), null).status()));
                }
                for (var f : revocations) assertThat(f.get()).isEqualTo(200);
                for (JsonNode k : all) assertThat(status(client(k))).isEqualTo(401);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyAnOperatorKeyMakesForAnotherAccountInheritsTheOperatorKeysLimits() {
        Instant opExpiry = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        JsonNode opKey = operatorMinted("[\"*\"]", "\"expires_at\":\"" + iso(opExpiry) + "\",\"allowed_ips\":[\"127.0.0.0/8\"]");
        GalleyClient op = client(opKey);
        Tenant customer = TestServer.newTenant();
        JsonNode forCustomer = minted(op, "{\"name\":\"for a customer\",\"permissions\":" + CONSUMER
                + ",\"account_uuid\":\"" + customer.accountUuid() + "\"}");
        assertThat(forCustomer.get("account_uuid").asText()).isEqualTo(customer.accountUuid().toString());
        assertThat(Instant.parse(forCustomer.get("expires_at").asText())).isEqualTo(opExpiry);
        assertThat(forCustomer.get("allowed_ips")).extracting(JsonNode::asText).containsExactly("127.0.0.0/8");
        assertThat(forCustomer.get("created_by_key_uuid").asText()).isEqualTo(opKey.get("uuid").asText());
        assertThat(ok(mint(op, "{\"name\":\"x\",\"permissions\":[\"jobs.read.own\"],\"account_uuid\":\"" + customer.accountUuid()
                + "\",\"allowed_ips\":[\"0.0.0.0/0\"]}"), 400).at("/error/errors/0/field").asText()).isEqualTo("allowed_ips[0]");

        assertThat(status(client(forCustomer))).isEqualTo(200);
        TestServer.ok(TestServer.call(TestServer.operator(), "DELETE", "/v1/api-keys/" + opKey.get("uuid").asText(), null), 200);
        assertThat(status(client(forCustomer))).as("revoking the operator key revokes what it made, in any account").isEqualTo(401);
    }

    @Test
    void theBootstrapKeyHasNoParentAndEveryOtherKeyNamesItsMaker() {
        String bootstrapPk = TestServer.OPERATOR_KEY.substring(0, TestServer.OPERATOR_KEY.indexOf(':'));
        JsonNode list = TestServer.ok(TestServer.call(TestServer.operator(), "GET",
                "/v1/api-keys?limit=50&filter[name]=bootstrap%20operator%20key", null), 200);
        JsonNode bootstrap = null;
        for (JsonNode k : list.get("data")) if (k.get("public_key").asText().equals(bootstrapPk)) bootstrap = k;
        assertThat(bootstrap).isNotNull();
        assertThat(bootstrap.get("created_by_key_uuid").isNull()).isTrue();
        Tenant tenant = TestServer.newTenant();
        JsonNode tenantKeys = tenant.ok("GET", "/v1/api-keys", null, 200);
        assertThat(tenantKeys.get("data").get(0).get("created_by_key_uuid").asText()).isEqualTo(bootstrap.get("uuid").asText());
    }

    @Test
    void listingKeysByAccountAnswers200AndOnlyOperatorsMayNameAnotherAccount() {
        Tenant alice = TestServer.newTenant();
        Tenant bob = TestServer.newTenant();
        for (String filter : List.of("account_uuid", "account")) {
            JsonNode own = alice.ok("GET", "/v1/api-keys?filter[" + filter + "]=" + alice.accountUuid(), null, 200);
            assertThat(own.get("total").asInt()).isEqualTo(1);
            JsonNode denied = ok(alice.call("GET", "/v1/api-keys?filter[" + filter + "]=" + bob.accountUuid(), null), 403);
            assertThat(denied.at("/error/message").asText()).contains("api_keys.read.all");
            JsonNode byOperator = TestServer.ok(TestServer.call(TestServer.operator(), "GET",
                    "/v1/api-keys?filter[" + filter + "]=" + bob.accountUuid() + "," + alice.accountUuid(), null), 200);
            assertThat(byOperator.get("data")).extracting(k -> UUID.fromString(k.get("account_uuid").asText()))
                    .containsExactlyInAnyOrder(alice.accountUuid(), bob.accountUuid());
        }
        Instant soon = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        JsonNode expiring = minted(alice.client(), "{\"name\":\"expiring\",\"permissions\":[\"jobs.read.own\"],\"expires_at\":\"" + iso(soon) + "\"}");
        JsonNode byExpiry = alice.ok("GET", "/v1/api-keys?filter[expires_at]=" + soon.minusSeconds(60).toString().substring(0, 10)
                + "," + soon.plus(Duration.ofDays(1)).toString().substring(0, 10), null, 200);
        assertThat(byExpiry.get("data")).singleElement().satisfies(k -> assertThat(k.get("uuid")).isEqualTo(expiring.get("uuid")));
        assertThat(ok(alice.call("GET", "/v1/api-keys?filter[account_uuid]=not-a-uuid", null), 400)).isNotNull();
    }
}
