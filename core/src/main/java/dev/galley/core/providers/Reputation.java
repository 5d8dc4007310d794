package dev.galley.core.providers;

import java.time.Instant;
import java.util.List;

/**
 * A node's reputation, 0–100 (spec §10), from its own record only:
 *
 * <pre>
 *   reputation = 100 × (P + good) / (2P + good + F × faults)
 *   good   = Σ completions × 2^(−age/H)  +  C × ∫ ONLINE 2^(−age/H) dt (in days)
 *   faults = Σ node faults × 2^(−age/H)
 * </pre>
 *
 * with half-life H = 7 days, prior P = 5, fault weight F = 4 and C = 1 completion per day ONLINE
 * ({@link ReputationParameters#DEFAULT}). A new node has no evidence and scores exactly 50. Completions and time
 * ONLINE only ever raise it, node faults ({@link ReputationEffect#NODE_FAULT}) only ever lower it, it stays strictly
 * between 0 and 100, and an event's weight halves every week, so recent behaviour weighs most and a node that
 * stops failing recovers. One fault cancels four completions: losing a run costs its user far more than a
 * completion earns them.
 *
 * <p>Scores are rounded to 2 decimals; placement compares the rounded values.
 */
public final class Reputation {
    public static final double NEW_NODE = 50.0;

    private Reputation() {}

    /** The reputation at {@code now} of a node with these finished runs and ONLINE intervals (later ones are ignored). */
    public static double of(List<RunOutcome> outcomes, List<Interval> online, Instant now, ReputationParameters p) {
        return score(evidence(outcomes, online, now, p), now, p);
    }

    /** The evidence at {@code now} of this history, in one state (what a stored row would hold). */
    public static ReputationState evidence(List<RunOutcome> outcomes, List<Interval> online, Instant now, ReputationParameters p) {
        ReputationState s = ReputationState.fresh(now);
        for (RunOutcome o : outcomes) if (!o.at().isAfter(now)) s = s.with(o, p);
        for (Interval i : Intervals.union(online)) {
            if (i.start().isBefore(now)) s = s.withOnline(new Interval(i.start(), i.end().isAfter(now) ? now : i.end()), p);
        }
        return s;
    }

    /**
     * Evidence {@code s} carried forward to {@code now} with what happened since {@code s.asOf()}: outcomes after it
     * and up to {@code now}, and the parts of the ONLINE intervals within {@code (s.asOf(), now]}; anything earlier
     * was counted already and is ignored. Gives the same evidence as {@link #evidence} over the whole history, so a
     * stored state can be updated from the new events only.
     */
    public static ReputationState carriedForward(ReputationState s, List<RunOutcome> outcomes, List<Interval> online,
                                                 Instant now, ReputationParameters p) {
        ReputationState at = s;
        for (RunOutcome o : outcomes) if (o.at().isAfter(s.asOf()) && !o.at().isAfter(now)) at = at.with(o, p);
        for (Interval i : Intervals.union(online)) {
            Instant from = i.start().isBefore(s.asOf()) ? s.asOf() : i.start();
            Instant to = i.end().isAfter(now) ? now : i.end();
            if (from.isBefore(to)) at = at.withOnline(new Interval(from, to), p);
        }
        return at.decayedTo(now, p);
    }

    /** The reputation at {@code now} of evidence {@code s} (decayed to {@code now} first), rounded to 2 decimals. */
    public static double score(ReputationState s, Instant now, ReputationParameters p) {
        return Math.round(unrounded(s, now, p) * 100.0) / 100.0;
    }

    static double unrounded(ReputationState s, Instant now, ReputationParameters p) {
        ReputationState at = s.decayedTo(now, p);
        double prior = p.priorWeight();
        return 100.0 * (prior + at.good()) / (2 * prior + at.good() + at.bad());
    }
}
