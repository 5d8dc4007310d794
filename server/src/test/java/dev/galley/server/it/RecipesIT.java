package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.it.TestServer.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §4: recipe CRUD, fork, visibility rules and account isolation. */
class RecipesIT {
    static Tenant alice;
    static Tenant bob;

    @BeforeAll
    static void setUp() {
        alice = TestServer.newTenant();
        bob = TestServer.newTenant();
    }

    @Test
    void createGetPatchDelete() {
        JsonNode r = alice.ok("POST", "/v1/job-recipes", """
                {"name":"blender","description":"renders","payload":%s,"quickstart_md":"# hi","thumbnail_url":"https://example.com/t.png"}"""
                .formatted(Recipes.batchPayload()), 201);
        assertThat(r.get("object").asText()).isEqualTo("job_recipe");
        assertThat(r.get("visibility").asText()).isEqualTo("PRIVATE");
        assertThat(r.get("is_owner").asBoolean()).isTrue();
        assertThat(r.get("is_official").asBoolean()).isFalse();
        assertThat(r.at("/payload/parameters/parameters/secret").asText()).isEqualTo("********");
        assertThat(r.toString()).doesNotContain("hunter2");
        String uuid = r.get("uuid").asText();

        JsonNode patched = alice.ok("PATCH", "/v1/job-recipes/" + uuid, "{\"name\":\"blender 4\",\"visibility\":\"PUBLIC\"}", 200);
        assertThat(patched.get("name").asText()).isEqualTo("blender 4");
        assertThat(patched.get("visibility").asText()).isEqualTo("PUBLIC");
        assertThat(patched.get("description").asText()).isEqualTo("renders");

        // Round-tripping the masked payload keeps the stored secret (it still cooks with the real value).
        JsonNode roundTrip = alice.ok("PATCH", "/v1/job-recipes/" + uuid, "{\"payload\":" + patched.get("payload") + "}", 200);
        assertThat(roundTrip.at("/payload/parameters/parameters/secret").asText()).isEqualTo("********");

        JsonNode badPayload = ok(alice.call("PATCH", "/v1/job-recipes/" + uuid,
                "{\"payload\":{\"title\":\"\",\"task\":\"NIGHTLY\",\"parameters\":{\"parameters\":{}}}}"), 400);
        assertThat(badPayload.get("error").get("errors")).extracting(e -> e.get("field").asText())
                .contains("payload.title", "payload.task", "payload.parameters.parameters.image");

        assertThat(alice.call("DELETE", "/v1/job-recipes/" + uuid, null).status()).isEqualTo(204);
        assertThat(ok(alice.call("GET", "/v1/job-recipes/" + uuid, null), 404)).isNotNull();
    }

