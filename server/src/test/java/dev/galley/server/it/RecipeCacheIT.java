package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Cooks read recipes from a per-replica cache (RecipeCache). These are the attacks and races that cache could open:
 * a recipe its owner made PRIVATE, changed or deleted must not go on being cooked as it was, on this replica or any
 * other. The other replica is evicted by the change's NOTIFY; its cache would otherwise keep the entry 10 s.
 */
class RecipeCacheIT {
    private static final Duration NOTIFY = Duration.ofSeconds(3);

    private static int cookStatus(GalleyClient c, String recipe) {
        return TestServer.call(c, "POST", "/v1/job-recipes/" + recipe + "/cook", "{}").status();
    }

    @Test
    void aRecipeMadePrivateIsNoLongerCookableByOthersOnAnyReplica() {
        var owner = TestServer.newTenant();
        var other = TestServer.newTenant();
        String recipe = owner.ok("POST", "/v1/job-recipes", Recipes.recipe("cached public", "PUBLIC"), 201).get("uuid").asText();
        try (GalleyServer replica = TestServer.start(0)) {
            GalleyClient otherOnReplica = TestServer.client(replica, other.keyPair());
            assertThat(cookStatus(otherOnReplica, recipe)).as("cached on the replica now").isEqualTo(201);
            assertThat(cookStatus(other.client(), recipe)).as("and on this one").isEqualTo(201);

            owner.ok("PATCH", "/v1/job-recipes/" + recipe, "{\"visibility\":\"PRIVATE\"}", 200);

            assertThat(cookStatus(other.client(), recipe)).as("the replica that made the change forgets at once").isEqualTo(404);
            await().atMost(NOTIFY).pollInterval(Duration.ofMillis(50)).until(() -> cookStatus(otherOnReplica, recipe) == 404);
            assertThat(cookStatus(TestServer.client(replica, owner.keyPair()), recipe)).as("its owner still cooks it").isEqualTo(201);
        }
    }

    @Test
    void aChangedRecipeIsCookedAsChangedAndADeletedOneNotAtAllOnEveryReplica() {
        var owner = TestServer.newTenant();
        String recipe = owner.ok("POST", "/v1/job-recipes", Recipes.recipe("cached changing", "PRIVATE"), 201).get("uuid").asText();
        try (GalleyServer replica = TestServer.start(0)) {
            GalleyClient ownerOnReplica = TestServer.client(replica, owner.keyPair());
            assertThat(env(ownerOnReplica, recipe).path("MODE").asText()).isEqualTo("slow");

            String changed = Recipes.batchPayload().replace("\"MODE\":\"slow\"", "\"MODE\":\"fast\"");
            owner.ok("PATCH", "/v1/job-recipes/" + recipe, "{\"payload\":" + changed + "}", 200);

            assertThat(env(owner.client(), recipe).path("MODE").asText()).as("this replica, at once").isEqualTo("fast");
            await().atMost(NOTIFY).pollInterval(Duration.ofMillis(50))
                    .until(() -> env(ownerOnReplica, recipe).path("MODE").asText().equals("fast"));

            owner.ok("DELETE", "/v1/job-recipes/" + recipe, null, 204);
            assertThat(cookStatus(owner.client(), recipe)).isEqualTo(404);
            await().atMost(NOTIFY).pollInterval(Duration.ofMillis(50)).until(() -> cookStatus(ownerOnReplica, recipe) == 404);
        }
    }

    @Test
    void aCachedRecipeIsNotChangedByTheCooksThatReadIt() {
        var owner = TestServer.newTenant();
        String recipe = owner.ok("POST", "/v1/job-recipes", Recipes.recipe("cached shared", "PRIVATE"), 201).get("uuid").asText();
        String path = "/v1/job-recipes/" + recipe + "/cook";
        JsonNode first = TestServer.ok(TestServer.call(owner.client(), "POST", path,
                "{\"parameters\":{\"parameters\":{\"env\":{\"MODE\":\"overridden\",\"EXTRA\":\"1\"}}}}"), 201);
        assertThat(first.path("parameters").path("parameters").path("env").path("MODE").asText()).isEqualTo("overridden");
        JsonNode second = env(owner.client(), recipe);
        assertThat(second.path("MODE").asText()).as("the next cook starts from the recipe, not the last override").isEqualTo("slow");
        assertThat(second.has("EXTRA")).isFalse();
    }

    private static JsonNode env(GalleyClient c, String recipe) {
        return TestServer.ok(TestServer.call(c, "POST", "/v1/job-recipes/" + recipe + "/cook", "{}"), 201)
                .path("parameters").path("parameters").path("env");
    }
}
