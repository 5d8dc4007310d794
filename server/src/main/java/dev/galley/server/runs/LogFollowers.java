package dev.galley.server.runs;

import dev.galley.server.http.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The log follow streams ({@code GET …/logs?follow=true}) open on this replica, and what wakes them. Output a
 * node appends and a status change reported through this replica wake the run's followers at once; what only
 * another replica saw (or the server's own timeouts) is found by a re-check every {@link #RECHECK_MS}, one
 * primary-key read of the run. A follower whose client went away is woken too and ends.
 *
 * <p>Each key may hold at most {@link #MAX_PER_KEY} open follows here; the gauge {@code galley_log_followers}
 * shows how many are open.
 */
public final class LogFollowers {
    public static final long RECHECK_MS = 1000;
    public static final int MAX_PER_KEY = 32;

    private final Map<UUID, Set<Follower>> byRun = new ConcurrentHashMap<>();
    private final Map<String, Integer> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    public LogFollowers(MeterRegistry registry) {
        Gauge.builder("galley_log_followers", open, AtomicInteger::get)
                .description("Log follow streams open on this replica").register(registry);
    }

    /** Registers a follow of {@code run} by {@code publicKey}; 429 when that key already holds its share. */
    public Follower open(UUID run, String publicKey) {
        boolean[] full = new boolean[1];
        byKey.compute(publicKey, (k, n) -> {
            int held = n == null ? 0 : n;
            full[0] = held >= MAX_PER_KEY;
            return full[0] ? n : held + 1;
        });
        if (full[0]) {
            throw new ApiException(429, "rate_limited", "this API key already follows " + MAX_PER_KEY
                    + " logs at once; end one of those streams first", java.util.List.of(), Map.of(), Map.of("Retry-After", "5"));
        }
        Follower f = new Follower(run, publicKey);
        byRun.compute(run, (k, set) -> {
            Set<Follower> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(f);
            return s;
        });
        open.incrementAndGet();
        return f;
    }

    /** New output or a new status for {@code run}: its followers look again now. */
    public void wake(UUID run) {
        Set<Follower> fs = byRun.get(run);
        if (fs != null) fs.forEach(Follower::wake);
    }

    /** Follow streams open now. */
    public int open() {
        return open.get();
    }

    /** One open follow stream. Close it when the stream ends. */
    public final class Follower implements AutoCloseable {
        private final UUID run;
        private final String publicKey;
        private long version;
        private boolean gone;
        private boolean closed;

        private Follower(UUID run, String publicKey) {
            this.run = run;
            this.publicKey = publicKey;
        }

        /** Read before looking for output; {@link #await} returns at once if anything happened since. */
        public synchronized long version() {
            return version;
        }

        synchronized void wake() {
            version++;
            notifyAll();
        }

        /** The client closed the connection: the stream ends at the next look. */
        public synchronized void clientGone() {
            gone = true;
            version++;
            notifyAll();
        }

        public synchronized boolean isClientGone() {
            return gone;
        }

        /** Waits until something happened after {@code seen}, or {@code ms} passed. */
        public synchronized void await(long seen, long ms) throws InterruptedException {
            long deadline = System.nanoTime() + ms * 1_000_000;
            while (version == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return;
                wait(left);
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            byRun.computeIfPresent(run, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            byKey.computeIfPresent(publicKey, (k, n) -> n <= 1 ? null : n - 1);
            open.decrementAndGet();
        }
    }
}
