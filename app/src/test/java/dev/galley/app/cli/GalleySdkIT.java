package dev.galley.app.cli;

import static dev.galley.app.cli.SdkFixtures.jobSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiKey;
import dev.galley.client.Galley;
import dev.galley.client.GalleyApiException;
import dev.galley.client.Gpu;
import dev.galley.client.Job;
import dev.galley.client.JobWaitTimeoutException;
import dev.galley.client.ListQuery;
import dev.galley.client.Page;
import dev.galley.client.Recipe;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every typed SDK call against the real server on real PostgreSQL, and how API errors reach the caller. */
class GalleySdkIT {
    Tenant tenant;
    Galley galley;

    @BeforeEach
    void freshAccount() {
        tenant = TestServer.newTenant();
        galley = SdkFixtures.galley(tenant);
    }

    @Test
    void recipesCanBeCreatedListedFoundUpdatedForkedArchivedAndDeleted() {
        Recipe created = galley.recipes().create(SdkFixtures.recipe("sdk-render"));
        assertThat(created.uuid()).isNotBlank();
        assertThat(created.visibility()).isEqualTo("PRIVATE");
        assertThat(created.isOwner()).isTrue();
        assertThat(created.inputSchema()).hasSize(2);

        assertThat(galley.recipes().get(created.uuid()).name()).isEqualTo("sdk-render");
        Page<Recipe> page = galley.recipes().list(ListQuery.first(50).filter("is_owner", "true"));
        assertThat(page.data()).extracting(Recipe::uuid).containsExactly(created.uuid());
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.hasMore()).isFalse();

        Recipe renamed = galley.recipes().update(created.uuid(), SdkFixtures.json("{\"description\": \"frames\"}"));
        assertThat(renamed.json().get("description").asText()).isEqualTo("frames");

        Recipe fork = galley.recipes().fork(created.uuid(), "sdk-render-copy");
        assertThat(fork.json().get("forked_from_recipe_uuid").asText()).isEqualTo(created.uuid());
        assertThat(galley.recipes().findByName("sdk-render", false)).extracting(Recipe::uuid)
                .as("exact name match only, not the substring sdk-render-copy").containsExactly(created.uuid());

        Recipe archived = galley.recipes().archive(fork.uuid());
        assertThat(archived.visibility()).isEqualTo("ARCHIVED");
        assertThat(galley.recipes().findByName("sdk-render-copy", false)).isEmpty();
        assertThat(galley.recipes().findByName("sdk-render-copy", true)).extracting(Recipe::uuid).containsExactly(fork.uuid());

