package dev.galley.server.auth;

import dev.galley.core.auth.PermissionSet;
import dev.galley.core.auth.SignatureCheck;
import dev.galley.core.net.IpRange;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.ApiException;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies a signed request (spec §2): headers, clock window, key state, HMAC, one-time nonce, allowed IPs.
 * The signature is checked before the nonce is stored, so forged requests cannot burn nonces.
 */
public final class Authenticator {
    public static final long WINDOW_MS = SignatureCheck.MAX_CLOCK_SKEW_MS;
    private final Transactions tx;
    private final ApiKeyRepository keys;
    private final NonceRepository nonces;
    private final SecretBox secrets;
    private final Clock clock;
    private final RateLimiter rateLimiter;
    private final ApiKeyCache cache;

    public Authenticator(Transactions tx, ApiKeyRepository keys, NonceRepository nonces, SecretBox secrets, Clock clock,
                         RateLimiter rateLimiter, ApiKeyCache cache) {
        this.rateLimiter = rateLimiter;
        this.cache = cache;
        this.tx = tx;
        this.keys = keys;
        this.nonces = nonces;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** What {@link #checkHeaders} found: the signing headers and the key they name. */
    public record SignedHeaders(String publicKey, String time, String nonce, String signature, long now, ApiKeyCache.Entry entry) {}

    /**
     * The checks that need neither the body nor a write (spec §8): the signing headers are there and well
     * formed, the timestamp is in the window, the key is known, not revoked and not expired. Routes run them
     * before they read the body, so a request that cannot succeed is refused before it can upload anything.
     */
    public SignedHeaders checkHeaders(Context ctx) {
        String publicKey = header(ctx, "X-API-Key");
        String time = header(ctx, "X-Time");
        String nonce = header(ctx, "X-Nonce");
        String signature = header(ctx, "X-Signature");
        Optional<String> problem = SignatureCheck.headerProblem(publicKey, time, nonce, signature);
        if (problem.isPresent()) throw ApiException.unauthenticated(problem.get());

        long now = clock.millis();
        SignatureCheck.clockProblem(SignatureCheck.timestampMillis(time), now).ifPresent(msg -> {
            throw ApiException.unauthenticated(msg);
        });

        ApiKeyCache.Entry entry = cache.get(publicKey, () -> tx.withHandle(h -> keys.byPublicKey(h, publicKey)).map(this::entry))
                .orElseThrow(() -> ApiException.unauthenticated("unknown API key " + publicKey));
        ApiKeyRow key = entry.row();
        if (key.revoked()) throw ApiException.unauthenticated("API key " + publicKey + " has been revoked");
        if (key.expiresAt() != null && !key.expiresAt().isAfter(Instant.ofEpochMilli(now))) {
            throw ApiException.unauthenticated("API key " + publicKey + " expired at " + key.expiresAt());
        }
        return new SignedHeaders(publicKey, time, nonce, signature, now, entry);
    }

    /**
     * The rest, once the body is read: the signature over it, allowed IPs, the rate limit, the one-time nonce.
     * {@code deferNonce}: the route claims the nonce in its own transaction (create and cook: {@code JobGroupCommit}).
     */
    public Caller authenticate(Context ctx, SignedHeaders headers, boolean deferNonce) {
        String publicKey = headers.publicKey();
        String time = headers.time();
        String nonce = headers.nonce();
        String signature = headers.signature();
        long now = headers.now();
        ApiKeyCache.Entry entry = headers.entry();
        ApiKeyRow key = entry.row();

        var check = SignatureCheck.verify(publicKey, entry.secret(), time, nonce, ctx.method().name(), ctx.path(),
                ctx.queryString(), ctx.bodyAsBytes(), signature);
        switch (check) {
            case SignatureCheck.Mismatch m -> throw ApiException.signatureMismatch(m.canonicalString());
            case SignatureCheck.Unverifiable u -> throw ApiException.unauthenticated("request cannot be verified: " + u.problem());
            case SignatureCheck.Valid v -> { }
        }

        if (!entry.allowed().isEmpty() && !ipAllowed(ctx.ip(), entry.allowed())) {
            throw ApiException.forbidden("requests from " + ctx.ip() + " are not allowed for this API key");
        }
        rateLimiter.check(publicKey, System.nanoTime());
        if (deferNonce) {
            if (cache.shouldTouch(publicKey, now)) tx.useHandle(h -> keys.touch(h, key.uuid(), Instant.ofEpochMilli(now)));
            return new Caller(key.uuid(), publicKey, key.accountUuid(), entry.permissions(), nonce);
        }
        boolean fresh = tx.withHandle(h -> {
            boolean claimed = nonces.claim(h, publicKey, nonce);
            if (claimed && cache.shouldTouch(publicKey, now)) keys.touch(h, key.uuid(), Instant.ofEpochMilli(now));
            return claimed;
        });
        if (!fresh) throw reusedNonce(nonce);
        return new Caller(key.uuid(), publicKey, key.accountUuid(), entry.permissions(), null);
    }

    public static ApiException reusedNonce(String nonce) {
        return ApiException.unauthenticated("X-Nonce " + nonce + " was already used with this key; send a new random nonce per request");
    }

    private ApiKeyCache.Entry entry(ApiKeyRow row) {
        return new ApiKeyCache.Entry(row, secrets.decrypt(row.secretCiphertext()), PermissionSet.parse(row.permissions()),
                row.allowedIps().stream().map(IpRange::parse).toList());
    }

    private static boolean ipAllowed(String ip, java.util.List<IpRange> allowed) {
        InetAddress addr;
        try {
            addr = InetAddress.getByName(ip); // ctx.ip() is always a literal, so this never resolves names
        } catch (UnknownHostException e) {
            return false;
        }
        for (IpRange range : allowed) {
            if (range.contains(addr)) return true;
        }
        return false;
    }

    private static String header(Context ctx, String name) {
        String v = ctx.header(name);
        if (v == null || v.isEmpty()) {
            throw ApiException.unauthenticated("missing " + name + " header; every request must be signed (see docs/authentication.md)");
        }
        return v.trim();
    }
}
