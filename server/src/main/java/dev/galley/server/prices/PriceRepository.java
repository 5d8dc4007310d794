package dev.galley.server.prices;

import dev.galley.core.billing.DefaultRateCard;
import dev.galley.core.billing.PriceResource;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for the rate card ({@code prices}: append-only, the database refuses edits). */
public final class PriceRepository {
    private static final String COLUMNS = """
            uuid, version_seq, resource, gpu_registry_uuid, gpu_name, amount_per_hour, currency, effective_from, created_at""";
    /** Every version, with its GPU model's name. */
    private static final String ALL = """
            (SELECT p.uuid, p.version_seq, p.resource, p.gpu_registry_uuid, g.name AS gpu_name, p.amount_per_hour, p.currency,
                    p.effective_from, p.created_at
             FROM prices p LEFT JOIN gpu_models g ON g.uuid = p.gpu_registry_uuid) p""";
    /** The versions in force at :at, one per resource and model (the rule of core's RateCard). */
    private static final String IN_FORCE = """
            (SELECT DISTINCT ON (resource, gpu_registry_uuid) * FROM %s WHERE effective_from <= :at
             ORDER BY resource, gpu_registry_uuid, effective_from DESC, version_seq DESC) f""".formatted(ALL);

    public void insert(Handle h, PriceRow p, UUID createdByKey) {
        h.createUpdate("""
                INSERT INTO prices (uuid, resource, gpu_registry_uuid, amount_per_hour, currency, effective_from, created_at,
                                    created_by_key_uuid)
                VALUES (:uuid, :resource, :gpu, :amount, :currency, :from, :created, :key)""")
                .bind("uuid", p.uuid()).bind("resource", p.resource().wire()).bind("gpu", p.gpuRegistryUuid())
                .bind("amount", p.amountPerHour()).bind("currency", p.currency()).bind("from", p.effectiveFrom())
                .bind("created", p.createdAt()).bind("key", createdByKey).execute();
    }

    public Optional<PriceRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM " + ALL + " WHERE uuid = :uuid").bind("uuid", uuid)
                .map(PriceRepository::map).findOne();
    }

    /** Every version of every price: the whole rate card (tens of rows, a few hundred after years of changes). */
    public List<PriceRow> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM " + ALL).map(PriceRepository::map).list();
    }

    /** The currencies the rate card holds prices in. */
    public List<String> currencies(Handle h) {
        return h.createQuery("SELECT DISTINCT currency FROM prices ORDER BY currency").mapTo(String.class).list();
    }

    /**
     * Seeds the default rate card in {@code currency} when the card is empty (the first start of a deployment), under
     * an advisory lock so replicas starting together seed once. Models missing from the registry are skipped.
     *
     * @return how many prices were added
     */
    public int seedIfEmpty(Handle h, String currency, Instant now) {
        h.execute("SELECT pg_advisory_xact_lock(7346015)");
        if (h.createQuery("SELECT EXISTS (SELECT 1 FROM prices)").mapTo(Boolean.class).one()) return 0;
        var seeds = DefaultRateCard.seeds();
        int n = seeds.size();
        UUID[] uuid = new UUID[n];
        String[] resource = new String[n];
        UUID[] gpu = new UUID[n];
        String[] amount = new String[n]; // numerics travel as text: exact, and every driver binds text[]
        for (int i = 0; i < n; i++) {
            var s = seeds.get(i);
            uuid[i] = UUID.randomUUID();
            resource[i] = s.resource().wire();
            gpu[i] = s.gpuModel();
            amount[i] = s.amountPerHour().toPlainString();
        }
        return h.createUpdate("""
                INSERT INTO prices (uuid, resource, gpu_registry_uuid, amount_per_hour, currency, effective_from, created_at)
                SELECT u.uuid, u.resource, u.gpu, u.amount, :currency, :from, :now
                FROM unnest(CAST(:uuid AS uuid[]), CAST(:resource AS text[]), CAST(:gpu AS uuid[]), CAST(:amount AS numeric[]))
                     WITH ORDINALITY AS u(uuid, resource, gpu, amount, ord)
                WHERE u.gpu IS NULL OR EXISTS (SELECT 1 FROM gpu_models g WHERE g.uuid = u.gpu)
                ORDER BY u.ord""")
                .bind("uuid", uuid).bind("resource", resource).bind("gpu", gpu).bind("amount", amount)
                .bind("currency", currency).bind("from", DefaultRateCard.EFFECTIVE_FROM).bind("now", now).execute();
    }

    /** A page of versions; {@code inForceAt} non-null lists only the versions in force at that instant. */
    public ListSql.Page<PriceRow> list(Handle h, ListQuery q, Instant inForceAt) {
        var sql = new ListSql(inForceAt == null ? ALL : IN_FORCE, COLUMNS);
        if (inForceAt != null) sql.bind("at", java.sql.Timestamp.from(inForceAt));
        for (Filter f : q.filters()) {
            switch (f) {
                case Filter.WordSet w when f.field().equals("resource") -> sql.where("resource = ANY(:resources)", "resources",
                        w.values().stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new));
                case Filter.UuidSet u -> sql.uuidSet(f.field(), u); // gpu_registry_uuid, uuid
                case Filter.DateRange d -> sql.dateRange(f.field(), d); // effective_from, created_at
                case Filter.Bool b when f.field().equals("in_force") -> { } // chose the table above
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, PriceRepository::map);
    }

    static PriceRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PriceRow(rs.getObject("uuid", UUID.class), rs.getLong("version_seq"),
                PriceResource.fromWire(rs.getString("resource")).orElseThrow(), rs.getObject("gpu_registry_uuid", UUID.class),
                rs.getString("gpu_name"), rs.getBigDecimal("amount_per_hour"), rs.getString("currency"),
                ListSql.instant(rs, "effective_from"), ListSql.instant(rs, "created_at"));
    }
}
