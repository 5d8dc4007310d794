package dev.galley.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The typed SDK: one object per server and key, with a sub-API per resource. Calls are signed (spec §2),
 * retried where that is safe ({@link RetryingTransport}), and job creation and cooking carry an automatic
 * {@code Idempotency-Key}, so a retried call never creates two jobs. Errors are {@link GalleyApiException}
 * (the API's type, message and field errors) or {@link GalleyConnectionException}.
 *
 * <pre>{@code
 * Galley galley = Galley.connect(URI.create("http://localhost:8080"), ApiKeyPair.parse("pk_…:sk_…"));
 * Recipe recipe = galley.recipes().findByName("render", false).get(0);
 * Job job = galley.recipes().cook(recipe.uuid(), Json.read("{\"gpu_count\": 2}"));
 * job = galley.jobs().awaitFinal(job.uuid(), Duration.ofHours(1), Duration.ofSeconds(2), null);
 * }</pre>
 */
public final class Galley {
    private final RetryingTransport transport;
    private final RecipesApi recipes;
    private final JobsApi jobs;
    private final RunsApi runs;
    private final KeysApi keys;
    private final GpusApi gpus;
    private final NodesApi nodes;
    private final EpochsApi epochs;
    private final BillingApi billing;

    private Galley(Builder b) {
        GalleyClient client = GalleyClient.builder(b.baseUrl, b.key)
                .connectTimeout(b.connectTimeout)
                .requestTimeout(b.requestTimeout)
                .build();
        this.transport = new RetryingTransport(client, b.retryPolicy, b.sleeper);
        this.recipes = new RecipesApi(transport);
        this.jobs = new JobsApi(transport);
        this.runs = new RunsApi(transport);
        this.keys = new KeysApi(transport);
        this.gpus = new GpusApi(transport);
        this.nodes = new NodesApi(transport);
        this.epochs = new EpochsApi(transport);
        this.billing = new BillingApi(transport);
    }

    /** Default timeouts and {@link RetryPolicy#DEFAULT}. */
    public static Galley connect(URI baseUrl, ApiKeyPair key) {
        return builder(baseUrl, key).build();
    }

    public static Builder builder(URI baseUrl, ApiKeyPair key) {
        return new Builder(baseUrl, key);
    }

    public RecipesApi recipes() {
        return recipes;
    }

    public JobsApi jobs() {
        return jobs;
    }

    public RunsApi runs() {
        return runs;
    }

    public KeysApi keys() {
        return keys;
    }

    public GpusApi gpus() {
        return gpus;
    }

    public NodesApi nodes() {
        return nodes;
    }

    public EpochsApi epochs() {
        return epochs;
    }

    /** Prices, usage, the ledger and balances. */
    public BillingApi billing() {
        return billing;
    }

    /** The retrying transport, for endpoints the typed calls do not cover. */
    public RetryingTransport transport() {
        return transport;
    }

    public URI baseUrl() {
        return transport.client().baseUrl();
    }

    /** Options; defaults: 10 s connect, 60 s per request, {@link RetryPolicy#DEFAULT}, real sleeps. */
    public static final class Builder {
        private final URI baseUrl;
        private final ApiKeyPair key;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.REAL;

        private Builder(URI baseUrl, ApiKeyPair key) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.key = Objects.requireNonNull(key, "key");
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How retries wait; tests record the waits instead of sleeping. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** @throws IllegalArgumentException for a URL that is not http(s) with a host */
        public Galley build() {
            return new Galley(this);
        }
    }
}
