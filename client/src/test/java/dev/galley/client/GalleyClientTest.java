package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.StubApiServer.Reply;
import dev.galley.core.error.FieldError;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GalleyClientTest {
    private final StubApiServer server = newServer();
    private final GalleyClient client = new GalleyClient(server.url(), StubApiServer.KEY);

    private static StubApiServer newServer() {
        try {
            return new StubApiServer();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void signedGetIsAcceptedByTheServerSideCheck() {
        JsonNode reply = client.get("/v1/jobs?tag=zebra&tag=apple&filter[status]=PENDING,RUNNING");
        assertThat(reply.path("ok").asBoolean()).isTrue();
        StubApiServer.Seen seen = server.last();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.path()).isEqualTo("/v1/jobs");
        assertThat(seen.header("X-API-Key")).isEqualTo("pk_test_stub");
        assertThat(seen.header("X-Nonce")).matches("[0-9a-f]{32}");
        assertThat(Long.parseLong(seen.header("X-Time"))).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(seen.header("Content-Type")).isNull();
        assertThat(seen.body()).isEmpty();
    }

    @Test
    void postSendsCanonicalJsonAndSignsIt() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Grüße");
        body.put("cpu_count", 2);
        client.post("/v1/jobs", body);
        StubApiServer.Seen seen = server.last();
        assertThat(new String(seen.body(), StandardCharsets.UTF_8)).isEqualTo("{\"cpu_count\":2,\"title\":\"Gr\\u00fc\\u00dfe\"}");
        assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void sendSignsRawBytesAsGiven() {
        byte[] raw = "{ \"b\": 1,\n \"a\": 2 }".getBytes(StandardCharsets.UTF_8);
        ApiResponse response = client.send("patch", "/v1/job-recipes/x", raw, Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(server.last().method()).isEqualTo("PATCH");
        assertThat(server.last().body()).isEqualTo(raw);
    }

    @Test
    void escapesCharactersUrlsForbidAndSignsWhatIsSent() {
        ApiResponse response = client.send("GET", "/v1/job-recipes?filter[name]=big jobs|x&q=grüß", null, Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(server.last().rawQuery()).isEqualTo("filter[name]=big%20jobs%7Cx&q=gr%C3%BC%C3%9F");
        assertThat(client.send("GET", "/v1/a b/é", null, Map.of()).status()).isEqualTo(200);
        assertThat(server.last().path()).isEqualTo("/v1/a%20b/%C3%A9");
    }

    @Test
    void baseUrlWithPathPrefixIsPartOfTheSignedPath() {
        GalleyClient prefixed = new GalleyClient(URI.create(server.url() + "/galley/"), StubApiServer.KEY);
        assertThat(prefixed.send("GET", "/v1/jobs", null, Map.of()).status()).isEqualTo(200);
        assertThat(server.last().path()).isEqualTo("/galley/v1/jobs");
    }

    @Test
    void extraHeadersAreSentAndCanForgeTheSignature() {
        ApiResponse ok = client.send("POST", "/v1/jobs", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "k1"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(server.last().header("Idempotency-Key")).isEqualTo("k1");

        ApiResponse forged = client.send("GET", "/v1/jobs", null, Map.of("x-signature", "0".repeat(64)));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().path("error").path("canonical_string").asText()).startsWith("pk_test_stub|").contains("|GET|/v1/jobs||");
        assertThat(forged.header("x-request-id")).isPresent();
    }

    @Test
    void builderClockAndNonceAreUsed() {
        GalleyClient fixed = GalleyClient.builder(server.url(), StubApiServer.KEY)
                .clock(() -> 1_700_000_000_000L).nonces(() -> "ab".repeat(16))
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();
        fixed.get("/v1/jobs");
        assertThat(server.last().header("X-Time")).isEqualTo("1700000000000");
        assertThat(server.last().header("X-Nonce")).isEqualTo("ab".repeat(16));
    }

    @Test
    void wrongSecretIsRejectedWithTheServersCanonicalString() {
        GalleyClient wrong = new GalleyClient(server.url(), new ApiKeyPair("pk_test_stub", "sk_wrong"));
        assertThatThrownBy(() -> wrong.get("/v1/jobs?page=1"))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.type()).isEqualTo("unauthenticated");
                    assertThat(e.canonicalString()).contains("|GET|/v1/jobs|page=1|");
                    assertThat(e.requestId()).startsWith("req-");
                    assertThat(e.getMessage()).contains("HTTP 401 unauthenticated: signature mismatch");
                });
    }

    @Test
    void validationErrorCarriesFieldErrors() {
        server.answer(r -> Reply.json(400, "{\"error\":{\"type\":\"invalid_request\",\"message\":\"ports[2] must be <= 65535\","
                + "\"errors\":[{\"field\":\"ports[2]\",\"message\":\"must be <= 65535\"},{\"field\":\"title\",\"message\":\"is required\"}]}}"));
        assertThatThrownBy(() -> client.post("/v1/jobs", Map.of()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid_request");
                    assertThat(e.apiMessage()).isEqualTo("ports[2] must be <= 65535");
                    assertThat(e.errors()).containsExactly(new FieldError("ports[2]", "must be <= 65535"),
                            new FieldError("title", "is required"));
                    assertThat(e.canonicalString()).isNull();
                });
    }

    @Test
    void nonJsonErrorBodyStillGivesAReadableException() {
        server.answer(r -> new Reply(502, "text/html", "<html>Bad Gateway</html>"));
        assertThatThrownBy(() -> client.get("/v1/jobs"))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.type()).isNull();
                    assertThat(e.errors()).isEmpty();
                    assertThat(e.getMessage()).contains("HTTP 502").contains("Bad Gateway");
                });
    }

    @Test
    void deleteWith204GivesMissingNode() {
        server.answer(r -> new Reply(204, null, null));
        assertThat(client.delete("/v1/job-recipes/x").isMissingNode()).isTrue();
    }

    @Test
    void nonJsonSuccessBodyFailsOnlyWhenParsed() {
        server.answer(r -> new Reply(200, "text/plain", "log line\n"));
        ApiResponse response = client.send("GET", "/v1/job-runs/x/logs", null, null);
        assertThat(response.bodyText()).isEqualTo("log line\n");
        assertThatThrownBy(response::json).isInstanceOf(IllegalStateException.class).hasMessageContaining("not JSON");
    }

    @Test
    void unreachableServerIsAConnectionException() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        GalleyClient nowhere = new GalleyClient(URI.create("http://127.0.0.1:" + freePort), StubApiServer.KEY);
        assertThatThrownBy(() -> nowhere.get("/v1/jobs"))
                .isInstanceOf(GalleyConnectionException.class).hasMessageContaining("127.0.0.1:" + freePort);
    }

    @Test
    void rejectsBadArgumentsBeforeSending() {
        assertThatThrownBy(() -> new GalleyClient(URI.create("localhost:8080"), StubApiServer.KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> new GalleyClient(URI.create("ftp://h"), StubApiServer.KEY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.send("GET", "v1/jobs", null, null)).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> client.send("GE T", "/v1/jobs", null, null)).hasMessageContaining("method");
        assertThatThrownBy(() -> client.post("/v1/jobs", "{not json")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> GalleyClient.builder(server.url(), StubApiServer.KEY).requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void aStreamIsSignedCopiedToTheSinkAndAnErrorAnswerIsAnApiException() {
        server.answer(r -> r.rawQuery().equals("follow=true") ? new Reply(200, "text/plain", "line 1\nline 2\n")
                : Reply.json(404, "{\"error\":{\"type\":\"not_found\",\"message\":\"no such run\"}}"));
        var sink = new java.io.ByteArrayOutputStream();
        assertThat(client.stream("/v1/job-runs/r1/logs?follow=true", sink)).isEqualTo(14);
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("line 1\nline 2\n");
        assertThat(server.last().header("Accept")).isEqualTo("text/plain");
        assertThatThrownBy(() -> client.stream("/v1/job-runs/r2/logs?follow=yes", sink))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.type()).isEqualTo("not_found"));
    }

    @Test
    void responseHeadersAreCaseInsensitive() {
        ApiResponse response = new ApiResponse(200, Map.of("X-Request-Id", List.of("r1")), null);
        assertThat(response.header("x-request-id")).contains("r1");
        assertThat(response.body()).isEmpty();
        assertThat(response.isSuccess()).isTrue();
        assertThat(new ApiResponse(404, Map.of(), null).isSuccess()).isFalse();
    }
}