        galley.recipes().delete(fork.uuid());
        assertThatThrownBy(() -> galley.recipes().get(fork.uuid()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("not_found");
                });
    }

    @Test
    void cookAppliesOverridesAndInputsAndTheAutomaticIdempotencyKeyMakesOneJobPerCall() {
        Recipe recipe = galley.recipes().create(SdkFixtures.recipe("sdk-cook"));
        ObjectNode body = (ObjectNode) SdkFixtures.json("""
                {"gpu_count": 0, "cpu_count": 3, "parameters": {"parameters": {"env": {"MODE": "fast"}}},
                 "inputs": {"scene": "forest", "frames": 24}}""");
        Job job = galley.recipes().cook(recipe.uuid(), body);
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.sourceRecipeUuid()).isEqualTo(recipe.uuid());
        assertThat(job.title()).isEqualTo("render forest");
        assertThat(job.json().get("cpu_count").asInt()).isEqualTo(3);
        assertThat(job.json().at("/parameters/parameters/env/MODE").asText()).isEqualTo("fast");
        assertThat(job.json().at("/parameters/parameters/env/FRAMES").asText()).isEqualTo("24");

        Job second = galley.recipes().cook(recipe.uuid(), body);
        assertThat(second.uuid()).as("each call is its own logical request").isNotEqualTo(job.uuid());

        String key = UUID.randomUUID().toString();
        Job keyed = galley.recipes().cook(recipe.uuid(), body, key);
        Job again = galley.recipes().cook(recipe.uuid(), body, key);
        assertThat(again.uuid()).as("same key, same body: the first job").isEqualTo(keyed.uuid());
        assertThat(galley.jobs().list(ListQuery.first(50).filter("source_recipe_uuid", recipe.uuid())).total()).isEqualTo(3);
    }

    @Test
    void jobsCanBeCreatedListedReadCancelledAndAwaited() {
        Job created = galley.jobs().create(jobSpec("sdk job"));
        assertThat(created.status()).isEqualTo(JobStatus.PENDING);
        assertThat(created.isFinal()).isFalse();
        assertThat(galley.jobs().get(created.uuid()).title()).isEqualTo("sdk job");
        assertThat(galley.jobs().list(ListQuery.defaults().filter("status", "PENDING")).data())
                .extracting(Job::uuid).containsExactly(created.uuid());

        assertThatThrownBy(() -> galley.jobs().awaitFinal(created.uuid(), Duration.ofMillis(300), Duration.ofMillis(100), null))
                .isInstanceOfSatisfying(JobWaitTimeoutException.class, e -> assertThat(e.lastSeen().status()).isEqualTo(JobStatus.PENDING));

        Job cancelled = galley.jobs().cancel(created.uuid(), "changed my mind");
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.statusReason()).contains("changed my mind");
        Job awaited = galley.jobs().awaitFinal(created.uuid(), Duration.ofSeconds(5), Duration.ofMillis(100), null);
        assertThat(awaited.status()).isEqualTo(JobStatus.CANCELLED);

        assertThatThrownBy(() -> galley.jobs().cancel(created.uuid(), null))
                .as("cancelling a finished job is a conflict, not silently accepted")
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.type()).isEqualTo("conflict"));
    }

    @Test
    void validationErrorsCarryTheApiTypeMessageAndEveryFieldError() {
        ObjectNode bad = jobSpec("bad");
        bad.put("max_timeout_assign_ms", 1).put("gpu_count", 99);
        assertThatThrownBy(() -> galley.jobs().create(bad))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid_request");
                    assertThat(e.apiMessage()).isNotBlank();
                    assertThat(e.errors()).extracting(f -> f.field()).contains("max_timeout_assign_ms", "gpu_count");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    void aRevokedKeyIsRejectedWithUnauthenticated() {
        ApiKey key = galley.keys().create("sdk-test", List.of("jobs.read.own"));
        assertThat(key.secretKey()).startsWith("sk_");
        assertThat(key.keyPair()).isNotNull();
        assertThat(galley.keys().list(ListQuery.first(50)).data()).extracting(ApiKey::uuid).contains(key.uuid());
        assertThat(galley.keys().get(key.uuid()).secretKey()).as("never shown again").isNull();

        Galley other = Galley.connect(TestServer.baseUrl(), key.keyPair());
        assertThat(other.jobs().list(ListQuery.defaults()).total()).isZero();
        assertThat(galley.keys().revoke(key.uuid()).isRevoked()).isTrue();
        assertThatThrownBy(() -> other.jobs().list(ListQuery.defaults()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.type()).isEqualTo("unauthenticated"));
        assertThatThrownBy(() -> galley.keys().create("too much", List.of("accounts.read.all")))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.type()).isEqualTo("forbidden"));
    }

    @Test
    void theGpuRegistryIsReadable() {
        Page<Gpu> gpus = galley.gpus().list(ListQuery.first(50));
        assertThat(gpus.data()).isNotEmpty();
        Gpu first = gpus.data().get(0);
        assertThat(galley.gpus().get(first.uuid()).name()).isEqualTo(first.name());
        assertThat(galley.gpus().list(ListQuery.first(50).filter("min_vram_gb", "80,100000")).data())
                .allSatisfy(g -> assertThat(g.vramGb()).isGreaterThanOrEqualTo(80));
    }

    @Test
    void runsAndNodesOfAJobThatNoNodeTookAreEmptyAndUnknownOnesAreNotFound() {
        Job job = galley.jobs().create(jobSpec("no runs yet"));
        assertThat(galley.runs().listForJob(job.uuid()).data()).isEmpty();
        assertThatThrownBy(() -> galley.runs().get(UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        Galley operator = Galley.connect(TestServer.baseUrl(), dev.galley.client.ApiKeyPair.parse(TestServer.OPERATOR_KEY));
        assertThat(operator.nodes().list(ListQuery.first(50)).total()).isGreaterThanOrEqualTo(0);
        assertThatThrownBy(() -> operator.nodes().get(UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.type()).isEqualTo("not_found"));
    }

    @Test
    void anIdThatTriesToWalkToAnotherEndpointStaysOneSegment() {
        assertThatThrownBy(() -> galley.jobs().get("../api-keys"))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
