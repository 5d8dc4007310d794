package dev.galley.server.providers;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.core.providers.Epoch;
import dev.galley.core.providers.EpochStatus;
import dev.galley.core.providers.Interval;
import dev.galley.core.providers.NodeStatusSpan;
import dev.galley.core.providers.RunPhaseSpan;
import dev.galley.server.db.ListSql;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for compute_epochs, node_epoch_rewards, epoch_account_payouts, and the history epochs are computed from. */
public final class EpochRepository {
    private static final String EPOCH_COLUMNS = "uuid, starts_at, ends_at, status, finalized_at, created_at";
    private static final String REWARD_COLUMNS = """
            uuid, epoch_uuid, node_uuid, account_uuid, assignable_hours, worked_hours, prep_hours, multiplier,
            availability_reward, execution_reward, preparation_reward, total, created_at""";
    private static final RowMapper<EpochRow> EPOCH = ConstructorMapper.of(EpochRow.class);
    private static final RowMapper<RewardRow> REWARD = ConstructorMapper.of(RewardRow.class);

    /** A stored epoch; {@code status} as stored (readers show {@link EpochStatus#of} of it). */
    public record EpochRow(UUID uuid, Instant startsAt, Instant endsAt, EpochStatus status, Instant finalizedAt, Instant createdAt) {}

    /** One node's rewards for one epoch. */
    public record RewardRow(UUID uuid, UUID epochUuid, UUID nodeUuid, UUID accountUuid, BigDecimal assignableHours,
                            BigDecimal workedHours, BigDecimal prepHours, BigDecimal multiplier, BigDecimal availabilityReward,
                            BigDecimal executionReward, BigDecimal preparationReward, BigDecimal total, Instant createdAt) {}

    /**
     * The epoch's row, created ACTIVE if no replica created it yet (its uuid is the same on every replica). Not
     * created when it overlaps an epoch that exists (GALLEY_EPOCH_LENGTH was changed): no hour is paid twice.
     */
    public void ensure(Handle h, Epoch epoch) {
        h.createUpdate("""
                INSERT INTO compute_epochs (uuid, starts_at, ends_at, status, created_at, updated_at)
                SELECT :uuid, :starts, :ends, :active, :starts, :starts
                WHERE NOT EXISTS (SELECT 1 FROM compute_epochs WHERE starts_at < :ends AND ends_at > :starts)
                ON CONFLICT DO NOTHING""")
                .bind("uuid", epoch.uuid()).bind("starts", epoch.startsAt()).bind("ends", epoch.endsAt())
                .bind("active", EpochStatus.ACTIVE).execute();
    }

    /** ACTIVE epochs that have ended become FINALIZING (one a replica is finalizing is skipped); returns how many. */
    public int markEnded(Handle h, Instant now) {
        return h.createUpdate("""
                UPDATE compute_epochs SET status = :finalizing, updated_at = :now
                WHERE uuid IN (SELECT uuid FROM compute_epochs WHERE status = :active AND ends_at <= :now
                               FOR UPDATE SKIP LOCKED)""")
                .bind("finalizing", EpochStatus.FINALIZING).bind("active", EpochStatus.ACTIVE).bind("now", now).execute();
    }

    /**
     * The oldest epoch due for finalization (ended at or before {@code endedBy}, not FINALIZED), locked; an epoch
     * another replica is finalizing is skipped, so two replicas never work on one.
     */
    public Optional<EpochRow> lockDue(Handle h, Instant endedBy) {
        return h.createQuery("SELECT " + EPOCH_COLUMNS + """
                 FROM compute_epochs WHERE status <> :finalized AND ends_at <= :by
                ORDER BY ends_at LIMIT 1 FOR UPDATE SKIP LOCKED""")
                .bind("finalized", EpochStatus.FINALIZED).bind("by", endedBy).map(EPOCH).findOne();
    }

    public void markFinalized(Handle h, UUID epoch, Instant now) {
        h.createUpdate("UPDATE compute_epochs SET status = :finalized, finalized_at = :now, updated_at = :now WHERE uuid = :uuid")
                .bind("finalized", EpochStatus.FINALIZED).bind("now", now).bind("uuid", epoch).execute();
    }

    /** The status spans of every node overlapping {@code window}; an open span ends at the window's end. */
    public Map<UUID, List<NodeStatusSpan>> statusSpans(Handle h, Interval window) {
        Map<UUID, List<NodeStatusSpan>> out = new HashMap<>();
        h.createQuery("""
                SELECT node_uuid, status, started_at, COALESCE(ended_at, :end) AS ended_at FROM node_status_spans
                WHERE started_at < :end AND (ended_at IS NULL OR ended_at > :start)""")
                .bind("start", window.start()).bind("end", window.end())
                .map((rs, ctx) -> {
                    Instant from = rs.getTimestamp("started_at").toInstant();
                    Instant to = rs.getTimestamp("ended_at").toInstant();
                    if (to.isBefore(from)) to = from;
                    return out.computeIfAbsent(rs.getObject("node_uuid", UUID.class), n -> new ArrayList<>())
                            .add(new NodeStatusSpan(NodeStatus.valueOf(rs.getString("status")), new Interval(from, to)));
                }).list();
        return out;
    }

