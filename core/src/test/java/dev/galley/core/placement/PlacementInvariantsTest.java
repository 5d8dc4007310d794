package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;

import dev.galley.core.gpu.GpuModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants over many random snapshots (fixed seed, so a failure reproduces): no node is over-committed,
 * runs land only on nodes that fit them, a job's runs sit on distinct nodes, every job is either placed or
 * explained.
 */
class PlacementInvariantsTest {
    private static final List<GpuModel> MODELS = List.of(TestGpus.H100, TestGpus.A100, TestGpus.RTX_4090);
    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-south-1");

    @Test
    void random_rounds_never_over_commit_and_explain_every_miss() {
        var random = new Random(20_261_126L);
        int placed = 0;
        int waiting = 0;
        for (int round = 0; round < 300; round++) {
            List<NodeSnapshot> nodes = randomNodes(random, 1 + random.nextInt(12));
            List<PendingJob> jobs = randomJobs(random, 1 + random.nextInt(25), nodes);
            PlacementPlan plan = Placement.place(nodes, jobs);
            assertInvariants(nodes, jobs, plan);
            placed += plan.placements().size();
            waiting += plan.unplaced().size();
        }
        // The generator must exercise both outcomes, or the invariants above prove little.
        assertThat(placed).isGreaterThan(500);
        assertThat(waiting).isGreaterThan(500);
    }

    private static void assertInvariants(List<NodeSnapshot> nodes, List<PendingJob> jobs, PlacementPlan plan) {
        Map<UUID, NodeSnapshot> nodeByUuid = nodes.stream().collect(Collectors.toMap(NodeSnapshot::uuid, Function.identity()));
        Map<UUID, PendingJob> jobByUuid = jobs.stream().collect(Collectors.toMap(PendingJob::jobUuid, Function.identity()));
        Map<UUID, HeldResources> used = new HashMap<>();
        for (NodeSnapshot node : nodes) used.put(node.uuid(), node.held());

        for (Placement p : plan.placements()) {
            NodeSnapshot node = nodeByUuid.get(p.nodeUuid());
            RunRequirements req = jobByUuid.get(p.jobUuid()).requirements();
            assertThat(node.status()).isEqualTo(NodeStatus.ONLINE);
            if (!req.allowedRegionCodes().isEmpty()) assertThat(req.allowedRegionCodes()).contains(node.regionCode());
            assertThat(p.gpuDeviceIndexes()).hasSize(req.gpuCount()).doesNotHaveDuplicates();
            for (int index : p.gpuDeviceIndexes()) {
                GpuDevice device = node.gpus().stream().filter(d -> d.index() == index).findFirst().orElseThrow();
                assertThat(device.vramGb()).isGreaterThanOrEqualTo(req.minVramGb());
                assertThat(req.gpuModel().accepts(device.registryUuid(), GpuModel.normalize(device.name()))).isTrue();
                assertThat(used.get(node.uuid()).gpuDeviceIndexes()).as("GPU %d of %s given twice", index, node.uuid())
                        .doesNotContain(index);
            }
            used.merge(node.uuid(), new HeldResources(req.cpuCount(), req.minRamGb(), req.minStorageGb(),
                    new HashSet<>(p.gpuDeviceIndexes())), HeldResources::plus);
        }
        for (NodeSnapshot node : nodes) {
            // Held may already exceed capacity (a node that shrank); what the plan adds must fit what was free.
            HeldResources total = used.get(node.uuid());
            HeldResources held = node.held();
            assertThat(total.cpuCores() - held.cpuCores()).as("CPU over-committed on %s", node.uuid())
                    .isLessThanOrEqualTo(Math.max(0, node.cpuCores() - held.cpuCores()));
            assertThat(total.ramGb() - held.ramGb()).as("RAM over-committed on %s", node.uuid())
                    .isLessThanOrEqualTo(Math.max(0, node.ramGb() - held.ramGb()) + 1e-6);
            assertThat(total.storageGb() - held.storageGb()).as("storage over-committed on %s", node.uuid())
                    .isLessThanOrEqualTo(Math.max(0, node.storageGb() - held.storageGb()) + 1e-6);
        }
        for (PendingJob job : jobs) {
            List<Placement> placed = plan.placementsFor(job.jobUuid());
            assertThat(placed).extracting(Placement::nodeUuid).doesNotHaveDuplicates();
            switch (job.slots()) {
                case RunSlots.FirstPlacement first -> {
                    assertThat(placed.size()).isLessThanOrEqualTo(first.maxNodeCount());
                    assertThat(placed.isEmpty()).isEqualTo(plan.unplacedFor(job.jobUuid()).isPresent());
                    for (int i = 0; i < placed.size(); i++) {
                        assertThat(placed.get(i).nodeIndex()).isEqualTo(i);
                        assertThat(placed.get(i).nodeCount()).isEqualTo(placed.size());
                    }
                }
                case RunSlots.Retries retries -> {
                    assertThat(placed).extracting(Placement::nodeUuid).allSatisfy(
                            node -> assertThat(retries.nodesRunningThisJob()).doesNotContain(node));
                    int waiting = plan.unplacedFor(job.jobUuid()).map(u -> u.nodeIndexes().size()).orElse(0);
                    assertThat(placed.size() + waiting).isEqualTo(retries.slots().size());
                }
            }
            plan.unplacedFor(job.jobUuid()).ifPresent(u -> assertThat(u.reason()).isNotBlank());
        }
    }

