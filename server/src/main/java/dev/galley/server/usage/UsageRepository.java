package dev.galley.server.usage;

import dev.galley.core.billing.UsageGroup;
import dev.galley.core.billing.UsageGrouping;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for {@code usage_records} (append-only: the database refuses edits). */
public final class UsageRepository {
    static final String COLUMNS = """
            uuid, account_uuid, job_uuid, job_run_uuid, node_uuid, provider_account_uuid, period_start, period_end, seconds,
            gpu_name, gpu_count, cpu_count, ram_gb, storage_gb, price_per_hour, amount, currency, created_at""";

    /**
     * Inserts records in one statement. A record for a (run, period start) that exists already is skipped: the second
     * guard of exactly-once behind the closer's lock on the run's meter.
     *
     * @return the uuids actually inserted
     */
    public List<UUID> insertAll(Handle h, List<UsageRow> rows) {
        if (rows.isEmpty()) return List.of();
        int n = rows.size();
        UUID[] uuid = new UUID[n], account = new UUID[n], job = new UUID[n], run = new UUID[n], node = new UUID[n], provider = new UUID[n];
        String[] start = new String[n], end = new String[n], gpuName = new String[n], price = new String[n], amount = new String[n],
                currency = new String[n], created = new String[n];
        Long[] seconds = new Long[n];
        Integer[] gpus = new Integer[n], cpus = new Integer[n];
        Double[] ram = new Double[n], storage = new Double[n];
        for (int i = 0; i < n; i++) {
            UsageRow r = rows.get(i);
            uuid[i] = r.uuid(); account[i] = r.accountUuid(); job[i] = r.jobUuid(); run[i] = r.jobRunUuid(); node[i] = r.nodeUuid();
            provider[i] = r.providerAccountUuid(); start[i] = r.periodStart().toString(); end[i] = r.periodEnd().toString();
            seconds[i] = r.seconds(); gpuName[i] = r.gpuName(); gpus[i] = r.gpuCount(); cpus[i] = r.cpuCount(); ram[i] = r.ramGb();
            storage[i] = r.storageGb(); price[i] = r.pricePerHour().toPlainString(); amount[i] = r.amount().toPlainString();
            currency[i] = r.currency(); created[i] = r.createdAt().toString();
        }
        return h.createQuery("""
                INSERT INTO usage_records (uuid, account_uuid, job_uuid, job_run_uuid, node_uuid, provider_account_uuid, period_start,
                    period_end, seconds, gpu_name, gpu_count, cpu_count, ram_gb, storage_gb, price_per_hour, amount, currency, created_at)
                SELECT * FROM unnest(CAST(:uuid AS uuid[]), CAST(:account AS uuid[]), CAST(:job AS uuid[]), CAST(:run AS uuid[]),
                    CAST(:node AS uuid[]), CAST(:provider AS uuid[]), CAST(:start AS timestamptz[]), CAST(:end AS timestamptz[]),
                    CAST(:seconds AS int8[]), CAST(:gpuName AS text[]), CAST(:gpus AS int[]), CAST(:cpus AS int[]),
                    CAST(:ram AS float8[]), CAST(:storage AS float8[]), CAST(:price AS numeric[]), CAST(:amount AS numeric[]),
                    CAST(:currency AS text[]), CAST(:created AS timestamptz[]))
                ON CONFLICT (job_run_uuid, period_start) DO NOTHING
                RETURNING uuid""")
                .bind("uuid", uuid).bind("account", account).bind("job", job).bind("run", run).bind("node", node)
                .bind("provider", provider).bind("start", start).bind("end", end).bind("seconds", seconds).bind("gpuName", gpuName)
                .bind("gpus", gpus).bind("cpus", cpus).bind("ram", ram).bind("storage", storage).bind("price", price)
                .bind("amount", amount).bind("currency", currency).bind("created", created)
                .mapTo(UUID.class).list();
    }

    /** Records of {@code accountOrNull}'s account (null: every account), filtered. */
    public ListSql.Page<UsageRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql("usage_records", COLUMNS);
        if (accountOrNull != null) sql.where("account_uuid = :me", "me", accountOrNull);
        for (Filter f : q.filters()) {
            switch (f) {
                case Filter.UuidSet u -> sql.uuidSet(f.field(), u); // uuid, job_uuid, job_run_uuid, node_uuid, account_uuid
                case Filter.DateRange d -> sql.dateRange(f.field(), d); // period_start, created_at
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, UsageRepository::map);
    }

