package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.GalleyServer;
import dev.galley.server.http.Json;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec §8, "secrets stay with their owner's intent", as the attack: alice keeps a PUBLIC recipe that pulls from her
 * private registry; bob (another tenant, with a node of his own) tries to get her registry user and password onto
 * his node or into any response. Runs on a cluster of its own, so bob's jobs can only land on bob's node.
 */
class CredentialTheftIT {
    static final String ALICE_USER = "alice-robot";
    static final String ALICE_SECRET = "alice-registry-password";
    static final String ALICE_VOLUME_USER = "alice-volume-robot";
    static final String ALICE_VOLUME_SECRET = "alice-volume-password";
    static final List<String> REGIONS = dev.galley.core.spec.RegionCodes.ALL;
    static final AtomicInteger regionCounter = new AtomicInteger();

    static GalleyServer server;
    static Tenant alice;
    static Tenant bob;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        alice = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        bob = TestServer.newTenant(server, List.of("preset:compute_consumer"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Alice's recipe: her private registry, her robot account, and a data volume from the same registry. */
    static String aliceRecipe(String visibility, boolean share) {
        return """
                {"name":"alice private app","visibility":"%s","share_credentials":%s,
                 "payload":{"title":"private app","task":"BATCH","max_timeout_run_ms":600000,
                   "parameters":{"parameters":{"image":"registry.alice.example/alice/private-app","tag":"v1",
                     "host":"registry.alice.example","user":"%s","secret":"%s",
                     "volumes":[{"image":"registry.alice.example/alice/weights","registry":"registry.alice.example",
                                 "user":"%s","secret":"%s","mount":"/weights"}]}}}}"""
                .formatted(visibility, share, ALICE_USER, ALICE_SECRET, ALICE_VOLUME_USER, ALICE_VOLUME_SECRET);
    }

    static String newRecipe(boolean share) {
        return alice.ok("POST", "/v1/job-recipes", aliceRecipe("PUBLIC", share), 201).get("uuid").asText();
    }

    /** A node of {@code owner}'s own account, alone in a fresh region. */
    static SimulatedNode nodeOf(Tenant owner, String region) {
        return SimulatedNode.register(SimulatedNode.nodeKey(server, owner), "node-" + TestServer.randomHex(8), region,
                8, 32, 100, SimulatedNode.noGpus()).keepAlive();
    }

    static String region() {
        return REGIONS.get(regionCounter.getAndIncrement());
    }

    /**
     * The raw JSON of the assignment the node receives for its next run, exactly as sent over the wire. The run is
     * then acknowledged (PREPARING), so the next poll brings only the next run.
     */
    static String rawAssignment(SimulatedNode node) {
        ApiResponse r = TestServer.call(node.client, "GET", "/v1/nodes/" + node.uuid + "/assignments?wait_ms=10000", null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.json().get("assignments")).as("an assignment for %s", node.name).hasSize(1);
        node.reportOk(r.json().at("/assignments/0/job_run/uuid").asText(), "{\"status\":\"PREPARING\"}");
        return r.bodyText();
    }

    static JsonNode containerOf(String rawAssignment) {
        return Json.read(rawAssignment).at("/assignments/0/job/parameters/parameters");
    }

    static void assertHoldsNoneOfAlicesCredentials(String text) {
        assertThat(text).doesNotContain(ALICE_USER, ALICE_SECRET, ALICE_VOLUME_USER, ALICE_VOLUME_SECRET);
    }

    /** Cooks and returns the job; no response ever shows alice's credentials, whoever cooks. */
    static JsonNode cook(Tenant who, String recipe, String body) {
        ApiResponse r = who.call("POST", "/v1/job-recipes/" + recipe + "/cook", body);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        assertHoldsNoneOfAlicesCredentials(r.bodyText());
        assertHoldsNoneOfAlicesCredentials(who.call("GET", "/v1/jobs/" + r.json().get("uuid").asText(), null).bodyText());
        return r.json();
    }

    @Test
    void bobCookingAlicesPublicRecipeWithHisOwnRegistryGetsNoneOfHerCredentialsOnHisNode() {
        String recipe = newRecipe(false); // the report's reproduction: a PUBLIC recipe, sharing left at its default
        String region = region();
        SimulatedNode bobsNode = nodeOf(bob, region);

        JsonNode job = cook(bob, recipe, """
                {"allowed_region_codes":["%s"],
                 "parameters":{"parameters":{"host":"my-registry.example","image":"my-registry.example/x"}}}""".formatted(region));
        assertThat(job.at("/parameters/parameters/user").isNull()).isTrue();
        assertThat(job.at("/parameters/parameters/secret").isNull()).isTrue();

        String assignment = rawAssignment(bobsNode);
        assertHoldsNoneOfAlicesCredentials(assignment);
        JsonNode params = containerOf(assignment);
        assertThat(params.get("host").asText()).isEqualTo("my-registry.example");
        assertThat(params.get("user").isNull()).isTrue();
        assertThat(params.get("secret").isNull()).isTrue();
        assertThat(params.at("/volumes/0/secret").isNull()).isTrue();
    }

    @Test
    void evenWhenAliceSharesHerCredentialsStayBoundToHerRegistryAndImage() {
        String recipe = newRecipe(true);
        String region = region();
        SimulatedNode bobsNode = nodeOf(bob, region);

        cook(bob, recipe, """
                {"allowed_region_codes":["%s"],
                 "parameters":{"parameters":{"host":"my-registry.example","image":"my-registry.example/x"}}}""".formatted(region));
        String assignment = rawAssignment(bobsNode);
        assertThat(assignment).doesNotContain(ALICE_USER, ALICE_SECRET);
        assertThat(assignment).as("the volume still pulls from alice's registry, as she shared it")
                .contains(ALICE_VOLUME_USER, ALICE_VOLUME_SECRET);
    }

    @Test
    void bobCookingAlicesUnsharedRecipeUnchangedGetsNoCredentialsAtAll() {
        String recipe = newRecipe(false);
        String region = region();
        SimulatedNode bobsNode = nodeOf(bob, region);
        cook(bob, recipe, "{\"allowed_region_codes\":[\"" + region + "\"]}");
        String assignment = rawAssignment(bobsNode);
        assertHoldsNoneOfAlicesCredentials(assignment);
        JsonNode params = containerOf(assignment);
        assertThat(params.get("host").asText()).as("the job still names alice's registry, and pulls anonymously")
                .isEqualTo("registry.alice.example");
        assertThat(params.get("secret").isNull()).isTrue();
        assertThat(params.at("/volumes/0/user").isNull()).isTrue();
    }

    @Test
    void withShareCredentialsBobGetsThemForTheUnchangedHostAndImageOnlyAndNeverSeesThemInAResponse() {
        String recipe = newRecipe(true);
        String region = region();
        SimulatedNode bobsNode = nodeOf(bob, region);

        JsonNode job = cook(bob, recipe, "{\"allowed_region_codes\":[\"" + region + "\"],\"parameters\":{\"parameters\":{\"tag\":\"v2\"}}}");
        assertThat(job.at("/parameters/parameters/user").asText()).isEqualTo("********");
        String shared = rawAssignment(bobsNode);
        assertThat(shared).as("alice opted in: the node running the job sees them")
                .contains(ALICE_USER, ALICE_SECRET, ALICE_VOLUME_USER, ALICE_VOLUME_SECRET);

        cook(bob, recipe, """
                {"allowed_region_codes":["%s"],"parameters":{"parameters":{"image":"registry.alice.example/alice/other-private-app",
                  "volumes":[{"image":"registry.alice.example/alice/other-weights","registry":"registry.alice.example","mount":"/w"}]}}}"""
                .formatted(region));
        assertHoldsNoneOfAlicesCredentials(rawAssignment(bobsNode));
    }

    @Test
    void bobForkingRedirectingAndSendingTheMasksBackGetsNothing() {
        String recipe = newRecipe(false);
        String region = region();
        SimulatedNode bobsNode = nodeOf(bob, region);

        ApiResponse forked = bob.call("POST", "/v1/job-recipes/" + recipe + "/fork", "{}");
        assertThat(forked.status()).isEqualTo(201);
        assertHoldsNoneOfAlicesCredentials(forked.bodyText());
        String fork = forked.json().get("uuid").asText();
        assertThat(forked.json().at("/payload/parameters/parameters/secret").isNull()).as("nothing is stored behind the fork").isTrue();

        // The trick from the report: change the host, send the masks back as if they stood for alice's values.
        String redirected = """
                {"payload":{"title":"mine","task":"BATCH","max_timeout_run_ms":600000,
                  "parameters":{"parameters":{"image":"my-registry.example/x","host":"my-registry.example",
                    "user":"%s","secret":"%s"}}}}""";
        JsonNode refused = TestServer.ok(bob.call("PATCH", "/v1/job-recipes/" + fork, redirected.formatted("********", "********")), 400);
        assertThat(refused.at("/error/errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("payload.parameters.parameters.user", "payload.parameters.parameters.secret");
        bob.ok("PATCH", "/v1/job-recipes/" + fork, redirected.replace("\"%s\"", "null"), 200);
        cook(bob, fork, "{\"allowed_region_codes\":[\"" + region + "\"]}");
        String assignment = rawAssignment(bobsNode);
        assertHoldsNoneOfAlicesCredentials(assignment);
        assertThat(containerOf(assignment).get("host").asText()).isEqualTo("my-registry.example");

        // Sharing does not change it: a fork by another account never carries the owner's credentials.
        JsonNode sharedFork = bob.ok("POST", "/v1/job-recipes/" + newRecipe(true) + "/fork", "{}", 201);
        assertThat(sharedFork.at("/payload/parameters/parameters/user").isNull()).isTrue();
        assertThat(sharedFork.get("share_credentials").asBoolean()).isFalse();
        cook(bob, sharedFork.get("uuid").asText(), "{\"allowed_region_codes\":[\"" + region + "\"]}");
        assertHoldsNoneOfAlicesCredentials(rawAssignment(bobsNode));
    }

    @Test
    void aliceMovingHerOwnRecipeToAnotherRegistryWithTheMasksDropsTheOldCredentials() {
        String recipe = newRecipe(false);
        JsonNode before = alice.ok("GET", "/v1/job-recipes/" + recipe, null, 200);
        assertThat(before.at("/payload/parameters/parameters/user").asText()).as("user is masked like the password")
                .isEqualTo("********");
        String moved = before.get("payload").toString().replace("registry.alice.example/alice/private-app", "ghcr.io/alice/app")
                .replace("\"host\":\"registry.alice.example\"", "\"host\":\"ghcr.io\"");
        JsonNode after = alice.ok("PATCH", "/v1/job-recipes/" + recipe, "{\"payload\":" + moved + "}", 200);
        assertThat(after.at("/payload/parameters/parameters/secret").isNull()).isTrue();
        assertThat(after.at("/payload/parameters/parameters/user").isNull()).isTrue();
        assertThat(after.at("/payload/parameters/parameters/volumes/0/secret").asText())
                .as("the volume's registry did not move").isEqualTo("********");
    }

    @Test
    void aliceCookingHerOwnRecipeKeepsHerCredentials() {
        String recipe = newRecipe(false);
        String region = region();
        SimulatedNode alicesNode = nodeOf(alice, region);
        cook(alice, recipe, "{\"allowed_region_codes\":[\"" + region + "\"],\"parameters\":{\"parameters\":{\"tag\":\"v7\"}}}");
        String assignment = rawAssignment(alicesNode);
        assertThat(assignment).contains(ALICE_USER, ALICE_SECRET, ALICE_VOLUME_USER, ALICE_VOLUME_SECRET);
        JsonNode ownFork = alice.ok("POST", "/v1/job-recipes/" + recipe + "/fork", "{}", 201);
        cook(alice, ownFork.get("uuid").asText(), "{\"allowed_region_codes\":[\"" + region + "\"]}");
        assertThat(rawAssignment(alicesNode)).as("the owner's own fork keeps them").contains(ALICE_USER, ALICE_SECRET);
    }

    @Test
    void anOperatorCookingSomeoneElsesPrivateRecipeGetsNoCredentialsAndCannotTurnSharingOn() {
        var operator = TestServer.client(server, TestServer.OPERATOR_KEY);
        String recipe = alice.ok("POST", "/v1/job-recipes", aliceRecipe("PRIVATE", false), 201).get("uuid").asText();
        // A region without nodes: the operator's job stays PENDING and cannot land on this class's nodes.
        ApiResponse cooked = TestServer.call(operator, "POST", "/v1/job-recipes/" + recipe + "/cook",
                "{\"allowed_region_codes\":[\"" + region() + "\"]}");
        assertThat(cooked.status()).as(cooked.bodyText()).isEqualTo(201);
        assertThat(cooked.json().at("/parameters/parameters/secret").isNull()).as("an operator's job is the operator's").isTrue();
        JsonNode denied = TestServer.ok(TestServer.call(operator, "PATCH", "/v1/job-recipes/" + recipe,
                "{\"share_credentials\":true}"), 403);
        assertThat(denied.at("/error/message").asText()).contains("share_credentials");
        assertThat(TestServer.ok(TestServer.call(operator, "PATCH", "/v1/job-recipes/" + recipe, "{\"name\":\"renamed\"}"), 200)
                .get("share_credentials").asBoolean()).isFalse();
    }

    @Test
    void aRecipeCannotStoreCredentialsNextToAHostTheCookChooses() {
        JsonNode err = TestServer.ok(alice.call("POST", "/v1/job-recipes", """
                {"name":"templated","payload":{"title":"t","task":"BATCH","max_timeout_run_ms":600000,
                  "parameters":{"parameters":{"image":"{{registry}}/alice/app","host":"{{registry}}",
                    "user":"alice-robot","secret":"alice-registry-password"}}},
                 "input_schema":[{"key":"registry","type":"string","default_value":"registry.alice.example"}]}"""), 400);
        assertThat(err.at("/error/errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("payload.parameters.parameters.host", "payload.parameters.parameters.image");
        assertThat(err.toString()).doesNotContain(ALICE_SECRET);
    }
}
