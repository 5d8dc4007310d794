package dev.galley.core.auth;

import dev.galley.core.auth.CanonicalRequest.SpaceStyle;
import dev.galley.core.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server's pure signature decision (spec §2). The server still owns what needs state or a clock: key
 * lookup, the ±5 minute window (see {@link #clockProblem}) and the once-only nonce store.
 *
 * <p>Several clients exist in the wild, so a signature is accepted when it matches any of four canonical
 * strings: spaces in the query as {@code %20} or {@code +}, times the body hashed as received or as its
 * canonical JSON (the latter only when the body parses as JSON).
 */
public final class SignatureCheck {
    /** Maximum |X-Time − server time| (spec §2). */
    public static final long MAX_CLOCK_SKEW_MS = 300_000;

    private static final Pattern NONCE = Pattern.compile("[0-9a-fA-F]{16,64}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,18}");

    /** The outcome of {@link #verify}. */
    public sealed interface Result permits Valid, Mismatch, Unverifiable {}

    /** The signature matches one of the accepted canonical strings. */
    public record Valid() implements Result {}

    /**
     * No variant matched. {@code canonicalString} is the primary variant ({@code %20} spaces, raw body hash);
     * it holds no secret and goes into the 401 body so client authors can compare it with theirs.
     */
    public record Mismatch(String canonicalString) implements Result {}

    /** No canonical string can be built, e.g. the query has a malformed {@code %} escape (→ 401 with the reason). */
    public record Unverifiable(String problem) implements Result {}

    private SignatureCheck() {}

    /**
     * Checks the four header values for presence and shape, before any key lookup. Returns the first problem
     * as a message fit for a 401 body, or empty when all four look right.
     */
    public static Optional<String> headerProblem(String apiKey, String timestampHeader, String nonce, String signature) {
        if (isBlank(apiKey)) return Optional.of("missing X-API-Key header (the public key, pk_…)");
        if (isBlank(timestampHeader)) return Optional.of("missing X-Time header (epoch milliseconds)");
        if (isBlank(nonce)) return Optional.of("missing X-Nonce header (16-64 hex characters, used once)");
        if (isBlank(signature)) return Optional.of("missing X-Signature header (64 lower-case hex characters)");
        if (!TIMESTAMP.matcher(timestampHeader).matches()) {
            return Optional.of("X-Time must be the current time in epoch milliseconds (an integer), got '"
                    + abbreviate(timestampHeader) + "'");
        }
        if (!NONCE.matcher(nonce).matches()) return Optional.of("X-Nonce must be 16-64 hex characters");
        if (!SIGNATURE.matcher(signature).matches()) {
            return Optional.of("X-Signature must be 64 lower-case hex characters (HMAC-SHA256)");
        }
        return Optional.empty();
    }

    /**
     * The X-Time value as epoch milliseconds; call only after {@link #headerProblem} found nothing.
     *
     * @throws IllegalArgumentException when it is not an integer of at most 18 digits
     */
    public static long timestampMillis(String timestampHeader) {
        if (timestampHeader == null || !TIMESTAMP.matcher(timestampHeader).matches()) {
            throw new IllegalArgumentException("X-Time is not an integer number of milliseconds");
        }
        return Long.parseLong(timestampHeader);
    }

    /** A 401 message when the request time is more than {@link #MAX_CLOCK_SKEW_MS} away from the server's. */
    public static Optional<String> clockProblem(long requestMillis, long serverMillis) {
        long skew = requestMillis - serverMillis;
        if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS) return Optional.empty();
        return Optional.of("X-Time is " + Math.abs(skew) / 1000 + " s " + (skew > 0 ? "ahead of" : "behind")
                + " the server clock (allowed: 300 s); check the client's clock (server time "
                + serverMillis + " ms)");
    }

    /**
     * Recomputes the signature over every accepted canonical string and compares each in constant time.
     *
     * @param path     the request path as received, without the query
     * @param rawQuery the query as received (still percent-encoded), without {@code ?}; null or empty if none
     * @param body     the body bytes as received; null or empty if none
     */
    public static Result verify(String publicKey, String secretKey, String timestampHeader, String nonce,
                                String method, String path, String rawQuery, byte[] body, String signatureHex) {
        List<String> queries = new ArrayList<>(2);
        try {
            queries.add(CanonicalRequest.canonicalQuery(rawQuery, SpaceStyle.PERCENT_20));
            queries.add(CanonicalRequest.canonicalQuery(rawQuery, SpaceStyle.PLUS));
        } catch (IllegalArgumentException e) {
            return new Unverifiable(e.getMessage());
        }
        // Raw-body variants first: most clients sign the bytes they send, and re-canonicalizing a JSON body
        // costs more than the HMACs. Stopping at the first match leaks only which accepted form the client
        // used, which is no secret; each comparison itself is constant-time.
        String rawHash = CanonicalRequest.sha256Hex(body);
        String primary = CanonicalRequest.stringToSign(publicKey, timestampHeader, nonce, method, path, queries.get(0), rawHash);
        boolean sameQuery = queries.get(0).equals(queries.get(1)); // no spaces in the query: one form only
        if (matches(secretKey, primary, signatureHex)
                || !sameQuery && matches(secretKey, CanonicalRequest.stringToSign(publicKey, timestampHeader, nonce, method, path, queries.get(1), rawHash), signatureHex)) {
            return new Valid();
        }
        Optional<String> jsonHash = canonicalJsonHash(body);
        if (jsonHash.isPresent() && !jsonHash.get().equals(rawHash)) {
            for (String query : sameQuery ? queries.subList(0, 1) : queries) {
                String candidate = CanonicalRequest.stringToSign(publicKey, timestampHeader, nonce, method, path, query, jsonHash.get());
                if (matches(secretKey, candidate, signatureHex)) return new Valid();
            }
        }
        return new Mismatch(primary);
    }

    private static boolean matches(String secretKey, String candidate, String signatureHex) {
        return CanonicalRequest.constantTimeEquals(CanonicalRequest.hmacSha256Hex(secretKey, candidate), signatureHex);
    }

    private static Optional<String> canonicalJsonHash(byte[] body) {
        if (body == null || body.length == 0) return Optional.empty();
        try {
            return Optional.of(CanonicalRequest.sha256Hex(
                    CanonicalJson.canonicalize(body).getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
