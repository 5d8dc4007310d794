package dev.galley.core.providers;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's reputation evidence as of {@code asOf}: {@code good} (completions plus online credit) and {@code bad}
 * (node faults times the fault weight), each already decayed to {@code asOf}. Because the decay is exponential, the state can be carried
 * forward event by event — a stored row updated when a run ends or a node goes offline — and gives the same score
 * as recomputing from the whole history ({@link Reputation#of}).
 */
public record ReputationState(double good, double bad, Instant asOf) {
    private static final double LN2 = Math.log(2);
    private static final double MS_PER_DAY = 86_400_000.0;

    public ReputationState {
        Objects.requireNonNull(asOf, "asOf");
        if (!(good >= 0) || !(bad >= 0) || !Double.isFinite(good) || !Double.isFinite(bad)) {
            throw new IllegalArgumentException("reputation evidence must be finite and >= 0");
        }
    }

    /** A node with no history. */
    public static ReputationState fresh(Instant at) {
        return new ReputationState(0, 0, at);
    }

    /** The same evidence seen from {@code t}; never moves back in time. */
    public ReputationState decayedTo(Instant t, ReputationParameters p) {
        if (!t.isAfter(asOf)) return this;
        double w = p.weight(t.toEpochMilli() - asOf.toEpochMilli());
        return new ReputationState(good * w, bad * w, t);
    }

    /** Adds a finished run; one older than {@code asOf} counts with its age's weight. */
    public ReputationState with(RunOutcome outcome, ReputationParameters p) {
        ReputationState s = decayedTo(outcome.at(), p);
        double w = p.weight(s.asOf.toEpochMilli() - outcome.at().toEpochMilli());
        return switch (outcome.effect()) {
            case COMPLETED -> new ReputationState(s.good + w, s.bad, s.asOf);
            case NODE_FAULT -> new ReputationState(s.good, s.bad + p.faultWeight() * w, s.asOf);
            case NEUTRAL -> s;
        };
    }

    /**
     * Adds time ONLINE: {@code creditPerOnlineDay} per day, each instant with its age's weight, i.e. the integral
     * of 2^(−age/halfLife) over the interval.
     */
    public ReputationState withOnline(Interval online, ReputationParameters p) {
        if (online.isEmpty() || p.creditPerOnlineDay() == 0) return decayedTo(online.end(), p);
        ReputationState s = decayedTo(online.end(), p);
        long now = s.asOf.toEpochMilli();
        double halfLifeDays = p.halfLife().toMillis() / MS_PER_DAY;
        double integralDays = halfLifeDays / LN2
                * (p.weight(now - online.end().toEpochMilli()) - p.weight(now - online.start().toEpochMilli()));
        return new ReputationState(s.good + p.creditPerOnlineDay() * integralDays, s.bad, s.asOf);
    }
}