    @Test
    void jobsKeepTheirSourceRecipeUuidAfterTheRecipeIsDeleted() {
        String uuid = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("temp", "PRIVATE"), 201).get("uuid").asText();
        String job = alice.ok("POST", "/v1/job-recipes/" + uuid + "/cook", "{}", 201).get("uuid").asText();
        assertThat(alice.call("DELETE", "/v1/job-recipes/" + uuid, null).status()).isEqualTo(204);
        assertThat(alice.ok("GET", "/v1/jobs/" + job, null, 200).get("source_recipe_uuid").asText()).isEqualTo(uuid);
    }

    @Test
    void privateRecipesAreInvisibleToOtherAccounts() {
        String priv = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("secret-sauce", "PRIVATE"), 201).get("uuid").asText();
        assertThat(ok(bob.call("GET", "/v1/job-recipes/" + priv, null), 404)).isNotNull();
        assertThat(ok(bob.call("PATCH", "/v1/job-recipes/" + priv, "{\"name\":\"mine\"}"), 404)).isNotNull();
        assertThat(ok(bob.call("DELETE", "/v1/job-recipes/" + priv, null), 404)).isNotNull();
        assertThat(ok(bob.call("POST", "/v1/job-recipes/" + priv + "/fork", "{}"), 404)).isNotNull();
        JsonNode bobs = bob.ok("GET", "/v1/job-recipes?filter[name]=secret-sauce", null, 200);
        assertThat(bobs.get("data")).noneSatisfy(r -> assertThat(r.get("uuid").asText()).isEqualTo(priv));
    }

    @Test
    void publicRecipesAreReadableAndForkableButNotEditableByOthers() {
        JsonNode pub = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("shared-" + TestServer.randomHex(6), "PUBLIC"), 201);
        String uuid = pub.get("uuid").asText();
        JsonNode seen = bob.ok("GET", "/v1/job-recipes/" + uuid, null, 200);
        assertThat(seen.get("is_owner").asBoolean()).isFalse();
        assertThat(ok(bob.call("PATCH", "/v1/job-recipes/" + uuid, "{\"name\":\"hijack\"}"), 403)).isNotNull();
        assertThat(ok(bob.call("DELETE", "/v1/job-recipes/" + uuid, null), 403)).isNotNull();

        JsonNode fork = bob.ok("POST", "/v1/job-recipes/" + uuid + "/fork", "{\"name\":\"my copy\"}", 201);
        assertThat(fork.get("visibility").asText()).isEqualTo("PRIVATE");
        assertThat(fork.get("forked_from_recipe_uuid").asText()).isEqualTo(uuid);
        assertThat(fork.get("is_owner").asBoolean()).isTrue();
        assertThat(fork.get("name").asText()).isEqualTo("my copy");
        // A fork by another account is that account's recipe: alice's registry credentials stay behind (spec §8).
        assertThat(fork.at("/payload/parameters/parameters/secret").isNull()).isTrue();
        assertThat(fork.at("/payload/parameters/parameters/user").isNull()).isTrue();
        assertThat(fork.get("share_credentials").asBoolean()).isFalse();
        JsonNode job = bob.ok("POST", "/v1/job-recipes/" + fork.get("uuid").asText() + "/cook", "{}", 201);
        assertThat(job.at("/parameters/parameters/secret").isNull()).isTrue();
        JsonNode defaultName = bob.ok("POST", "/v1/job-recipes/" + uuid + "/fork", null, 201);
        assertThat(defaultName.get("name").asText()).endsWith("(fork)");
    }

    @Test
    void archivedRecipesAreHiddenFromListsUnlessAskedFor() {
        String tag = TestServer.randomHex(8);
        String archived = alice.ok("POST", "/v1/job-recipes", Recipes.recipe("arch-" + tag, "ARCHIVED"), 201).get("uuid").asText();
        alice.ok("POST", "/v1/job-recipes", Recipes.recipe("live-" + tag, "PRIVATE"), 201);
        JsonNode plain = alice.ok("GET", "/v1/job-recipes?filter[name]=" + tag, null, 200);
        assertThat(plain.get("total").asInt()).isEqualTo(1);
        JsonNode asked = alice.ok("GET", "/v1/job-recipes?filter[name]=" + tag + "&filter[visibility]=ARCHIVED", null, 200);
        assertThat(asked.get("data")).singleElement().satisfies(r -> assertThat(r.get("uuid").asText()).isEqualTo(archived));
        assertThat(bob.ok("GET", "/v1/job-recipes?filter[name]=" + tag + "&filter[visibility]=ARCHIVED", null, 200).get("total").asInt()).isZero();
    }

    @Test
    void listFiltersByOwnerAndOfficial() {
        String tag = TestServer.randomHex(8);
        alice.ok("POST", "/v1/job-recipes", Recipes.recipe("own-" + tag, "PUBLIC"), 201);
        bob.ok("POST", "/v1/job-recipes", Recipes.recipe("theirs-" + tag, "PUBLIC"), 201);
        assertThat(alice.ok("GET", "/v1/job-recipes?filter[name]=" + tag, null, 200).get("total").asInt()).isEqualTo(2);
        JsonNode mine = alice.ok("GET", "/v1/job-recipes?filter[name]=" + tag + "&filter[is_owner]=true", null, 200);
        assertThat(mine.get("data")).singleElement().satisfies(r -> assertThat(r.get("name").asText()).startsWith("own-"));
        JsonNode others = alice.ok("GET", "/v1/job-recipes?filter[name]=" + tag + "&filter[is_owner]=false", null, 200);
        assertThat(others.get("data")).singleElement().satisfies(r -> assertThat(r.get("name").asText()).startsWith("theirs-"));
        assertThat(alice.ok("GET", "/v1/job-recipes?filter[name]=" + tag + "&filter[is_official]=true", null, 200).get("total").asInt()).isZero();
    }

    @Test
    void onlyOperatorsMaySetIsOfficial() {
        JsonNode denied = ok(alice.call("POST", "/v1/job-recipes",
                "{\"name\":\"official?\",\"is_official\":true,\"payload\":" + Recipes.batchPayload() + "}"), 403);
        assertThat(denied.get("error").get("message").asText()).contains("job_recipes.update.all");
        var op = TestServer.operator();
        JsonNode official = TestServer.ok(TestServer.call(op, "POST", "/v1/job-recipes",
                "{\"name\":\"Official hello\",\"visibility\":\"PUBLIC\",\"is_official\":true,\"payload\":" + Recipes.batchPayload() + "}"), 201);
        JsonNode seen = bob.ok("GET", "/v1/job-recipes?filter[is_official]=true&limit=50", null, 200);
        assertThat(seen.get("data")).anySatisfy(r -> assertThat(r.get("uuid")).isEqualTo(official.get("uuid")));
    }

    @Test
    void badRecipeBodiesNameEveryField() {
        JsonNode err = ok(alice.call("POST", "/v1/job-recipes", """
                {"visibility":"SECRET","thumbnail_url":"ftp://x","extra":1,
                 "input_schema":[{"key":"Bad Key","type":"colour"}],"payload":{"title":"t"}}"""), 400).get("error");
        assertThat(err.get("errors")).extracting(e -> e.get("field").asText())
                .contains("name", "visibility", "thumbnail_url", "extra", "input_schema[0].key", "input_schema[0].type");
    }

    @Test
    void aRecipePayloadMayUseInputsThatMakeItValidOnlyWhenFilled() {
        JsonNode r = alice.ok("POST", "/v1/job-recipes", """
                {"name":"templated","payload":{"title":"{{title}}","task":"BATCH","max_timeout_run_ms":60000,
                  "parameters":{"parameters":{"image":"busybox","env":{"N":"{{n}}"}}}},
                 "input_schema":[{"key":"title","type":"string","default_value":"hello"},{"key":"n","type":"number"}]}""", 201);
        assertThat(r.at("/payload/title").asText()).isEqualTo("{{title}}");
        assertThat(r.at("/input_schema/0/key").asText()).isEqualTo("title");
    }

    @Test
    void inputDefaultsInDispersedsStringFormWorkForEveryType() {
        JsonNode r = alice.ok("POST", "/v1/job-recipes", """
                {"name":"string defaults","payload":{"title":"{{title}}","task":"BATCH","max_timeout_run_ms":60000,
                  "parameters":{"parameters":{"image":"busybox",
                    "env":{"CPUS":"{{cpus}}","FP16":"{{fp16}}","SIZE":"{{size}}","RATE":"{{rate}}"}}}},
                 "input_schema":[{"key":"title","type":"string","default_value":"hello"},
                                 {"key":"cpus","type":"number","default_value":"4"},
                                 {"key":"rate","type":"number","default_value":"0.50"},
                                 {"key":"fp16","type":"boolean","default_value":"true"},
                                 {"key":"size","type":"select","options":[{"label":"S","value":"s"},{"label":"M","value":"m"}],
                                  "default_value":"m"},
                                 {"key":"note","type":"number","default_value":""}]}""", 201);
        assertThat(r.at("/input_schema/1/default_value").asText()).as("stored as sent").isEqualTo("4");
        JsonNode job = alice.ok("POST", "/v1/job-recipes/" + r.get("uuid").asText() + "/cook", "{}", 201);
        assertThat(job.at("/parameters/parameters/env/CPUS").asText()).isEqualTo("4");
        assertThat(job.get("title").asText()).isEqualTo("hello");
        assertThat(job.at("/parameters/parameters/env/FP16").asText()).isEqualTo("true");
        assertThat(job.at("/parameters/parameters/env/SIZE").asText()).isEqualTo("m");
        assertThat(job.at("/parameters/parameters/env/RATE").asText()).isEqualTo("0.5");

        JsonNode bad = ok(alice.call("POST", "/v1/job-recipes", """
                {"name":"bad defaults","payload":{"title":"t","task":"BATCH","max_timeout_run_ms":60000,
                  "parameters":{"parameters":{"image":"busybox"}}},
                 "input_schema":[{"key":"n","type":"number","default_value":"four"},
                                 {"key":"b","type":"boolean","default_value":"yes"}]}"""), 400);
        assertThat(bad.at("/error/errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("input_schema[0].default_value", "input_schema[1].default_value");
    }
}
