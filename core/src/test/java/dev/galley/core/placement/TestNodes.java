package dev.galley.core.placement;

import dev.galley.core.gpu.GpuModel;
import dev.galley.core.lifecycle.NodeStatus;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Object mothers for nodes: each factory gives a complete, schedulable node; a test changes only the
 * field it is about with a {@code withX(...)} and calls {@link NodeBuilder#build()}.
 */
final class TestNodes {
    private TestNodes() {}

    /** 16 cores, 64 GB RAM, 500 GB storage, no GPU, eu-west-1. */
    static NodeBuilder cpuNode() {
        return new NodeBuilder(UUID.randomUUID(), "eu-west-1", NodeStatus.ONLINE, 16, 64, 500, List.of(), HeldResources.NONE, 50);
    }

    /** A cpuNode with one H100. */
    static NodeBuilder gpuNode() {
        return gpuNode(1, TestGpus.H100);
    }

    static NodeBuilder gpuNode(int count, GpuModel model) {
        return cpuNode().withGpus(TestGpus.devices(count, model));
    }

    static NodeBuilder drainingNode() {
        return gpuNode().withStatus(NodeStatus.DRAINING);
    }

    /** A uuid that sorts by {@code n}, for tie-break tests. */
    static UUID uuid(int n) {
        return new UUID(0, n);
    }

    record NodeBuilder(UUID uuid, String region, NodeStatus status, int cpuCores, double ramGb, double storageGb,
                       List<GpuDevice> gpus, HeldResources held, double reputation) {
        NodeBuilder withUuid(UUID value) { return new NodeBuilder(value, region, status, cpuCores, ramGb, storageGb, gpus, held, reputation); }
        NodeBuilder withRegion(String value) { return new NodeBuilder(uuid, value, status, cpuCores, ramGb, storageGb, gpus, held, reputation); }
        NodeBuilder withStatus(NodeStatus value) { return new NodeBuilder(uuid, region, value, cpuCores, ramGb, storageGb, gpus, held, reputation); }
        NodeBuilder withCpu(int value) { return new NodeBuilder(uuid, region, status, value, ramGb, storageGb, gpus, held, reputation); }
        NodeBuilder withRam(double value) { return new NodeBuilder(uuid, region, status, cpuCores, value, storageGb, gpus, held, reputation); }
        NodeBuilder withStorage(double value) { return new NodeBuilder(uuid, region, status, cpuCores, ramGb, value, gpus, held, reputation); }
        NodeBuilder withGpus(List<GpuDevice> value) { return new NodeBuilder(uuid, region, status, cpuCores, ramGb, storageGb, value, held, reputation); }
        NodeBuilder withHeld(HeldResources value) { return new NodeBuilder(uuid, region, status, cpuCores, ramGb, storageGb, gpus, value, reputation); }

        NodeBuilder withReputation(double value) { return new NodeBuilder(uuid, region, status, cpuCores, ramGb, storageGb, gpus, held, value); }

        NodeBuilder withHeldGpus(Integer... deviceIndexes) {
            return withHeld(new HeldResources(0, 0, 0, Set.of(deviceIndexes)));
        }

        NodeSnapshot build() {
            return new NodeSnapshot(uuid, region, status, cpuCores, ramGb, storageGb, gpus, held, reputation);
        }
    }
}
