package dev.galley.server.gpus;

import dev.galley.core.gpu.GpuModel;

/** A registry entry with the live counts of that model on ONLINE nodes. */
public record GpuRow(GpuModel model, int totalCount, int availableCount) {}
