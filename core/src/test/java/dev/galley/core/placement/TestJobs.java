package dev.galley.core.placement;

import dev.galley.core.gpu.GpuModel;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Object mothers for pending jobs: a complete first-placement job; tests change one field. */
final class TestJobs {
    private TestJobs() {}

    /** 1 CPU core, 1 GB RAM, 1 GB storage, anywhere, one node. */
    static JobBuilder cpuJob() {
        return new JobBuilder(UUID.randomUUID(), 1_000, 1, 0, GpuModelRequirement.ANY, 0, 1, 1, Set.of(),
                new RunSlots.FirstPlacement(1));
    }

    /** A cpuJob that needs {@code count} GPUs of any model. */
    static JobBuilder gpuJob(int count) {
        return cpuJob().withGpus(count);
    }

    record JobBuilder(UUID uuid, long createdAtMs, int cpu, int gpus, GpuModelRequirement model, double vramGb,
                      double ramGb, double storageGb, Set<String> regions, RunSlots slots) {
        JobBuilder withUuid(UUID v) { return new JobBuilder(v, createdAtMs, cpu, gpus, model, vramGb, ramGb, storageGb, regions, slots); }
        JobBuilder createdAt(long v) { return new JobBuilder(uuid, v, cpu, gpus, model, vramGb, ramGb, storageGb, regions, slots); }
        JobBuilder withCpu(int v) { return new JobBuilder(uuid, createdAtMs, v, gpus, model, vramGb, ramGb, storageGb, regions, slots); }
        JobBuilder withGpus(int v) { return new JobBuilder(uuid, createdAtMs, cpu, v, model, vramGb, ramGb, storageGb, regions, slots); }
        JobBuilder withModel(GpuModelRequirement v) { return new JobBuilder(uuid, createdAtMs, cpu, gpus, v, vramGb, ramGb, storageGb, regions, slots); }
        JobBuilder withModel(GpuModel v) { return withModel(GpuModelRequirement.of(v)); }
        JobBuilder withVram(double v) { return new JobBuilder(uuid, createdAtMs, cpu, gpus, model, v, ramGb, storageGb, regions, slots); }
        JobBuilder withRam(double v) { return new JobBuilder(uuid, createdAtMs, cpu, gpus, model, vramGb, v, storageGb, regions, slots); }
        JobBuilder withStorage(double v) { return new JobBuilder(uuid, createdAtMs, cpu, gpus, model, vramGb, ramGb, v, regions, slots); }
        JobBuilder withRegions(String... v) { return new JobBuilder(uuid, createdAtMs, cpu, gpus, model, vramGb, ramGb, storageGb, Set.of(v), slots); }
        JobBuilder withMaxNodes(int n) { return new JobBuilder(uuid, createdAtMs, cpu, gpus, model, vramGb, ramGb, storageGb, regions, new RunSlots.FirstPlacement(n)); }

        JobBuilder retrying(int nodeCount, List<RetrySlot> retrySlots, Set<UUID> nodesRunningThisJob) {
            return new JobBuilder(uuid, createdAtMs, cpu, gpus, model, vramGb, ramGb, storageGb, regions,
                    new RunSlots.Retries(nodeCount, retrySlots, nodesRunningThisJob));
        }

        RunRequirements requirements() {
            return new RunRequirements(cpu, gpus, model, vramGb, ramGb, storageGb, regions);
        }

        PendingJob build() {
            return new PendingJob(uuid, createdAtMs, requirements(), slots);
        }
    }
}