    static List<NodeSnapshot> randomNodes(Random random, int count) {
        var nodes = new ArrayList<NodeSnapshot>();
        for (int n = 0; n < count; n++) {
            var gpus = new ArrayList<GpuDevice>();
            int gpuCount = random.nextInt(5);
            for (int g = 0; g < gpuCount; g++) {
                GpuModel model = MODELS.get(random.nextInt(MODELS.size()));
                gpus.add(new GpuDevice(g, model.name(), random.nextBoolean() ? model.uuid() : null, model.vramGb()));
            }
            Set<Integer> heldGpus = new HashSet<>();
            for (int g = 0; g < gpuCount; g++) if (random.nextInt(4) == 0) heldGpus.add(g);
            int cpu = 1 + random.nextInt(32);
            double ram = 1 + random.nextInt(128);
            double storage = 10 + random.nextInt(500);
            var held = new HeldResources(random.nextInt(cpu + 1), random.nextDouble() * ram, random.nextDouble() * storage, heldGpus);
            nodes.add(new NodeSnapshot(new UUID(random.nextLong(), random.nextLong()), REGIONS.get(random.nextInt(REGIONS.size())),
                    random.nextInt(6) != 0 ? NodeStatus.ONLINE : NodeStatus.DRAINING, cpu, ram, storage, gpus, held));
        }
        return nodes;
    }

    static List<PendingJob> randomJobs(Random random, int count, List<NodeSnapshot> nodes) {
        var jobs = new ArrayList<PendingJob>();
        for (int j = 0; j < count; j++) {
            int gpuCount = random.nextInt(4) == 0 ? 0 : random.nextInt(3);
            GpuModelRequirement model = gpuCount > 0 && random.nextBoolean()
                    ? GpuModelRequirement.of(MODELS.get(random.nextInt(MODELS.size()))) : GpuModelRequirement.ANY;
            Set<String> regions = random.nextInt(3) == 0 ? Set.of(REGIONS.get(random.nextInt(REGIONS.size()))) : Set.of();
            var req = new RunRequirements(random.nextInt(9), gpuCount, model, gpuCount > 0 ? random.nextInt(50) : 0,
                    random.nextInt(40), random.nextInt(200), regions);
            RunSlots slots = random.nextInt(4) == 0
                    ? new RunSlots.Retries(3, List.of(new RetrySlot(0, 2, Set.of()), new RetrySlot(2, 2, Set.of())),
                            Set.of(nodes.get(random.nextInt(nodes.size())).uuid()))
                    : new RunSlots.FirstPlacement(1 + random.nextInt(3));
            jobs.add(new PendingJob(new UUID(random.nextLong(), random.nextLong()), random.nextInt(1000), req, slots));
        }
        return jobs;
    }
}
