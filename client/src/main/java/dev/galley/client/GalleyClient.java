package dev.galley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.galley.core.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The SDK's transport: sends signed requests to a Galley (or Dispersed) server. Thread-safe; create one per
 * base URL and key and reuse it (it holds a connection pool).
 *
 * <pre>{@code
 * GalleyClient client = new GalleyClient(URI.create("http://localhost:8080"), ApiKeyPair.parse(System.getenv("GALLEY_API_KEY")));
 * JsonNode jobs = client.get("/v1/jobs?filter[status]=RUNNING");
 * }</pre>
 */
public final class GalleyClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI baseUrl;
    private final ApiKeyPair key;
    private final Duration requestTimeout;
    private final LongSupplier clock;
    private final Supplier<String> nonces;
    private final HttpClient http;

    public GalleyClient(URI baseUrl, ApiKeyPair key) {
        this(builder(baseUrl, key));
    }

    private GalleyClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.key = b.key;
        this.requestTimeout = b.requestTimeout;
        this.clock = b.clock;
        this.nonces = b.nonces;
        // HTTP/1.1: the server speaks it, and h2c upgrade attempts only add a round of surprises.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static Builder builder(URI baseUrl, ApiKeyPair key) {
        return new Builder(baseUrl, key);
    }

    /** Options; defaults: 10 s connect timeout, 60 s request timeout, system clock, random nonces. */
    public static final class Builder {
        private final URI baseUrl;
        private final ApiKeyPair key;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private LongSupplier clock = System::currentTimeMillis;
        private Supplier<String> nonces = RequestSigning::randomNonce;

        private Builder(URI baseUrl, ApiKeyPair key) {
            this.baseUrl = checkBaseUrl(baseUrl);
            this.key = Objects.requireNonNull(key, "key");
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** Whole-request timeout; long-polls (log follow, node assignments) need more than their wait. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        /** The clock for {@code X-Time}; tests use it to send stale timestamps. */
        public Builder clock(LongSupplier epochMillis) {
            this.clock = Objects.requireNonNull(epochMillis, "clock");
            return this;
        }

        /** The source of {@code X-Nonce} values; tests use it to replay a nonce. */
        public Builder nonces(Supplier<String> nonceSource) {
            this.nonces = Objects.requireNonNull(nonceSource, "nonceSource");
            return this;
        }

        public GalleyClient build() {
            return new GalleyClient(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive");
            return d;
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The key this client signs with (e.g. for a benchmark's own transport that must sign the same way). */
    public ApiKeyPair key() {
        return key;
    }

    /**
     * Sends one signed request and returns whatever the server answered, errors included (no exception for
     * status ≥ 400). The signature covers {@code body} exactly as given. {@code extraHeaders} are added after
     * the signing headers and replace one of the same name, so a test can forge any of them.
     *
     * @param pathWithQuery e.g. {@code /v1/jobs?filter[status]=RUNNING}; characters not allowed in a URL (spaces,
     *                      non-ASCII, {@code |}…) are percent-encoded before signing, so the signature covers
     *                      what is sent
     * @throws GalleyConnectionException when no HTTP response arrives
     * @throws IllegalArgumentException  for a bad method, path or header
     */
    public ApiResponse send(String method, String pathWithQuery, byte[] bodyOrNull, Map<String, String> extraHeaders) {
        HttpRequest request = request(method, pathWithQuery, bodyOrNull, extraHeaders).timeout(requestTimeout).build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        return new ApiResponse(response.statusCode(), response.headers().map(), response.body());
    }

    /**
     * GETs a body that arrives over time ({@code …/logs?follow=true}) and copies it to {@code sink} as it comes,
     * flushing after each piece. No request timeout: such a stream lasts as long as what it follows.
     *
     * @return the number of bytes copied
     * @throws GalleyApiException        for an answer of status ≥ 400
     * @throws GalleyConnectionException when no answer arrives or the stream breaks off
     */
    public long stream(String pathWithQuery, OutputStream sink) {
        HttpRequest request = request("GET", pathWithQuery, null, Map.of("Accept", "text/plain")).build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() >= 400) {
                throw new GalleyApiException(new ApiResponse(response.statusCode(), response.headers().map(), body.readAllBytes()));
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n; (n = body.read(buffer)) >= 0; total += n) {
                sink.write(buffer, 0, n);
                sink.flush();
            }
            return total;
        } catch (IOException e) {
            throw new GalleyConnectionException("the stream from " + baseUrl + " broke off: " + e, e);
        }
    }

    /** A signed request; {@code extraHeaders} are added after the signing headers and replace one of the same name. */
    private HttpRequest.Builder request(String method, String pathWithQuery, byte[] bodyOrNull, Map<String, String> extraHeaders) {
        String verb = checkMethod(method);
        if (pathWithQuery == null || !pathWithQuery.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with '/', e.g. /v1/jobs");
        }
        URI uri = URI.create(stripTrailingSlash(baseUrl.toString()) + UrlText.escapeIllegal(pathWithQuery));
        String signedTarget = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] body = bodyOrNull == null ? new byte[0] : bodyOrNull;

        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(verb, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", "application/json");
        headers.putAll(RequestSigning.headers(key, verb, signedTarget, body, clock.getAsLong(), nonces.get()));
        if (body.length > 0) headers.put("Content-Type", "application/json");
        if (extraHeaders != null) headers.putAll(extraHeaders);
        headers.forEach(request::setHeader);
        return request;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (HttpTimeoutException e) {
            throw new GalleyConnectionException("no answer from " + baseUrl + " within the timeout", e);
        } catch (ConnectException e) {
            throw new GalleyConnectionException("cannot connect to " + baseUrl + " (is the server running?)", e);
        } catch (IOException e) {
            throw new GalleyConnectionException("request to " + baseUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GalleyConnectionException("interrupted while waiting for " + baseUrl, e);
        }
    }

    /** Like {@link #send} but returns the JSON body and throws {@link GalleyApiException} on status ≥ 400. */
    public JsonNode call(String method, String pathWithQuery, Object bodyOrNull) {
        ApiResponse response = send(method, pathWithQuery, toJsonBytes(bodyOrNull), Map.of());
        if (response.status() >= 400) throw new GalleyApiException(response);
        return response.json();
    }

    public JsonNode get(String pathWithQuery) {
        return call("GET", pathWithQuery, null);
    }

    public JsonNode post(String path, Object body) {
        return call("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return call("PUT", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return call("PATCH", path, body);
    }

    /** Returns the deleted object, or {@link com.fasterxml.jackson.databind.node.MissingNode} on 204. */
    public JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    /**
     * Serializes a body for the convenience calls: a {@code JsonNode}, map or other Jackson-serializable value
     * becomes JSON in canonical form, i.e. the bytes the official Dispersed client sends, so the same call works
     * against a server that checks only the canonical-JSON body hash. {@code byte[]} is sent as is;
     * a {@code String} is taken as JSON text. {@code null} means no body.
     */
    public static byte[] toJsonBytes(Object body) {
        if (body == null) return null;
        if (body instanceof byte[] bytes) return bytes;
        try {
            String json = body instanceof String text ? text : MAPPER.writeValueAsString(body);
            return CanonicalJson.canonicalize(json).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String checkMethod(String method) {
        if (method == null || !method.matches("[A-Za-z]{1,16}")) {
            throw new IllegalArgumentException("the HTTP method must be a word such as GET or POST");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private static URI checkBaseUrl(URI baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the server URL must be http:// or https:// with a host, e.g."
                    + " http://localhost:8080");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the server URL must not have a query or fragment");
        }
        return baseUrl;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
