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

    private record TimerKey(String method, String route, int status) {}

    /** Registered timers by key: building and looking up a meter id per request showed up in profiles. */
    private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    /** One request, tagged by route template (never the raw path: ids would explode the series count). */
    public void recordRequest(String method, String route, int status, Duration took) {
        timers.computeIfAbsent(new TimerKey(method, route, status), k -> Timer.builder("galley_http_requests")
                        .description("HTTP requests by route and status")
                        .tag("method", k.method())
                        .tag("route", k.route())
                        .tag("status", Integer.toString(k.status()))
                        .publishPercentiles(0.5, 0.99)
                        .register(registry))
                .record(took);
    }

    public String scrape() {
        return registry.scrape();
    }
}
