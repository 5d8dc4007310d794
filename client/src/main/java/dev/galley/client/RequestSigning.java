package dev.galley.client;

import dev.galley.core.auth.CanonicalRequest;
import dev.galley.core.auth.CanonicalRequest.SpaceStyle;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs one request (spec §2, docs/authentication.md). Usable on its own: server tests call it with a
 * chosen clock and nonce to forge stale timestamps, reused nonces and wrong signatures.
 *
 * <p>The client signs the body bytes exactly as it sends them and spaces in the query as {@code %20};
 * the server accepts both, and signing what is on the wire avoids depending on a JSON re-serializer.
 */
public final class RequestSigning {
    public static final String API_KEY = "X-API-Key";
    public static final String TIME = "X-Time";
    public static final String NONCE = "X-Nonce";
    public static final String SIGNATURE = "X-Signature";

    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestSigning() {}

    /**
     * The four authentication headers, in the order {@code X-API-Key, X-Time, X-Nonce, X-Signature}.
     *
     * @param pathWithQuery the request target as sent, e.g. {@code /v1/jobs?page=2}; the query is
     *                      canonicalized, the path is signed as is
     * @param body          the exact body bytes sent; null or empty when there is none
     * @throws IllegalArgumentException when the query holds a malformed {@code %} escape
     */
    public static Map<String, String> headers(ApiKeyPair key, String method, String pathWithQuery, byte[] body,
                                              long clockMillis, String nonce) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(API_KEY, key.publicKey());
        headers.put(TIME, Long.toString(clockMillis));
        headers.put(NONCE, nonce);
        headers.put(SIGNATURE, CanonicalRequest.hmacSha256Hex(key.secretKey(),
                canonicalString(key, method, pathWithQuery, body, clockMillis, nonce)));
        return headers;
    }

    /** The string {@link #headers} signs; compare it with the server's {@code canonical_string} on a 401. */
    public static String canonicalString(ApiKeyPair key, String method, String pathWithQuery, byte[] body,
                                         long clockMillis, String nonce) {
        if (pathWithQuery == null || !pathWithQuery.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with '/', e.g. /v1/jobs");
        }
        int hash = pathWithQuery.indexOf('#');
        String target = hash < 0 ? pathWithQuery : pathWithQuery.substring(0, hash);
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        return CanonicalRequest.stringToSign(key.publicKey(), Long.toString(clockMillis), nonce, method, path,
                CanonicalRequest.canonicalQuery(query, SpaceStyle.PERCENT_20), CanonicalRequest.sha256Hex(body));
    }

    /** 16 random bytes as 32 lower-case hex characters, as the official Dispersed client sends. */
    public static String randomNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
