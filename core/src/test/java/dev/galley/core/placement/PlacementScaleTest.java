package dev.galley.core.placement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A round at the size the server runs (10,000 nodes). The time limit is generous — the build machine is
 * shared — and only catches an accidental blow-up such as a quadratic loop or per-node allocation storm.
 */
class PlacementScaleTest {
    @Test
    void ten_thousand_nodes_and_a_few_hundred_jobs_place_correctly_and_quickly() {
        var nodes = new ArrayList<NodeSnapshot>();
        for (int i = 0; i < 10_000; i++) {
            int gpus = i % 4 == 0 ? 8 : i % 4 == 1 ? 1 : 0;
            nodes.add(TestNodes.cpuNode().withUuid(new UUID(7, i)).withCpu(8 + i % 57)
                    .withGpus(TestGpus.devices(gpus, TestGpus.H100)).build());
        }
        var jobs = new ArrayList<PendingJob>();
        for (int j = 0; j < 300; j++)
            jobs.add(TestJobs.gpuJob(j % 3).withCpu(1 + j % 8).withUuid(new UUID(9, j)).createdAt(j).build());
        jobs.add(TestJobs.cpuJob().withCpu(4096).withUuid(new UUID(9, 999)).createdAt(0).build());

        PlacementPlan plan = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Placement.place(nodes, jobs));

        assertThat(plan.placements()).hasSize(300);
        assertThat(plan.unplaced()).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("no online node has 4096 CPU cores (largest: 64)"));
        // tightest fit at scale: 1-GPU jobs take 1-GPU nodes, CPU-only jobs never touch an 8-GPU node
        Map<UUID, Integer> gpusOfNode = new HashMap<>();
        nodes.forEach(n -> gpusOfNode.put(n.uuid(), n.gpus().size()));
        Map<UUID, Integer> gpusOfJob = new HashMap<>();
        jobs.forEach(j -> gpusOfJob.put(j.jobUuid(), j.requirements().gpuCount()));
        Set<UUID> used = new HashSet<>();
        for (Placement p : plan.placements()) {
            int nodeGpus = gpusOfNode.get(p.nodeUuid());
            switch (gpusOfJob.get(p.jobUuid())) {
                case 0 -> assertThat(nodeGpus).as("CPU job %s", p.jobUuid()).isNotEqualTo(8);
                case 1 -> assertThat(nodeGpus).as("1-GPU job %s", p.jobUuid()).isEqualTo(1);
                default -> assertThat(nodeGpus).as("2-GPU job %s", p.jobUuid()).isEqualTo(8);
            }
            used.add(p.nodeUuid());
        }
        // 2-GPU jobs share the tightest 8-GPU node until it is full instead of opening a new one
        assertThat(used).hasSizeLessThan(300);
    }
}
