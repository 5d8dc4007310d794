package dev.galley.server.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code galley server} reads from its environment, parsed once at start so a bad value
 * fails fast with the variable's name instead of surfacing later as an odd runtime error.
 */
public record ServerConfig(
        String httpHost,
        int httpPort,
        Optional<String> databaseUrl,
        Optional<String> databaseUser,
        Optional<String> databasePassword,
        Path dataDir,
        Optional<String> bootstrapKey,
        Optional<String> masterKeyBase64,
        long nodeTtlMs,
        double rateLimitRps,
        int maxInFlight,
        int schedulerRoundJobs,
        TenantLimits limits,
        BillingConfig billing,
        ProviderSettings providers) {

    public static ServerConfig fromEnvironment(Map<String, String> env) {
        return new ServerConfig(
                env.getOrDefault("GALLEY_HTTP_HOST", "0.0.0.0"),
                intVar(env, "GALLEY_HTTP_PORT", 8080, 0, 65535),
                nonBlank(env.get("GALLEY_DATABASE_URL")),
                nonBlank(env.get("GALLEY_DATABASE_USER")),
                nonBlank(env.get("GALLEY_DATABASE_PASSWORD")),
                nonBlank(env.get("GALLEY_DATA_DIR")).map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".galley")),
                nonBlank(env.get("GALLEY_BOOTSTRAP_KEY")),
                nonBlank(env.get("GALLEY_MASTER_KEY")),
                intVar(env, "GALLEY_NODE_TTL_MS", 30_000, 1_000, Integer.MAX_VALUE),
                // On by default (spec §8), and generous: see docs/scheduling.md for what a node agent needs. 0 = off.
                intVar(env, "GALLEY_RATE_LIMIT_RPS", DEFAULT_RATE_LIMIT_RPS, 0, 1_000_000),
                intVar(env, "GALLEY_MAX_IN_FLIGHT", 256, 1, 1_000_000),
                intVar(env, "GALLEY_SCHEDULER_ROUND_JOBS", 10_000, 10, 1_000_000),
                TenantLimits.fromEnvironment(env),
                BillingConfig.fromEnvironment(env),
                ProviderSettings.fromEnvironment(env, intVar(env, "GALLEY_NODE_TTL_MS", 30_000, 1_000, Integer.MAX_VALUE)));
    }

    /** Requests per second per key (bursts of twice that) unless GALLEY_RATE_LIMIT_RPS says otherwise. */
    public static final int DEFAULT_RATE_LIMIT_RPS = 100;

    public ServerConfig withLimits(TenantLimits l) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir, bootstrapKey,
                masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, l, billing, providers);
    }

    public ServerConfig withHttpPort(int port) {
        return new ServerConfig(httpHost, port, databaseUrl, databaseUser, databasePassword, dataDir, bootstrapKey,
                masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(httpHost, httpPort, Optional.of(url), Optional.ofNullable(user),
                Optional.ofNullable(password), dataDir, bootstrapKey, masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withBootstrapKey(String key) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                Optional.ofNullable(key), masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withMasterKey(String base64) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                bootstrapKey, Optional.ofNullable(base64), nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withNodeTtlMs(long ttl) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                bootstrapKey, masterKeyBase64, ttl, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dir,
                bootstrapKey, masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withMaxInFlight(int max) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                bootstrapKey, masterKeyBase64, nodeTtlMs, rateLimitRps, max, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withRateLimitRps(double rps) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                bootstrapKey, masterKeyBase64, nodeTtlMs, rps, maxInFlight, schedulerRoundJobs, limits, billing, providers);
    }

    public ServerConfig withBilling(BillingConfig b) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                bootstrapKey, masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, b, providers);
    }

    public ServerConfig withProviders(ProviderSettings p) {
        return new ServerConfig(httpHost, httpPort, databaseUrl, databaseUser, databasePassword, dataDir,
                bootstrapKey, masterKeyBase64, nodeTtlMs, rateLimitRps, maxInFlight, schedulerRoundJobs, limits, billing, p);
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static int intVar(Map<String, String> env, String name, int def, int min, int max) {
        return (int) longVar(env, name, def, min, max);
    }

    static long longVar(Map<String, String> env, String name, long def, long min, long max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return def;
        try {
            long v = Long.parseLong(raw.trim());
            if (v < min || v > max) throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + raw);
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + raw + "'");
        }
    }
}
