package dev.galley.node.protocol;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [delay/2, delay] where delay
 * = min(initial * 2^n, max). The jitter keeps a fleet of nodes that lost the server at the same moment
 * from hammering it in lock-step when it comes back.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial backoff must be positive");
        if (max == null || max.compareTo(initial) < 0) throw new IllegalArgumentException("max backoff must be >= initial");
    }

    /** How long to wait before retry number {@code attempt} (0 = the first retry). */
    public Duration delay(int attempt) {
        long ceiling = initial.toMillis();
        for (int i = 0; i < attempt && ceiling < max.toMillis(); i++) ceiling *= 2;
        ceiling = Math.min(ceiling, max.toMillis());
        long floor = Math.max(1, ceiling / 2);
        return Duration.ofMillis(floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1));
    }

    /** Sleeps {@link #delay(int)}; throws when the thread is interrupted (shutdown), so loops end promptly. */
    public void sleep(int attempt) throws InterruptedException {
        Thread.sleep(delay(attempt));
    }
}
