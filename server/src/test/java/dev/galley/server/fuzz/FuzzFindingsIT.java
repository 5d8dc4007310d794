package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each bug {@link WriteEndpointFuzzIT} found, as the smallest request that showed it: these answered 500 (or not in
 * the API's error shape) before their fix.
 */
class FuzzFindingsIT {
    static Tenant tenant;

    @BeforeAll
    static void setUp() {
        tenant = TestServer.newTenant();
    }

    /** A node key of the tenant, minted by the operator (consumers cannot grant node rights). */
    static GalleyClient nodeKey() {
        JsonNode key = ok(TestServer.call(TestServer.operator(), "POST", "/v1/api-keys",
                "{\"name\":\"node\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + tenant.accountUuid() + "\"}"), 201);
        return TestServer.client(key.get("public_key").asText() + ":" + key.get("secret_key").asText());
    }

    static ObjectNode registration(String name) {
        ObjectNode body = (ObjectNode) WriteEndpoint.read("{\"name\":\"" + name + "\",\"region_code\":\"eu-west-1\"}");
        body.set("hardware", WriteEndpoint.read("""
                {"cpus":[{"name":"c","num_cores":2}],"rams":[{"memory_gb_max":4,"memory_gb_available":4}],
                 "hard_drives":[{"name":"/","max_capacity_gb":10,"available_capacity_gb":10}],"gpus":[]}"""));
        return body;
    }

    @Test
    void aNodeMayRegisterWithoutSayingItsAgentVersion() {
        // agent_version is optional and nullable in the API; it was written to a NOT NULL column as null (500).
        ApiResponse absent = TestServer.call(nodeKey(), "POST", "/v1/nodes/register", registration("no-version-" + TestServer.randomHex(6)).toString());
        assertThat(absent.status()).as(absent.bodyText()).isEqualTo(201);
        ObjectNode asNull = registration("null-version-" + TestServer.randomHex(6));
        asNull.putNull("agent_version");
        ApiResponse nulled = TestServer.call(nodeKey(), "POST", "/v1/nodes/register", asNull.toString());
        assertThat(nulled.status()).as(nulled.bodyText()).isEqualTo(201);
        assertThat(nulled.json().get("agent_version").asText()).isEmpty();
    }

    @Test
    void aNumberWhoseExponentOverflowsIsA400NamingTheBody() {
        // Jackson's BigDecimal reader throws NumberFormatException (no IOException) for such exponents.
        for (String number : List.of("1e-2147483649", "-1e2147483649")) {
            for (String[] endpoint : List.of(new String[]{"POST", "/v1/api-keys"}, new String[]{"POST", "/v1/jobs"},
                    new String[]{"POST", "/v1/job-recipes"})) {
                ApiResponse r = tenant.call(endpoint[0], endpoint[1], "{\"name\":\"k\",\"permissions\":" + number + "}");
                assertThat(r.status()).as("%s %s with %s: %s", endpoint[0], endpoint[1], number, r.bodyText()).isEqualTo(400);
                assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("body");
            }
        }
    }

    /**
     * Requests Jetty refuses before any route: they were answered with Jetty's HTML page (or an empty body for PUT and
     * PATCH) and no X-Request-Id.
     */
    @Test
    void requestsTheHttpLayerRefusesGetTheErrorBodyAndARequestId() throws Exception {
        WireClient wire = new WireClient(TestServer.server().port(), 10_000);
        String host = "Host: 127.0.0.1\r\n";
        List<String[]> refused = List.of(
                new String[]{"400", "POST /v1/jobs HTTP/1.1\r\n" + host + "X-Fuzz: a\u0001b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
                new String[]{"400", "PATCH /v1/job-recipes/x HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}"},
                new String[]{"400", "PUT /v1/jobs/x/cancel HTTP/1.1\r\n" + host + "Content-Length: -1\r\nConnection: close\r\n\r\n"},
                new String[]{"400", "POST /v1/nodes/%C3%28/heartbeat HTTP/1.1\r\n" + host + "Content-Length: 0\r\nConnection: close\r\n\r\n"},
                new String[]{"400", "POST /v1/job-runs/%00/logs HTTP/1.1\r\n" + host + "Content-Length: 0\r\nConnection: close\r\n\r\n"},
                new String[]{"431", "DELETE /v1/job-recipes/x HTTP/1.1\r\n" + host + "X-Fuzz: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n"},
                new String[]{"414", "POST /v1/api-keys?x=" + "y".repeat(20_000) + " HTTP/1.1\r\n" + host + "Content-Length: 0\r\nConnection: close\r\n\r\n"});
        for (String[] r : refused) {
            WireClient.Response answer = wire.exchange(r[1].getBytes(StandardCharsets.UTF_8));
            String what = r[1].substring(0, Math.min(60, r[1].indexOf('\r'))) + ": " + answer.bodyText();
            assertThat(answer.status()).as(what).isEqualTo(Integer.parseInt(r[0]));
            assertThat(answer.header("X-Request-Id")).as(what).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertThat(body.at("/error/type").asText()).as(what).isEqualTo("invalid_request");
            assertThat(body.at("/error/message").asText()).as(what).startsWith("the request was refused before reaching the API: ");
            assertThat(body.at("/error/request_id").asText()).as(what).isEqualTo(answer.header("X-Request-Id").orElseThrow());
        }
    }

    /**
     * PostgreSQL's jsonb keeps numbers written out in full. {@code 1e-200} was accepted as a job's min_ram_gb and stored
     * as 0.000…1 (202 characters), which the server's reader refuses: the job, the tenant's job list and every
     * scheduling round (for every tenant) failed while it was pending. {@code 1e999999999} in a node's hardware or
     * heartbeat overflowed the numeric type (500).
     */
    @Test
    void aNumberThatIsLongWrittenOutInFullIsRefusedNotStored() {
        String job = "{\"title\":\"t\",\"task\":\"PERSISTENT\",\"max_timeout_run_ms\":null,\"min_ram_gb\":%s,"
                + "\"parameters\":{\"parameters\":{\"image\":\"busybox\"}}}";
        JsonNode refused = ok(tenant.call("POST", "/v1/jobs", job.formatted("1e-200")), 400);
        assertThat(refused.at("/error/errors/0/field").asText()).isEqualTo("min_ram_gb");
        assertThat(refused.at("/error/errors/0/message").asText()).contains("at most 100 characters");
        JsonNode small = tenant.ok("POST", "/v1/jobs", job.formatted("1e-90"), 201); // 92 characters written out: fine
        tenant.ok("GET", "/v1/jobs/" + small.get("uuid").asText(), null, 200);
        tenant.ok("GET", "/v1/jobs", null, 200);

        GalleyClient node = nodeKey();
        ObjectNode registration = registration("long-numbers-" + TestServer.randomHex(6));
        ((ObjectNode) registration.at("/hardware/cpus/0")).set("clock_hz", WriteEndpoint.read("1e300"));
        JsonNode hw = ok(TestServer.call(node, "POST", "/v1/nodes/register", registration.toString()), 400);
        assertThat(hw.at("/error/errors/0/field").asText()).isEqualTo("hardware.cpus[0].clock_hz");
        ((ObjectNode) registration.at("/hardware/cpus/0")).remove("clock_hz");
        String uuid = ok(TestServer.call(node, "POST", "/v1/nodes/register", registration.toString()), 201).get("uuid").asText();
        JsonNode beat = ok(TestServer.call(node, "POST", "/v1/nodes/" + uuid + "/heartbeat", "{\"metadata\":{\"load\":1e999999999}}"), 400);
        assertThat(beat.at("/error/errors/0/field").asText()).isEqualTo("metadata.load");
    }

    /** Javalin decodes path parameters with URLDecoder, which threw on escapes Jetty let through ({@code %u0041}, {@code %}). */
    @Test
    void aPathWithAnEscapeJavalinCannotDecodeIsA400NotA500() throws Exception {
        WireClient wire = new WireClient(TestServer.server().port(), 10_000);
        for (String id : List.of("%u0041", "%", "%zz", "%4")) {
            byte[] request = ("POST /v1/job-recipes/" + id + "/cook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            WireClient.Response answer = wire.exchange(request);
            assertThat(answer.status()).as("%s: %s", id, answer.bodyText()).isEqualTo(400);
            assertThat(new ObjectMapper().readTree(answer.body()).at("/error/type").asText()).isEqualTo("invalid_request");
        }
    }

    /** A disk's max_capacity_gb was not checked but shown in the node object: -1 came back, against the OpenAPI document. */
    @Test
    void aNegativeDiskCapacityIsRefused() {
        ObjectNode registration = registration("negative-disk-" + TestServer.randomHex(6));
        ((ObjectNode) registration.at("/hardware/hard_drives/0")).put("max_capacity_gb", -1);
        JsonNode refused = ok(TestServer.call(nodeKey(), "POST", "/v1/nodes/register", registration.toString()), 400);
        assertThat(refused.at("/error/errors/0/field").asText()).isEqualTo("hardware.hard_drives[0].max_capacity_gb");
    }

    /**
     * {@code "required": null} in an input is read as false but was stored as sent, so the recipe (and every fork of
     * it) showed null where the OpenAPI document promises a boolean. ({@link TestServer#call} checks each answer.)
     */
    @Test
    void anInputWithRequiredNullIsStoredAsNotRequired() {
        ObjectNode recipe = (ObjectNode) WriteEndpoint.recipe("required-null");
        ((ObjectNode) recipe.at("/input_schema/0")).putNull("required");
        JsonNode created = tenant.ok("POST", "/v1/job-recipes", recipe.toString(), 201);
        assertThat(created.at("/input_schema/0/required").isBoolean()).as(created.toString()).isTrue();
        assertThat(created.at("/input_schema/0/required").booleanValue()).isFalse();
        String uuid = created.get("uuid").asText();
        JsonNode patched = tenant.ok("PATCH", "/v1/job-recipes/" + uuid, "{\"input_schema\":" + recipe.get("input_schema") + "}", 200);
        assertThat(patched.at("/input_schema/0/required").booleanValue()).isFalse();
        tenant.ok("POST", "/v1/job-recipes/" + uuid + "/fork", "{}", 201);
    }
}
