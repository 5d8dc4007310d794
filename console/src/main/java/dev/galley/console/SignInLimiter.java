package dev.galley.console;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per client address: a token bucket of {@code burst} tries refilled at one per
 * {@code refillMs}. Guessing key pairs through the form costs as much as through the API, where a bad signature
 * is refused too.
 */
final class SignInLimiter {
    private record Bucket(double tokens, long atMs) {}

    private final int burst;
    private final long refillMs;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    SignInLimiter(int burst, long refillMs) {
        this.burst = burst;
        this.refillMs = refillMs;
    }

    /** Whether this address may try now (it has a token left); does not spend one. */
    boolean mayTry(String address, long nowMs) {
        Bucket b = buckets.get(address);
        return b == null || refilled(b, nowMs) >= 1;
    }

    /** A failed try spends a token. */
    void failed(String address, long nowMs) {
        if (buckets.size() > 100_000) buckets.clear(); // bounded: forgetting only gives some addresses a fresh burst
        buckets.compute(address, (k, b) -> new Bucket(Math.max(0, (b == null ? burst : refilled(b, nowMs)) - 1), nowMs));
    }

    private double refilled(Bucket b, long nowMs) {
        return Math.min(burst, b.tokens() + (double) (nowMs - b.atMs()) / refillMs);
    }
}