    /**
     * The PREPARING and RUNNING phases of every run overlapping {@code window}, by node: PREPARING from preparing_at
     * to started_at (or its end), RUNNING from started_at to completed_at; a run still active ends at the window's end.
     */
    public Map<UUID, List<RunPhaseSpan>> runPhases(Handle h, Interval window) {
        Map<UUID, List<RunPhaseSpan>> out = new HashMap<>();
        h.createQuery("""
                SELECT node_uuid, preparing_at, started_at, COALESCE(completed_at, :end) AS ended_at FROM job_runs
                WHERE (completed_at > :start OR (completed_at IS NULL AND is_active))
                  AND COALESCE(preparing_at, started_at) < :end""")
                .bind("start", window.start()).bind("end", window.end())
                .map((rs, ctx) -> {
                    var spans = out.computeIfAbsent(rs.getObject("node_uuid", UUID.class), n -> new ArrayList<>());
                    Instant preparing = instant(rs.getTimestamp("preparing_at"));
                    Instant started = instant(rs.getTimestamp("started_at"));
                    Instant ended = rs.getTimestamp("ended_at").toInstant();
                    if (preparing != null) spans.add(new RunPhaseSpan(RunStatus.PREPARING, span(preparing, started != null ? started : ended)));
                    if (started != null) spans.add(new RunPhaseSpan(RunStatus.RUNNING, span(started, ended)));
                    return spans;
                }).list();
        return out;
    }

    /** The account of each of {@code nodes}. */
    public Map<UUID, UUID> accountsOf(Handle h, List<UUID> nodes) {
        Map<UUID, UUID> out = new HashMap<>();
        h.createQuery("SELECT uuid, account_uuid FROM nodes WHERE uuid = ANY(:nodes)").bind("nodes", nodes.toArray(UUID[]::new))
                .map((rs, ctx) -> out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list();
        return out;
    }

    /** Writes the rewards of one epoch; a row already there (per epoch and node) is left as it is. */
    public void insertRewards(Handle h, List<RewardRow> rows) {
        if (rows.isEmpty()) return;
        var batch = h.prepareBatch("""
                INSERT INTO node_epoch_rewards (uuid, epoch_uuid, node_uuid, account_uuid, assignable_hours, worked_hours,
                    prep_hours, multiplier, availability_reward, execution_reward, preparation_reward, total, created_at, updated_at)
                VALUES (:uuid, :epochUuid, :nodeUuid, :accountUuid, :assignableHours, :workedHours, :prepHours, :multiplier,
                    :availabilityReward, :executionReward, :preparationReward, :total, :createdAt, :createdAt)
                ON CONFLICT (epoch_uuid, node_uuid) DO NOTHING""");
        rows.forEach(r -> batch.bindMethods(r).add());
        batch.execute();
    }

    /**
     * Records that {@code account} was paid {@code amount} for {@code epoch}; false (and nothing written) when it
     * already was: the unique key makes the payout, and the ledger transaction written with it, exactly once.
     */
    public boolean insertPayout(Handle h, UUID epoch, UUID account, BigDecimal amount, UUID ledgerTransaction, Instant now) {
        return h.createUpdate("""
                INSERT INTO epoch_account_payouts (epoch_uuid, account_uuid, amount, ledger_transaction_uuid, created_at)
                VALUES (:epoch, :account, :amount, :ledger, :now) ON CONFLICT DO NOTHING""")
                .bind("epoch", epoch).bind("account", account).bind("amount", amount).bind("ledger", ledgerTransaction)
                .bind("now", now).execute() == 1;
    }

    /** The REWARD ledger transaction written with a payout. */
    public void linkPayout(Handle h, UUID epoch, UUID account, UUID ledgerTransaction) {
        h.createUpdate("UPDATE epoch_account_payouts SET ledger_transaction_uuid = :ledger WHERE epoch_uuid = :epoch AND account_uuid = :account")
                .bind("ledger", ledgerTransaction).bind("epoch", epoch).bind("account", account).execute();
    }

    public Optional<EpochRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + EPOCH_COLUMNS + " FROM compute_epochs WHERE uuid = :uuid").bind("uuid", uuid).map(EPOCH).findOne();
    }

    public ListSql.Page<EpochRow> list(Handle h, ListQuery q) {
        var sql = new ListSql("compute_epochs", EPOCH_COLUMNS);
        for (Filter f : q.filters()) sql.filter(f.field(), f);
        return sql.run(h, q, EPOCH);
    }

    /** One page of an epoch's rewards, of one account's nodes when {@code accountOrNull} is set. */
    public ListSql.Page<RewardRow> rewards(Handle h, UUID epoch, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql("node_epoch_rewards", REWARD_COLUMNS).where("epoch_uuid = :epoch", "epoch", epoch);
        if (accountOrNull != null) sql.where("account_uuid = :account", "account", accountOrNull);
        for (Filter f : q.filters()) sql.filter(f.field(), f);
        return sql.run(h, q, REWARD);
    }

    private static Interval span(Instant from, Instant to) {
        return Interval.upTo(from, to, to);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
