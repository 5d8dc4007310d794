package dev.galley.server.providers;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.providers.Interval;
import dev.galley.core.providers.ReputationEffect;
import dev.galley.core.providers.ReputationState;
import dev.galley.core.providers.RunOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for each node's reputation evidence (nodes.reputation_*) and the history it is carried forward from. */
public final class ReputationRepository {
    /** A node's stored evidence; {@code state.asOf()} is its creation when nothing was stored yet. */
    public record Stored(UUID node, ReputationState state, boolean fresh) {}

    /** Every node's stored evidence. */
    public List<Stored> all(Handle h) {
        return h.createQuery("SELECT uuid, reputation_good, reputation_bad, reputation_as_of, created_at FROM nodes")
                .map((rs, ctx) -> {
                    var asOf = rs.getTimestamp("reputation_as_of");
                    Instant at = asOf != null ? asOf.toInstant() : rs.getTimestamp("created_at").toInstant();
                    return new Stored(rs.getObject("uuid", UUID.class),
                            new ReputationState(rs.getDouble("reputation_good"), rs.getDouble("reputation_bad"), at), asOf == null);
                }).list();
    }

    /**
     * The runs that ended in {@code (from, to]}, by node, with what each says about its node. An image pull counts as
     * "with credentials" when the job's spec names a registry user or secret.
     */
    public Map<UUID, List<RunOutcome>> outcomes(Handle h, Instant from, Instant to) {
        Map<UUID, List<RunOutcome>> out = new HashMap<>();
        h.createQuery("""
                SELECT r.node_uuid, r.completed_at, r.status, r.status_reason_code,
                       (COALESCE(jsonb_typeof(j.spec #> '{parameters,parameters,user}'), 'null') <> 'null'
                        OR COALESCE(jsonb_typeof(j.spec #> '{parameters,parameters,secret}'), 'null') <> 'null') AS credentials
                FROM job_runs r JOIN jobs j ON j.uuid = r.job_uuid
                WHERE r.completed_at > :from AND r.completed_at <= :to""")
                .bind("from", from).bind("to", to)
                .map((rs, ctx) -> {
                    String code = rs.getString("status_reason_code");
                    ReasonCode reason = code == null ? null : java.util.Arrays.stream(ReasonCode.values())
                            .filter(c -> c.name().equals(code)).findFirst().orElse(null);
                    ReputationEffect effect = ReputationEffect.of(RunStatus.valueOf(rs.getString("status")), reason,
                            rs.getBoolean("credentials"));
                    return out.computeIfAbsent(rs.getObject("node_uuid", UUID.class), n -> new ArrayList<>())
                            .add(new RunOutcome(rs.getTimestamp("completed_at").toInstant(), effect));
                }).list();
        return out;
    }

    /** The ONLINE spans overlapping {@code (from, to]}, by node; an open one ends at {@code to}. */
    public Map<UUID, List<Interval>> online(Handle h, Instant from, Instant to) {
        Map<UUID, List<Interval>> out = new HashMap<>();
        h.createQuery("""
                SELECT node_uuid, started_at, COALESCE(ended_at, :to) AS ended_at FROM node_status_spans
                WHERE status = :online AND started_at < :to AND (ended_at IS NULL OR ended_at > :from)""")
                .bind("from", from).bind("to", to).bind("online", NodeStatus.ONLINE)
                .map((rs, ctx) -> {
                    Instant start = rs.getTimestamp("started_at").toInstant();
                    Instant end = rs.getTimestamp("ended_at").toInstant();
                    return out.computeIfAbsent(rs.getObject("node_uuid", UUID.class), n -> new ArrayList<>())
                            .add(Interval.upTo(start, end, end));
                }).list();
        return out;
    }

    /** A node's new evidence and score, written only if its stored evidence is still as of {@code previousAsOf}. */
    public record Update(UUID node, ReputationState state, double score, Instant previousAsOf, boolean fresh) {}

    /**
     * Writes {@code updates}: the rows are locked in uuid order, the order the plan applier and the reaper lock nodes
     * in, skipping any locked now (they are updated next time), so this never waits on nor deadlocks with them.
     * An update whose evidence another replica moved on meanwhile is dropped.
     */
    public int save(Handle h, List<Update> updates) {
        if (updates.isEmpty()) return 0;
        List<UUID> locked = h.createQuery("SELECT uuid FROM nodes WHERE uuid = ANY(:uuids) ORDER BY uuid FOR UPDATE SKIP LOCKED")
                .bind("uuids", updates.stream().map(Update::node).toArray(UUID[]::new)).mapTo(UUID.class).list();
        var lockedSet = new java.util.HashSet<>(locked);
        var batch = h.prepareBatch("""
                UPDATE nodes SET reputation_good = :good, reputation_bad = :bad, reputation_as_of = :asOf, reputation = :score
                WHERE uuid = :node AND (reputation_as_of = :previous OR (:fresh AND reputation_as_of IS NULL))""");
        int n = 0;
        for (Update u : updates) {
            if (!lockedSet.contains(u.node())) continue;
            batch.bind("good", u.state().good()).bind("bad", u.state().bad()).bind("asOf", u.state().asOf())
                    .bind("score", java.math.BigDecimal.valueOf(u.score())).bind("node", u.node())
                    .bind("previous", u.previousAsOf()).bind("fresh", u.fresh()).add();
            n++;
        }
        if (n > 0) batch.execute();
        return n;
    }
}
