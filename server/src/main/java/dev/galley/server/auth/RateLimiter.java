package dev.galley.server.auth;

import dev.galley.server.http.ApiException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token bucket (GALLEY_RATE_LIMIT_RPS requests per second, bursts of twice that). Kept per replica
 * in memory: a limit is a guard against runaway clients, not an accounting system, so N replicas allowing
 * N times the rate is acceptable and costs no database round trip. 0 disables it.
 */
public final class RateLimiter {
    private final double ratePerSecond;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, ratePerSecond * 2);
    }

    public void check(String publicKey, long nowNanos) {
        if (ratePerSecond <= 0) return;
        Bucket b = buckets.computeIfAbsent(publicKey, k -> new Bucket(burst, nowNanos));
        long waitSeconds;
        synchronized (b) {
            double refill = (nowNanos - b.lastNanos) / 1e9 * ratePerSecond;
            b.tokens = Math.min(burst, b.tokens + refill);
            b.lastNanos = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return;
            }
            waitSeconds = (long) Math.ceil((1 - b.tokens) / ratePerSecond);
        }
        throw ApiException.rateLimited(Math.max(1, waitSeconds));
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }
}
