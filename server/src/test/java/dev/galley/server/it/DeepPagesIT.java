package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.list.ListQuery;
import dev.galley.server.auth.ApiKeyRepository;
import dev.galley.server.db.Database;
import dev.galley.server.it.TestServer.Tenant;
import dev.galley.server.lifecycle.JobRepository;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec §1.1: a page far past the end is an empty page, and answering it must not make PostgreSQL step through every
 * row first (an OFFSET of billions does exactly that). The account below holds many jobs; the statements a list runs
 * are watched on a connection of the test's own.
 */
class DeepPagesIT {
    static final int JOBS = 30_000;
    static Tenant owner;
    static Database db;
    static Jdbi jdbi;
    static final List<String> statements = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() {
        owner = TestServer.newTenant();
        String template = owner.ok("POST", "/v1/jobs", Recipes.job(), 201).get("uuid").asText();
        owner.ok("PUT", "/v1/jobs/" + template + "/cancel", "{}", 200);
        db = Database.connect(TestDatabase.jdbcUrl(), null, null, 2);
        jdbi = db.jdbi();
        // Finished jobs with a real stored spec, as if the account had been busy for a long time.
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO jobs (uuid, account_uuid, status, status_reason, status_reason_code, title, task, cpu_count,
                                  gpu_count, min_ram_gb, min_vram_gb, min_storage_gb, spec, secrets, container_access_token,
                                  created_at, updated_at, wants_placement)
                SELECT gen_random_uuid(), account_uuid, 'COMPLETED', 'done', NULL, title, task, cpu_count, gpu_count,
                       min_ram_gb, min_vram_gb, min_storage_gb, spec, secrets, container_access_token,
                       created_at - i * interval '1 ms', updated_at, false
                FROM jobs, generate_series(1, :n) i WHERE uuid = :template""")
                .bind("n", JOBS).bind("template", UUID.fromString(template)).execute());
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.add(context.getRenderedSql());
            }
        });
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void aPageFarPastTheEndIsEmptyWithTheExactTotal() {
        long start = System.nanoTime();
        JsonNode deep = owner.ok("GET", "/v1/jobs?page=100000000&limit=50", null, 200);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(deep.get("data")).isEmpty();
        assertThat(deep.get("page").asLong()).isEqualTo(100_000_000L);
        assertThat(deep.get("total").asInt()).isEqualTo(JOBS + 1);
        assertThat(ms).as("answered without walking %d jobs", JOBS).isLessThan(2_000);

        JsonNode filtered = owner.ok("GET", "/v1/jobs?page=99999999999&limit=50&filter[status]=COMPLETED,CANCELLED", null, 200);
        assertThat(filtered.get("data")).isEmpty();
        assertThat(filtered.get("total").asInt()).isEqualTo(JOBS + 1);

        JsonNode last = owner.ok("GET", "/v1/jobs?page=" + (JOBS / 50 + 1) + "&limit=50", null, 200);
        assertThat(last.get("data")).hasSize(1);
        assertThat(owner.ok("GET", "/v1/jobs?page=" + (JOBS / 50 + 2) + "&limit=50", null, 200).get("data")).isEmpty();
    }

    @Test
    void theJobsPageQueryIsNotRunAtAllWhenThePageStartsPastTheTotal() {
        var q = new ListQuery(100_000_000, 50, ListQuery.SortField.CREATED_AT, true, List.of());
        statements.clear();
        var page = jdbi.withHandle(h -> new JobRepository().list(h, owner.accountUuid(), q));
        assertThat(page.data()).isEmpty();
        assertThat(page.total()).isEqualTo(JOBS + 1);
        assertThat(statements).as("the total comes from the kept counters; no statement reads jobs")
                .noneMatch(sql -> sql.contains("FROM jobs"));

        var inRange = new ListQuery(2, 50, ListQuery.SortField.CREATED_AT, true, List.of());
        statements.clear();
        assertThat(jdbi.withHandle(h -> new JobRepository().list(h, owner.accountUuid(), inRange)).data()).hasSize(50);
        assertThat(statements).anyMatch(sql -> sql.contains("OFFSET"));
    }

    @Test
    void listsWithoutCountersCountButSkipThePageQueryToo() {
        var q = new ListQuery(Integer.MAX_VALUE, 50, ListQuery.SortField.CREATED_AT, true, List.of());
        statements.clear();
        var page = jdbi.withHandle(h -> new ApiKeyRepository().list(h, owner.accountUuid(), q));
        assertThat(page.data()).isEmpty();
        assertThat(page.total()).isEqualTo(1);
        assertThat(statements).noneMatch(sql -> sql.contains("OFFSET"));
        for (String list : List.of("/v1/job-recipes", "/v1/api-keys", "/v1/job-runs", "/v1/nodes", "/v1/gpu-registry", "/v1/accounts")) {
            JsonNode deep = TestServer.ok(TestServer.call(TestServer.operator(), "GET", list + "?page=100000000", null), 200);
            assertThat(deep.get("data")).as(list).isEmpty();
        }
    }
}
