package dev.galley.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.galley.core.auth.SignatureCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for a remote Galley server: checks every request's signature with the core's
 * {@link SignatureCheck} exactly as the real server must, then answers from a route function.
 */
public final class StubApiServer implements AutoCloseable {
    public static final ApiKeyPair KEY = new ApiKeyPair("pk_test_stub", "sk_test_stub_secret");

    /** What the stub saw; {@code path} and {@code rawQuery} exactly as received on the wire. */
    public record Seen(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** The stub's answer to a correctly signed request. */
    public record Reply(int status, String contentType, String body) {
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }
    }

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Function<Seen, Reply> routes = request -> Reply.json(200, "{\"ok\":true}");

    public StubApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public StubApiServer answer(Function<Seen, Reply> routes) {
        this.routes = routes;
        return this;
    }

    public List<Seen> seen() {
        return seen;
    }

    public Seen last() {
        return seen.get(seen.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Seen request = new Seen(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes());
            seen.add(request);
            Reply reply = authenticate(request);
            exchange.getResponseHeaders().add("X-Request-Id", "req-" + seen.size());
            byte[] body = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            if (reply.contentType() != null) exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
        }
    }

    private Reply authenticate(Seen r) {
        String apiKey = r.header("X-API-Key");
        var problem = SignatureCheck.headerProblem(apiKey, r.header("X-Time"), r.header("X-Nonce"), r.header("X-Signature"));
        if (problem.isPresent()) return unauthenticated(problem.get(), null);
        if (!KEY.publicKey().equals(apiKey)) return unauthenticated("unknown API key", null);
        SignatureCheck.Result result = SignatureCheck.verify(apiKey, KEY.secretKey(), r.header("X-Time"),
                r.header("X-Nonce"), r.method(), r.path(), r.rawQuery(), r.body(), r.header("X-Signature"));
        return switch (result) {
            case SignatureCheck.Valid valid -> routes.apply(r);
            case SignatureCheck.Mismatch mismatch -> unauthenticated("signature mismatch", mismatch.canonicalString());
            case SignatureCheck.Unverifiable bad -> unauthenticated(bad.problem(), null);
        };
    }

    private static Reply unauthenticated(String message, String canonical) {
        String extra = canonical == null ? "" : ",\"canonical_string\":\"" + canonical + "\"";
        return Reply.json(401, "{\"error\":{\"type\":\"unauthenticated\",\"message\":\"" + message + "\"" + extra + "}}");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
