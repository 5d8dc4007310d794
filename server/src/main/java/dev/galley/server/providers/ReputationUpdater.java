package dev.galley.server.providers;

import dev.galley.server.db.PeriodicLoop;
import dev.galley.core.providers.Reputation;
import dev.galley.core.providers.ReputationParameters;
import dev.galley.core.providers.ReputationState;
import dev.galley.server.db.Transactions;
import dev.galley.server.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps every node's reputation (spec §10) current: every {@code period} it carries each node's stored evidence
 * forward with the runs that ended and the time spent ONLINE since ({@link Reputation#carriedForward}), and stores
 * the new evidence and score. Replicas may do it at the same time: a write applies only to the evidence it started
 * from, so a node's events are never counted twice.
 */
public final class ReputationUpdater implements AutoCloseable {
    private static final int BATCH = 500;
    private final Transactions tx;
    private final ReputationRepository repo;
    private final ReputationParameters parameters;
    private final Clock clock;
    private final PeriodicLoop loop;

    public ReputationUpdater(Transactions tx, ReputationRepository repo, ReputationParameters parameters, Metrics metrics,
                             Clock clock, Duration period) {
        this.tx = tx;
        this.repo = repo;
        this.parameters = parameters;
        this.clock = clock;
        this.loop = new PeriodicLoop("galley-reputation", "reputation update", period.toMillis(), metrics,
                "galley_reputation_errors_total", this::update);
    }

    /** One pass over every node; returns how many were written. */
    public int update() {
        Instant now = clock.instant();
        var stored = tx.withHandle(repo::all);
        if (stored.isEmpty()) return 0;
        Instant from = stored.stream().map(s -> s.state().asOf()).min(Comparator.naturalOrder()).orElseThrow();
        if (!from.isBefore(now)) return 0;
        var outcomes = tx.withHandle(h -> repo.outcomes(h, from, now));
        var online = tx.withHandle(h -> repo.online(h, from, now));
        List<ReputationRepository.Update> updates = new ArrayList<>();
        for (var s : stored) {
            ReputationState next = Reputation.carriedForward(s.state(), outcomes.getOrDefault(s.node(), List.of()),
                    online.getOrDefault(s.node(), List.of()), now, parameters);
            updates.add(new ReputationRepository.Update(s.node(), next, Reputation.score(next, now, parameters),
                    s.state().asOf(), s.fresh()));
        }
        int written = 0;
        for (int i = 0; i < updates.size(); i += BATCH) {
            var slice = updates.subList(i, Math.min(updates.size(), i + BATCH));
            written += tx.inTransaction(h -> repo.save(h, slice));
        }
        return written;
    }

    @Override
    public void close() {
        loop.close();
    }
}
