package dev.galley.server.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** The Prometheus registry and the few named meters the server records. */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** One request, tagged by route template (never the raw path: ids would explode the series count). */
    public void recordRequest(String method, String route, int status, Duration took) {
        Timer.builder("galley_http_requests")
                .description("HTTP requests by route and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(took);
    }

    public String scrape() {
        return registry.scrape();
    }
}
