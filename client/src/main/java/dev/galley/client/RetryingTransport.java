package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The retry layer on top of {@link GalleyClient}. A request is sent again only when doing so cannot do
 * something twice:
 * <ul>
 *   <li>429: always: the server refused it before doing any work; {@code Retry-After} is honoured.</li>
 *   <li>5xx, 408 or a lost connection: only for requests that are safe to repeat: GET, HEAD, PUT, DELETE
 *       (idempotent by HTTP's definition), a POST that carries an {@code Idempotency-Key} (the server
 *       answers a repeat with the first answer), and whatever the caller vouches for with
 *       {@link #sendRepeatable}.</li>
 *   <li>A connection that was refused or timed out while connecting: always, since the request never left.</li>
 * </ul>
 * Every attempt is signed afresh (new time and nonce), so a retry is never rejected as a replay.
 */
public final class RetryingTransport {
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final GalleyClient client;
    private final RetryPolicy policy;
    private final Sleeper sleeper;

    public RetryingTransport(GalleyClient client, RetryPolicy policy) {
        this(client, policy, Sleeper.REAL);
    }

    public RetryingTransport(GalleyClient client, RetryPolicy policy, Sleeper sleeper) {
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public GalleyClient client() {
        return client;
    }

    /** The answer that ended the retries, and how many attempts it took. */
    public record Outcome(ApiResponse response, int attempts) {}

    /**
     * Sends with retries and returns the last answer, errors included.
     *
     * @throws GalleyConnectionException when the last attempt got no answer
     */
    public Outcome send(String method, String pathWithQuery, byte[] body, Map<String, String> headers) {
        return send(method, pathWithQuery, body, headers, false);
    }

    /**
     * Like {@link #send}, for a request the caller knows to be safe to repeat although HTTP does not say so,
     * e.g. the node protocol's POSTs: registering is idempotent per node name, and a heartbeat or a repeated
     * run status changes nothing the first one did not. It is retried after 5xx and lost connections too.
     */
    public Outcome sendRepeatable(String method, String pathWithQuery, byte[] body, Map<String, String> headers) {
        return send(method, pathWithQuery, body, headers, true);
    }

    private Outcome send(String method, String pathWithQuery, byte[] body, Map<String, String> headers, boolean repeatable) {
        String verb = method.toUpperCase(Locale.ROOT);
        Map<String, String> extra = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) extra.putAll(headers);
        boolean safeToRepeat = repeatable || IDEMPOTENT_METHODS.contains(verb) || extra.containsKey("Idempotency-Key");
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= policy.maxAttempts();
            ApiResponse response;
            try {
                response = client.send(verb, pathWithQuery, body, extra);
            } catch (GalleyConnectionException e) {
                if (last || !(safeToRepeat || neverSent(e))) throw e;
                pause(policy.backoff(attempt), e);
                continue;
            }
            int status = response.status();
            boolean retryable = status == 429 || ((status >= 500 || status == 408) && safeToRepeat);
            if (!retryable || last) return new Outcome(response, attempt);
            Duration wait = policy.backoff(attempt);
            if (status == 429 || status == 503) {
                Duration asked = retryAfter(response);
                if (asked != null) {
                    if (asked.compareTo(policy.maxRetryAfter()) > 0) return new Outcome(response, attempt);
                    wait = asked;
                }
            }
            pause(wait, null);
        }
    }

    /** Sends with retries; the JSON body of a 2xx answer, else {@link GalleyApiException}. */
    public JsonNode call(String method, String pathWithQuery, Object body, Map<String, String> headers) {
        Outcome outcome = send(method, pathWithQuery, GalleyClient.toJsonBytes(body), headers);
        if (outcome.response().status() >= 400) throw new GalleyApiException(outcome.response());
        return outcome.response().json();
    }

    /** Retry-After as delta-seconds; the HTTP-date form is rare from APIs and treated as absent. */
    static Duration retryAfter(ApiResponse response) {
        return response.header("Retry-After").map(String::strip).filter(v -> v.matches("\\d{1,9}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
    }

    private static boolean neverSent(GalleyConnectionException e) {
        return e.getCause() instanceof ConnectException || e.getCause() instanceof HttpConnectTimeoutException;
    }

    private void pause(Duration wait, GalleyConnectionException pending) {
        try {
            // Interrupted means "stop" (e.g. a node agent shutting down): do not start another attempt.
            if (Thread.interrupted()) throw new InterruptedException();
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            GalleyConnectionException interrupted = new GalleyConnectionException("interrupted while waiting to retry", e);
            if (pending != null) interrupted.addSuppressed(pending);
            throw interrupted;
        }
    }
}
