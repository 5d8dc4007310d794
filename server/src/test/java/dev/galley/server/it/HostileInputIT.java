package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.http.Json;
import dev.galley.server.it.TestServer.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing by hand, as the review did: every string field of every write endpoint gets text no column can hold (a
 * NUL, unpaired surrogates), and must answer 400 naming that field, never 500. The fields are not listed by hand:
 * each body below is walked, so a field added to a body is covered too. ({@link TestServer#call} fails on any 5xx.)
 */
class HostileInputIT {
    /** JSON escapes, written into the body text as they are: {@code \u0000} and lone halves of a surrogate pair. */
    static final List<String> HOSTILE = List.of("a\\u0000b", "\\ud800", "x\\udc00y");
    static final String MARK = "__hostile__";

    static Tenant alice;
    static GalleyClient aliceNode;
    static String nodeUuid;
    static String recipe;
    static String job;

    @BeforeAll
    static void setUp() {
        alice = TestServer.newTenant();
        recipe = alice.ok("POST", "/v1/job-recipes", recipeBody(), 201).get("uuid").asText();
        job = alice.ok("POST", "/v1/jobs", jobSpec().toString(), 201).get("uuid").asText();
        aliceNode = SimulatedNode.nodeKey(TestServer.server(), alice);
        nodeUuid = SimulatedNode.register(aliceNode, "hostile-" + TestServer.randomHex(6), "af-south-1", 1, 1, 1,
                SimulatedNode.noGpus()).uuid;
    }

    static ObjectNode jobSpec() {
        return (ObjectNode) Json.read("""
                {"title":"t","description":"d","task":"BATCH","max_timeout_run_ms":600000,"allowed_region_codes":["eu-west-1"],
                 "parameters":{"type":"docker","parameters":{"image":"ghcr.io/org/app","tag":"v1","host":"ghcr.io",
                   "user":"u","secret":"s","imagesrc":"https://example.com/src",
                   "sshkey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host",
                   "allowed_ips":["10.0.0.0/8"],"env":{"A":"b"},"ports":[8080],
                   "volumes":[{"image":"ghcr.io/org/data","tag":"1","registry":"ghcr.io","user":"vu","secret":"vs","mount":"/data"}]}}}""");
    }

    static String recipeBody() {
        ObjectNode body = (ObjectNode) Json.read("""
                {"name":"hostile","description":"d","visibility":"PRIVATE","quickstart_md":"# hi",
                 "thumbnail_url":"https://example.com/t.png","share_credentials":false,
                 "input_schema":[{"key":"who","type":"string","label":"Who","description":"d","placeholder":"p","default_value":"x"},
                                 {"key":"size","type":"select","options":[{"label":"Small","value":"s"}],"default_value":"s"}]}""");
        body.set("payload", jobSpec());
        ((ObjectNode) body.at("/payload/parameters/parameters/env")).put("WHO", "{{who}}");
        return body.toString();
    }

    /** Each string leaf of {@code body}: its JSON Pointer and the field path the server must name. */
    record Leaf(String pointer, String path) {}

    static List<Leaf> stringLeaves(JsonNode node, String pointer, String path) {
        List<Leaf> out = new ArrayList<>();
        if (node.isTextual()) out.add(new Leaf(pointer, path));
        else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) out.addAll(stringLeaves(node.get(i), pointer + "/" + i, path + "[" + i + "]"));
        } else if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> out.addAll(stringLeaves(node.get(name), pointer + "/" + name,
                    path.isEmpty() ? name : path + "." + name)));
        }
        return out;
    }

    /** Sends {@code body} once per string field and hostile text, and checks each answer names that field. */
    static void everyStringFieldIsRefused(GalleyClient client, String method, String path, String body) {
        JsonNode tree = Json.read(body);
        List<Leaf> leaves = stringLeaves(tree, "", "");
        assertThat(leaves).as("the body has string fields to try").isNotEmpty();
        for (Leaf leaf : leaves) {
            for (String hostile : HOSTILE) {
                JsonNode copy = tree.deepCopy();
                int slash = leaf.pointer().lastIndexOf('/');
                JsonNode parent = copy.at(leaf.pointer().substring(0, slash));
                String last = leaf.pointer().substring(slash + 1);
                if (parent instanceof ArrayNode array) array.set(Integer.parseInt(last), MARK);
                else ((ObjectNode) parent).put(last, MARK);
                String sent = copy.toString().replace("\"" + MARK + "\"", "\"" + hostile + "\"");
                ApiResponse r = TestServer.call(client, method, path, sent);
                assertThat(r.status()).as("%s %s with %s in %s: %s", method, path, hostile, leaf.path(), r.bodyText()).isEqualTo(400);
                assertThat(r.json().at("/error/errors")).as("%s %s: %s", method, path, leaf.path())
                        .anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(leaf.path()));
            }
        }
        // And in a member name, where a strict reader would call it an unknown field.
        String sent = body.replaceFirst("\\{", "{\"x\\\\u0000y\":1,");
        ApiResponse r = TestServer.call(client, method, path, sent);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(400);
        assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("x\\u0000y");
    }

    @Test
    void accounts() {
        everyStringFieldIsRefused(TestServer.operator(), "POST", "/v1/accounts", "{\"name\":\"acct-" + UUID.randomUUID() + "\"}");
    }

    @Test
    void apiKeys() {
        everyStringFieldIsRefused(alice.client(), "POST", "/v1/api-keys", """
                {"name":"k","permissions":["jobs.read.own"],"allowed_ips":["127.0.0.1"],
                 "expires_at":"2030-01-01T00:00:00Z","account_uuid":"%s"}""".formatted(alice.accountUuid()));
    }

    @Test
    void recipesCreatePatchAndFork() {
        everyStringFieldIsRefused(alice.client(), "POST", "/v1/job-recipes", recipeBody());
        everyStringFieldIsRefused(alice.client(), "PATCH", "/v1/job-recipes/" + recipe, recipeBody());
        everyStringFieldIsRefused(alice.client(), "POST", "/v1/job-recipes/" + recipe + "/fork", "{\"name\":\"f\"}");
    }

    @Test
    void jobsCookAndCancel() {
        everyStringFieldIsRefused(alice.client(), "POST", "/v1/jobs", jobSpec().toString());
        everyStringFieldIsRefused(alice.client(), "POST", "/v1/job-recipes/" + recipe + "/cook", """
                {"title":"t","description":"d","task":"BATCH","allowed_region_codes":["eu-west-1"],"inputs":{"who":"me","size":"s"},
                 "parameters":{"type":"docker","parameters":{"host":"ghcr.io","env":{"A":"b"},"allowed_ips":["10.0.0.1"]}}}""");
        everyStringFieldIsRefused(alice.client(), "PUT", "/v1/jobs/" + job + "/cancel", "{\"reason\":\"done\"}");
    }

    @Test
    void theNodeProtocolToo() {
        everyStringFieldIsRefused(aliceNode, "POST", "/v1/nodes/register", """
                {"name":"hostile-node","region_code":"af-south-1","public_host":"127.0.0.1","agent_version":"sim-1",
                 "hardware":{"cpus":[{"name":"Sim CPU","num_cores":1}],"rams":[{"memory_gb_max":1,"memory_gb_available":1}],
                   "hard_drives":[{"name":"/","max_capacity_gb":1,"available_capacity_gb":1}],"gpus":[]}}""");
        everyStringFieldIsRefused(aliceNode, "POST", "/v1/nodes/" + nodeUuid + "/heartbeat",
                "{\"metadata\":{\"note\":\"n\"},\"active_run_uuids\":[\"" + UUID.randomUUID() + "\"]}");
        everyStringFieldIsRefused(aliceNode, "PATCH", "/v1/job-runs/" + UUID.randomUUID(), """
                {"status":"RUNNING","status_reason":"r","status_reason_code":"EXIT_NONZERO",
                 "node_urls":[{"description":"ssh","hostname":"h","port":22,"protocol":"tcp","tls":false}]}""");
    }

    @Test
    void textFiltersOfEveryListRefuseNulAndImpossibleDates() {
        for (String list : List.of("/v1/job-recipes", "/v1/api-keys", "/v1/gpu-registry")) {
            JsonNode err = ok(alice.call("GET", list + "?filter[name]=a%00b", null), 400);
            assertThat(err.at("/error/errors/0/field").asText()).isEqualTo("filter[name]");
        }
        assertThat(ok(TestServer.call(TestServer.operator(), "GET", "/v1/accounts?filter[name]=%00", null), 400)).isNotNull();
        for (String list : List.of("/v1/jobs", "/v1/job-recipes", "/v1/api-keys")) {
            JsonNode err = ok(alice.call("GET", list + "?filter[created_at]=%2B100000-01-01T00:00:00Z", null), 400);
            assertThat(err.at("/error/errors/0/field").asText()).isEqualTo("filter[created_at]");
        }
        assertThat(ok(alice.call("GET", "/v1/jobs?page=1%00", null), 400).at("/error/errors/0/field").asText()).isEqualTo("page");
    }

    @Test
    void aKeyExpiringAfterTheYear9999IsA400NotA500() {
        JsonNode err = ok(alice.call("POST", "/v1/api-keys",
                "{\"name\":\"k\",\"permissions\":[\"jobs.read.own\"],\"expires_at\":\"+100000-01-01T00:00:00Z\"}"), 400);
        assertThat(err.at("/error/errors/0/field").asText()).isEqualTo("expires_at");
        alice.ok("POST", "/v1/api-keys", "{\"name\":\"k\",\"permissions\":[\"jobs.read.own\"],\"expires_at\":\"9999-12-31T23:59:59Z\"}", 201);
    }

    @Test
    void oddButValidTextIsStoredAndReadBackAsSent() {
        for (String text : List.of("😀 emoji and 𝄞 outside the BMP", "\u202Eright-to-left override", "'; DROP TABLE jobs; --",
                "%00 is just text", "\\u0000 written out", "tab\tand\nnewline", "é".repeat(5_000))) {
            ObjectNode body = Json.object().put("name", text.length() > 200 ? text.substring(0, 200) : text).put("quickstart_md", text);
            body.set("payload", jobSpec());
            JsonNode created = alice.ok("POST", "/v1/job-recipes", body.toString(), 201);
            JsonNode read = alice.ok("GET", "/v1/job-recipes/" + created.get("uuid").asText(), null, 200);
            assertThat(read.get("quickstart_md").asText()).isEqualTo(text);
        }
    }
}
