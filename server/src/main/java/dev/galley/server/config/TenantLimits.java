package dev.galley.server.config;

import dev.galley.core.logs.LogRetention;
import java.util.Map;

/**
 * What one tenant may make the server hold (spec §8, "nothing unbounded from one tenant"), beyond the per-key
 * rate limit and the admission limit that {@link ServerConfig} carries.
 *
 * @param logRetentionBytes      output kept per run (GALLEY_LOG_RETENTION_BYTES); past it the oldest is dropped
 * @param minRequestDataRate     bytes per second a request body must keep up after a 5 s grace
 *                               (GALLEY_MIN_REQUEST_DATA_RATE, 0 = off); slower uploads are cut off with 408
 * @param maxNewGpuModelsPerNode GPU models one node may add to the shared registry (GALLEY_MAX_NEW_GPU_MODELS_PER_NODE)
 */
public record TenantLimits(long logRetentionBytes, long minRequestDataRate, int maxNewGpuModelsPerNode) {
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 1024;
    public static final int DEFAULT_MAX_NEW_GPU_MODELS_PER_NODE = 4;

    public static TenantLimits fromEnvironment(Map<String, String> env) {
        return new TenantLimits(
                ServerConfig.longVar(env, "GALLEY_LOG_RETENTION_BYTES", LogRetention.DEFAULT_CAP_BYTES, LogRetention.MIN_CAP_BYTES, 1L << 40),
                ServerConfig.longVar(env, "GALLEY_MIN_REQUEST_DATA_RATE", DEFAULT_MIN_REQUEST_DATA_RATE, 0, 1L << 30),
                (int) ServerConfig.longVar(env, "GALLEY_MAX_NEW_GPU_MODELS_PER_NODE", DEFAULT_MAX_NEW_GPU_MODELS_PER_NODE, 0, 1000));
    }

    public TenantLimits withLogRetentionBytes(long bytes) {
        return new TenantLimits(bytes, minRequestDataRate, maxNewGpuModelsPerNode);
    }

    public TenantLimits withMinRequestDataRate(long bytesPerSecond) {
        return new TenantLimits(logRetentionBytes, bytesPerSecond, maxNewGpuModelsPerNode);
    }

    public TenantLimits withMaxNewGpuModelsPerNode(int max) {
        return new TenantLimits(logRetentionBytes, minRequestDataRate, max);
    }
}
