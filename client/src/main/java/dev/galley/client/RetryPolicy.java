package dev.galley.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the SDK retries a request that may succeed on a second try: how many attempts in all, the exponential
 * backoff between them (with jitter, so many clients that failed together do not retry together), and the
 * longest {@code Retry-After} it is willing to honour (a server asking for more gets its 429 back at once,
 * rather than a CLI that hangs for minutes without saying why). {@link RetryingTransport} applies it to one
 * request; callers that keep retrying on their own (the node agent's loops) wait {@link #backoff} between
 * their tries, so there is one backoff rule for every client of a Galley server.
 *
 * @param maxAttempts      attempts in all, including the first; 1 disables retrying
 * @param initialBackoff   the backoff ceiling before the first retry; doubled on each further one
 * @param maxBackoff       the highest backoff ceiling
 * @param maxRetryAfter    the longest {@code Retry-After} (429, 503) that is waited for
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    /** 4 attempts, 250 ms doubling up to 4 s, Retry-After honoured up to 60 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(60));

    /** One attempt only: for callers that retry on their own. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (initialBackoff == null || initialBackoff.isNegative()) throw new IllegalArgumentException("initialBackoff must be >= 0");
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
        }
        if (maxRetryAfter == null || maxRetryAfter.isNegative()) throw new IllegalArgumentException("maxRetryAfter must be >= 0");
    }

    /**
     * How long to wait before retry number {@code retry} (1-based): half of {@link #backoffCeiling} for sure,
     * the other half at random ("equal jitter"), so a fleet that failed together spreads out and no wait
     * collapses to nothing.
     */
    public Duration backoff(int retry) {
        long ceiling = backoffCeiling(retry).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /**
     * The backoff ceiling before retry number {@code retry} (1-based): {@code initialBackoff × 2^(retry-1)},
     * at most {@code maxBackoff}.
     */
    Duration backoffCeiling(int retry) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < retry && millis < maxBackoff.toMillis(); i++) millis *= 2;
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