    /** What a summary covers: one account or all (null), and an inclusive period_start range (nulls: open). */
    public record Scope(UUID accountOrNull, Filter.DateRange periodStart) {}

    /**
     * Groups, in the grouping's order, at most {@code limit} of them ({@link dev.galley.core.billing.UsageSummary}
     * tells a cut list by asking for one more than it shows).
     */
    public List<UsageGroup> groups(Handle h, Scope scope, UsageGrouping grouping, int limit) {
        String key = switch (grouping) {
            case DAY -> "to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
            case JOB -> "job_uuid::text";
            case GPU_NAME -> "gpu_name";
        };
        // Code-point order ("C"), as core's UsageSummary sorts: the groups cut at the limit are the ones it would keep.
        String byKey = "(" + key + ") COLLATE \"C\"";
        String order = grouping.chronological() ? byKey : "sum(amount) DESC, " + byKey + " NULLS LAST";
        var where = new ArrayList<String>();
        var q = h.createQuery("SELECT " + key + " AS key, sum(seconds) AS seconds, sum(amount) AS amount, count(*) AS records"
                + " FROM usage_records" + where(scope, where) + " GROUP BY 1 ORDER BY " + order + " LIMIT :limit");
        bind(q, scope);
        return q.bind("limit", limit).map(UsageRepository::mapGroup).list();
    }

    /** The totals over every record in scope. */
    public UsageGroup totals(Handle h, Scope scope) {
        var q = h.createQuery("SELECT NULL AS key, COALESCE(sum(seconds), 0) AS seconds, COALESCE(sum(amount), 0) AS amount,"
                + " count(*) AS records FROM usage_records" + where(scope, new ArrayList<>()));
        bind(q, scope);
        return q.map(UsageRepository::mapGroup).one();
    }

    /** What the closed periods of some jobs add up to, and the price of each job's latest period. */
    public record JobUsage(BigDecimal amount, BigDecimal latestPricePerHour, java.time.Instant latestPeriodStart) {}

    /** Per job of {@code jobs} that has usage records: their total and its latest period's price (jobs without are absent). */
    public Map<UUID, JobUsage> ofJobs(Handle h, UUID[] jobs) {
        Map<UUID, JobUsage> out = new HashMap<>();
        h.createQuery("""
                SELECT job_uuid, sum(amount), (array_agg(price_per_hour ORDER BY period_start DESC))[1],
                       max(period_start) AS period_start
                FROM usage_records WHERE job_uuid = ANY(:jobs) GROUP BY job_uuid""")
                .bind("jobs", jobs)
                .map((rs, ctx) -> out.put(rs.getObject(1, UUID.class),
                        new JobUsage(rs.getBigDecimal(2), rs.getBigDecimal(3), ListSql.instant(rs, "period_start"))))
                .list();
        return out;
    }

    private static String where(Scope scope, List<String> conditions) {
        if (scope.accountOrNull() != null) conditions.add("account_uuid = :account");
        if (scope.periodStart() != null) conditions.add("period_start BETWEEN :from AND :to");
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void bind(org.jdbi.v3.core.statement.Query q, Scope scope) {
        if (scope.accountOrNull() != null) q.bind("account", scope.accountOrNull());
        if (scope.periodStart() != null) {
            q.bind("from", Timestamp.from(scope.periodStart().from())).bind("to", Timestamp.from(scope.periodStart().toInclusive()));
        }
    }

    private static UsageGroup mapGroup(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UsageGroup(rs.getString("key"), rs.getLong("seconds"), rs.getBigDecimal("amount"), rs.getLong("records"));
    }

    static UsageRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UsageRow(rs.getObject("uuid", UUID.class), rs.getObject("account_uuid", UUID.class),
                rs.getObject("job_uuid", UUID.class), rs.getObject("job_run_uuid", UUID.class), rs.getObject("node_uuid", UUID.class),
                rs.getObject("provider_account_uuid", UUID.class), ListSql.instant(rs, "period_start"), ListSql.instant(rs, "period_end"),
                rs.getLong("seconds"), rs.getString("gpu_name"), rs.getInt("gpu_count"), rs.getInt("cpu_count"), rs.getDouble("ram_gb"),
                rs.getDouble("storage_gb"), rs.getBigDecimal("price_per_hour"), rs.getBigDecimal("amount"), rs.getString("currency"),
                ListSql.instant(rs, "created_at"));
    }
}
