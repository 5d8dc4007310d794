package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;

import dev.galley.core.lifecycle.ReasonCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.galley.core.placement.TestJobs.cpuJob;
import static dev.galley.core.placement.TestJobs.gpuJob;
import static dev.galley.core.placement.TestNodes.cpuNode;
import static dev.galley.core.placement.TestNodes.gpuNode;
import static dev.galley.core.placement.TestNodes.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementPipelineTest {

    private static PlacementPlan place(List<NodeSnapshot> nodes, PendingJob... jobs) {
        return Placement.place(nodes, List.of(jobs));
    }

    @Test
    void one_gpu_job_lands_on_the_one_gpu_node_not_the_eight_gpu_one() {
        var big = gpuNode(8, TestGpus.H100).withUuid(uuid(1)).build();
        var small = gpuNode(1, TestGpus.H100).withUuid(uuid(2)).build();
        var job = gpuJob(1).build();

        PlacementPlan plan = place(List.of(big, small), job);

        assertThat(plan.placements()).singleElement()
                .satisfies(p -> assertThat(p.nodeUuid()).isEqualTo(small.uuid()))
                .satisfies(p -> assertThat(p.gpuDeviceIndexes()).containsExactly(0));
        assertThat(plan.unplaced()).isEmpty();
    }

    @Test
    void among_equally_tight_fits_the_more_reputable_node_wins_whatever_the_uuids() {
        var lowUuid = cpuNode().withUuid(uuid(1)).withReputation(40.5).build();
        var reputable = cpuNode().withUuid(uuid(2)).withReputation(80.25).build();
        // The CPU-only seek, the per-shape search of GPU jobs, and the scan of multi-node jobs all rank alike.
        assertThat(place(List.of(lowUuid, reputable), cpuJob().build()).placements().getFirst().nodeUuid()).isEqualTo(reputable.uuid());
        var gpuLow = gpuNode().withUuid(uuid(3)).withReputation(10).build();
        var gpuHigh = gpuNode().withUuid(uuid(4)).withReputation(90).build();
        assertThat(place(List.of(gpuLow, gpuHigh), gpuJob(1).build()).placements().getFirst().nodeUuid()).isEqualTo(gpuHigh.uuid());
        var third = cpuNode().withUuid(uuid(5)).withReputation(60).build();
        assertThat(place(List.of(lowUuid, reputable, third), cpuJob().withMaxNodes(2).build()).placements())
                .extracting(Placement::nodeUuid).containsExactlyInAnyOrder(reputable.uuid(), third.uuid());
    }

    @Test
    void reputation_never_beats_a_tighter_fit() {
        var tight = cpuNode().withUuid(uuid(2)).withCpu(4).withReputation(1).build();
        var roomy = cpuNode().withUuid(uuid(1)).withCpu(16).withReputation(99).build();
        assertThat(place(List.of(roomy, tight), cpuJob().build()).placements().getFirst().nodeUuid()).isEqualTo(tight.uuid());
    }

    @Test
    void equal_reputations_fall_back_to_the_node_uuid() {
        var first = cpuNode().withUuid(uuid(1)).withReputation(70).build();
        var second = cpuNode().withUuid(uuid(2)).withReputation(70).build();
        assertThat(place(List.of(second, first), cpuJob().build()).placements().getFirst().nodeUuid()).isEqualTo(first.uuid());
    }

    @Test
    void a_reputation_outside_0_to_100_is_refused() {
        assertThatThrownBy(() -> cpuNode().withReputation(100.5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cpuNode().withReputation(Double.NaN).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cpu_job_prefers_a_node_without_free_gpus() {
        var gpu = gpuNode().withUuid(uuid(1)).build();
        var cpu = cpuNode().withUuid(uuid(2)).build();
        assertThat(place(List.of(gpu, cpu), cpuJob().build()).placements().getFirst().nodeUuid()).isEqualTo(cpu.uuid());
    }

    @Test
    void among_equal_gpu_counts_the_smallest_sufficient_vram_wins_and_the_smallest_devices_are_taken() {
        var h100s = gpuNode(2, TestGpus.H100).withUuid(uuid(1)).build();
        var mixed = cpuNode().withUuid(uuid(2)).withGpus(List.of(
                new GpuDevice(0, "H100 80GB", TestGpus.H100.uuid(), 80),
                new GpuDevice(1, "GeForce RTX 4090", TestGpus.RTX_4090.uuid(), 24))).build();
        var job = gpuJob(1).withVram(16).build();

        Placement placement = place(List.of(h100s, mixed), job).placements().getFirst();

        assertThat(placement.nodeUuid()).isEqualTo(mixed.uuid());
        assertThat(placement.gpuDeviceIndexes()).containsExactly(1);
    }

    @Test
    void tightest_fit_then_cpu_then_ram_then_node_uuid() {
        var roomy = cpuNode().withUuid(uuid(1)).withCpu(32).build();
        var lessRam = cpuNode().withUuid(uuid(2)).withCpu(8).withRam(16).build();
        var sameAsLessRamButLaterUuid = cpuNode().withUuid(uuid(3)).withCpu(8).withRam(16).build();
        var moreRam = cpuNode().withUuid(uuid(4)).withCpu(8).withRam(32).build();

        var plan = place(List.of(roomy, moreRam, sameAsLessRamButLaterUuid, lessRam), cpuJob().build());

        assertThat(plan.placements().getFirst().nodeUuid()).isEqualTo(lessRam.uuid());
    }

    @Test
    void result_does_not_depend_on_node_or_job_input_order() {
        var nodes = List.of(cpuNode().withUuid(uuid(1)).build(), cpuNode().withUuid(uuid(2)).build(),
                gpuNode().withUuid(uuid(3)).build());
        var jobs = List.of(cpuJob().createdAt(1).build(), gpuJob(1).createdAt(2).build(), cpuJob().createdAt(3).build());

        PlacementPlan forward = Placement.place(nodes, jobs);
        PlacementPlan backward = Placement.place(nodes.reversed(), jobs.reversed());

        assertThat(backward).isEqualTo(forward);
        assertThat(forward.placements()).hasSize(3);
    }

    @Test
    void oldest_job_gets_the_last_gpu() {
        var node = gpuNode().build();
        var younger = gpuJob(1).createdAt(2_000).build();
        var older = gpuJob(1).createdAt(1_000).build();

        PlacementPlan plan = place(List.of(node), younger, older);

        assertThat(plan.placements()).extracting(Placement::jobUuid).containsExactly(older.jobUuid());
        assertThat(plan.unplacedFor(younger.jobUuid())).get()
                .satisfies(u -> assertThat(u.reasonCode()).isEqualTo(ReasonCode.WAITING_FOR_CAPACITY));
    }

    @Test
    void same_creation_time_is_ordered_by_job_uuid() {
        var node = gpuNode().build();
        var second = gpuJob(1).withUuid(uuid(20)).createdAt(5).build();
        var first = gpuJob(1).withUuid(uuid(10)).createdAt(5).build();
        assertThat(place(List.of(node), second, first).placements().getFirst().jobUuid()).isEqualTo(first.jobUuid());
    }

    @Test
    void a_huge_job_that_fits_nowhere_does_not_block_smaller_younger_ones() {
        var node = gpuNode(2, TestGpus.H100).build();
        var huge = gpuJob(8).createdAt(1).build();
        var small = gpuJob(1).createdAt(2).build();
        var alsoSmall = cpuJob().createdAt(3).build();

        PlacementPlan plan = place(List.of(node), huge, small, alsoSmall);

        assertThat(plan.placements()).extracting(Placement::jobUuid).containsExactly(small.jobUuid(), alsoSmall.jobUuid());
        assertThat(plan.unplaced()).extracting(Unplaced::jobUuid).containsExactly(huge.jobUuid());
    }

    @Test
    void two_jobs_competing_for_the_last_gpu_never_both_get_it() {
        var node = gpuNode(2, TestGpus.H100).withHeldGpus(1).build();
        var a = gpuJob(1).createdAt(1).build();
        var b = gpuJob(1).createdAt(2).build();

        PlacementPlan plan = place(List.of(node), a, b);

        assertThat(plan.placements()).singleElement().satisfies(p -> {
            assertThat(p.jobUuid()).isEqualTo(a.jobUuid());
            assertThat(p.gpuDeviceIndexes()).containsExactly(0);
        });
        assertThat(plan.unplacedFor(b.jobUuid())).get().extracting(Unplaced::reason).asString()
                .contains("short on free GPUs").contains("1 node(s) could run it");
    }

    @Test
    void cpu_ram_and_storage_taken_by_one_job_are_not_offered_to_the_next() {
        var node = cpuNode().withCpu(8).withRam(32).withStorage(100).build();
        var plan = place(List.of(node),
                cpuJob().createdAt(1).withCpu(6).build(),
                cpuJob().createdAt(2).withCpu(3).build(),
                cpuJob().createdAt(3).withRam(31.5).build(),
                cpuJob().createdAt(4).withStorage(99.5).build(),
                cpuJob().createdAt(5).withCpu(1).withRam(30).withStorage(98).build());

        assertThat(plan.placements()).hasSize(1 + 1); // the 6-core job, then the 1-core job at createdAt 5
        assertThat(plan.unplaced()).extracting(Unplaced::reason).asString()
                .contains("short on free CPU cores (needs 3)")
                .contains("short on free RAM (needs 31.5 GB)")
                .contains("short on free storage (needs 99.5 GB)");
    }

    @Test
    void max_node_count_places_runs_on_distinct_nodes_with_indexes_and_fixed_count() {
        var nodes = List.of(gpuNode(8, TestGpus.H100).build(), gpuNode().build(), gpuNode().build());
        var job = gpuJob(1).withMaxNodes(4).build();

        PlacementPlan plan = place(nodes, job);

        assertThat(plan.placements()).hasSize(3);
        assertThat(plan.placements()).extracting(Placement::nodeIndex).containsExactly(0, 1, 2);
        assertThat(plan.placements()).extracting(Placement::nodeCount).containsOnly(3);
        assertThat(plan.placements()).extracting(Placement::attempt).containsOnly(1);
        assertThat(plan.placements()).extracting(Placement::nodeUuid).doesNotHaveDuplicates();
        // the two 1-GPU nodes are the tightest; the 8-GPU node is used last
        assertThat(plan.placements().get(2).nodeUuid()).isEqualTo(nodes.getFirst().uuid());
        assertThat(plan.unplaced()).isEmpty();
    }

    @Test
    void max_node_count_takes_no_more_than_n_nodes() {
        var nodes = List.of(cpuNode().build(), cpuNode().build(), cpuNode().build());
        assertThat(place(nodes, cpuJob().withMaxNodes(2).build()).placements()).hasSize(2)
                .extracting(Placement::nodeCount).containsOnly(2);
    }

    @Test
    void retry_prefers_a_node_other_than_the_one_that_failed_the_index() {
        var failedOn = cpuNode().withUuid(uuid(1)).withCpu(2).build(); // the tightest fit...
        var other = cpuNode().withUuid(uuid(2)).withCpu(64).build();
        var job = cpuJob().retrying(1, List.of(new RetrySlot(0, 2, Set.of(failedOn.uuid()))), Set.of()).build();

        Placement placement = place(List.of(failedOn, other), job).placements().getFirst();

        assertThat(placement.nodeUuid()).isEqualTo(other.uuid());
        assertThat(placement.attempt()).isEqualTo(2);
        assertThat(placement.nodeIndex()).isZero();
        assertThat(placement.nodeCount()).isEqualTo(1);
    }

    @Test
    void retry_falls_back_to_the_failed_node_when_nothing_else_fits() {
        var failedOn = cpuNode().build();
        var job = cpuJob().retrying(1, List.of(new RetrySlot(0, 2, Set.of(failedOn.uuid()))), Set.of()).build();
        assertThat(place(List.of(failedOn), job).placements()).extracting(Placement::nodeUuid)
                .containsExactly(failedOn.uuid());
    }

    @Test
    void retry_never_uses_a_node_that_runs_another_index_of_the_job() {
        var busy = cpuNode().withUuid(uuid(1)).build();
        var free = cpuNode().withUuid(uuid(2)).build();
        var job = cpuJob().retrying(3, List.of(new RetrySlot(1, 2, Set.of()), new RetrySlot(2, 3, Set.of())),
                Set.of(busy.uuid())).build();

        PlacementPlan plan = place(List.of(busy, free), job);

        // index 1 takes the free node; index 2 may use neither the busy node nor index 1's node
        assertThat(plan.placements()).singleElement().satisfies(p -> {
            assertThat(p.nodeIndex()).isEqualTo(1);
            assertThat(p.nodeUuid()).isEqualTo(free.uuid());
            assertThat(p.nodeCount()).isEqualTo(3);
        });
        Unplaced waiting = plan.unplacedFor(job.jobUuid()).orElseThrow();
        assertThat(waiting.nodeIndexes()).containsExactly(2);
        assertThat(waiting.reasonCode()).isEqualTo(ReasonCode.WAITING_FOR_CAPACITY);
        assertThat(waiting.reason()).contains("already run another node index of this job");
        assertThat(waiting.rejectedBy()).containsEntry(Rejection.ALREADY_RUNS_THIS_JOB, 2);
    }

    @Test
    void no_matching_node_names_the_gpu_miss_in_the_spec_wording() {
        var nodes = List.of(gpuNode(1, TestGpus.H100).withRegion("eu-west-1").build(),
                gpuNode(4, TestGpus.RTX_4090).withRegion("eu-west-1").build(),
                gpuNode(4, TestGpus.H100).withRegion("us-east-1").build());
        var job = gpuJob(2).withVram(48).withRegions("eu-west-1").build();

        Unplaced unplaced = place(nodes, job).unplaced().getFirst();

        assertThat(unplaced.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_NODE);
        assertThat(unplaced.reason()).isEqualTo("no online node in [eu-west-1] has 2 free GPUs with >= 48 GB");
        assertThat(unplaced.nodeIndexes()).isEmpty();
        assertThat(unplaced.rejectedBy()).containsEntry(Rejection.REGION_NOT_ALLOWED, 1).containsEntry(Rejection.NOT_ENOUGH_GPUS, 2);
    }

    @Test
    void no_matching_node_names_the_model() {
        var unplaced = place(List.of(gpuNode().build()), gpuJob(1).withModel(TestGpus.A100).build()).unplaced().getFirst();
        assertThat(unplaced.reason()).isEqualTo("no online node has 1 free A100 40GB GPU");
    }

    @Test
    void no_matching_node_names_the_largest_cpu_ram_and_storage() {
        var nodes = List.of(cpuNode().withCpu(16).build(), cpuNode().withCpu(8).build());
        assertThat(place(nodes, cpuJob().withCpu(64).build()).unplaced().getFirst())
                .satisfies(u -> assertThat(u.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_NODE))
                .satisfies(u -> assertThat(u.reason()).isEqualTo("no online node has 64 CPU cores (largest: 16)"));
        assertThat(place(nodes, cpuJob().withRam(100.5).build()).unplaced().getFirst().reason())
                .isEqualTo("no online node has 100.5 GB RAM (largest: 64 GB)");
        assertThat(place(nodes, cpuJob().withStorage(2000).build()).unplaced().getFirst().reason())
                .isEqualTo("no online node has 2000 GB storage (largest: 500 GB)");
    }

    @Test
    void closest_miss_is_the_deepest_stage_any_node_reached() {
        // The 64-core node has too little RAM (a later stage than CPU), so RAM is the closest miss.
        var nodes = List.of(cpuNode().withCpu(8).withRam(512).build(), cpuNode().withCpu(64).withRam(32).build());
        assertThat(place(nodes, cpuJob().withCpu(32).withRam(256).build()).unplaced().getFirst().reason())
                .isEqualTo("no online node has 256 GB RAM (largest: 32 GB)");
    }

    @Test
    void no_matching_node_when_the_region_has_no_node_or_nothing_is_online() {
        var node = cpuNode().withRegion("us-east-1").build();
        assertThat(place(List.of(node), cpuJob().withRegions("eu-west-1", "eu-central-1").build()).unplaced().getFirst().reason())
                .isEqualTo("no online node in [eu-central-1, eu-west-1] (online nodes are in [us-east-1])");
        assertThat(place(List.of(TestNodes.drainingNode().build()), cpuJob().build()).unplaced().getFirst())
                .satisfies(u -> assertThat(u.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_NODE))
                .satisfies(u -> assertThat(u.reason()).isEqualTo("no online node: all 1 node(s) are offline or draining; 1 draining node(s) could run it"));
        assertThat(place(List.of(TestNodes.cpuNode().withStatus(NodeStatus.OFFLINE).build()), cpuJob().build()).unplaced().getFirst().reason())
                .isEqualTo("no online node: all 1 node(s) are offline or draining");
        assertThat(place(List.of(), cpuJob().build()).unplaced().getFirst().reason())
                .isEqualTo("no online node: no node is registered");
    }

    @Test
    void a_busy_node_that_could_fit_it_means_waiting_not_no_match() {
        var busy = gpuNode(2, TestGpus.H100).withHeldGpus(0, 1).build();
        Unplaced unplaced = place(List.of(busy), gpuJob(2).withVram(48).build()).unplaced().getFirst();
        assertThat(unplaced.reasonCode()).isEqualTo(ReasonCode.WAITING_FOR_CAPACITY);
        assertThat(unplaced.reason())
                .isEqualTo("waiting for capacity: short on free GPUs (needs 2 free GPUs with >= 48 GB); 1 node(s) could run it once capacity frees up");
    }

    @Test
    void look_alike_jobs_after_a_miss_get_the_same_verdict_and_different_jobs_still_place() {
        var node = gpuNode().build();
        var first = gpuJob(1).createdAt(1).build();
        var twin = gpuJob(1).createdAt(2).build();
        var twinAgain = gpuJob(1).createdAt(3).build();
        var cpuOnly = cpuJob().createdAt(4).build();

        PlacementPlan plan = place(List.of(node), first, twin, twinAgain, cpuOnly);

        assertThat(plan.placements()).extracting(Placement::jobUuid).containsExactly(first.jobUuid(), cpuOnly.jobUuid());
        assertThat(plan.unplaced()).extracting(Unplaced::jobUuid).containsExactly(twin.jobUuid(), twinAgain.jobUuid());
        assertThat(plan.unplaced().get(0).reason()).isEqualTo(plan.unplaced().get(1).reason());
    }

    @Test
    void a_node_listed_twice_is_a_caller_bug() {
        var node = cpuNode().build();
        assertThatThrownBy(() -> place(List.of(node, node), cpuJob().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    @Test
    void a_draining_node_gets_no_new_run_even_as_the_tightest_fit() {
        var draining = cpuNode().withCpu(2).withStatus(NodeStatus.DRAINING).build();
        var online = cpuNode().withCpu(16).build();
        var plan = place(List.of(draining, online), cpuJob().withCpu(2).build());
        assertThat(plan.placements()).singleElement().satisfies(p -> assertThat(p.nodeUuid()).isEqualTo(online.uuid()));
    }

    @Test
    void a_job_only_a_draining_node_could_run_says_so() {
        var draining = cpuNode().withCpu(64).withStatus(NodeStatus.DRAINING).build();
        var small = cpuNode().withCpu(8).build();
        Unplaced unplaced = place(List.of(draining, small), cpuJob().withCpu(32).build()).unplaced().getFirst();
        assertThat(unplaced.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_NODE);
        assertThat(unplaced.reason()).isEqualTo("no online node has 32 CPU cores (largest: 8); 1 draining node(s) could run it");
        assertThat(unplaced.rejectedBy()).containsEntry(Rejection.NODE_DRAINING, 1).containsEntry(Rejection.NOT_ENOUGH_CPU, 1);
        // A draining node that could not run it either is not mentioned.
        var drainingSmall = cpuNode().withCpu(4).withStatus(NodeStatus.DRAINING).build();
        assertThat(place(List.of(drainingSmall, small), cpuJob().withCpu(32).build()).unplaced().getFirst().reason())
                .isEqualTo("no online node has 32 CPU cores (largest: 8)");
    }
}
