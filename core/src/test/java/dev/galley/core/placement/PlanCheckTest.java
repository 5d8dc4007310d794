package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static dev.galley.core.placement.TestJobs.cpuJob;
import static dev.galley.core.placement.TestJobs.gpuJob;
import static dev.galley.core.placement.TestNodes.cpuNode;
import static dev.galley.core.placement.TestNodes.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanCheckTest {
    private static final PlanCheck CHECK = PlanCheck.standard();

    /** The plan of {@code jobs} on {@code nodes}, grouped by job as the applier hands it to the check. */
    static List<PlanCheck.PlannedJob> plan(List<NodeSnapshot> nodes, List<PendingJob> jobs) {
        return grouped(Placement.place(nodes, jobs), jobs);
    }

    static List<PlanCheck.PlannedJob> grouped(PlacementPlan plan, List<PendingJob> jobs) {
        Map<UUID, RunRequirements> requirements = new HashMap<>();
        jobs.forEach(j -> requirements.put(j.jobUuid(), j.requirements()));
        Map<UUID, List<Placement>> byJob = new LinkedHashMap<>();
        plan.placements().forEach(p -> byJob.computeIfAbsent(p.jobUuid(), k -> new ArrayList<>()).add(p));
        return byJob.entrySet().stream()
                .map(e -> new PlanCheck.PlannedJob(e.getKey(), requirements.get(e.getKey()), e.getValue())).toList();
    }

    private static PlanCheck.Refused onlyRefusal(List<NodeSnapshot> fresh, List<PlanCheck.PlannedJob> planned) {
        PlanCheck.Result result = CHECK.check(fresh, planned);
        assertThat(result.accepted()).isEmpty();
        assertThat(result.refused()).hasSize(1);
        return result.refused().getFirst();
    }

    @Nested
    class Refusals {
        @Test
        void a_plan_checked_against_the_snapshot_it_was_made_on_is_accepted_whole() {
            var nodes = List.of(cpuNode().build(), gpuNode(2, TestGpus.H100).build());
            var jobs = List.of(cpuJob().withCpu(8).build(), gpuJob(2).build(), cpuJob().withRam(32).build());
            var planned = plan(nodes, jobs);
            assertThat(planned).hasSize(3);
            assertThat(CHECK.check(nodes, planned).accepted()).isEqualTo(planned);
        }

        @Test
        void a_node_gone_offline_or_draining_since_the_plan_refuses_its_runs() {
            var node = cpuNode().build();
            var planned = plan(List.of(node), List.of(cpuJob().build()));
            assertThat(onlyRefusal(List.of(), planned).reason()).isEqualTo(Rejection.NODE_GONE);
            assertThat(onlyRefusal(List.of(with(node, NodeStatus.OFFLINE)), planned).reason()).isEqualTo(Rejection.NODE_OFFLINE);
            assertThat(onlyRefusal(List.of(with(node, NodeStatus.DRAINING)), planned).reason()).isEqualTo(Rejection.NODE_DRAINING);
        }

        @Test
        void capacity_taken_meanwhile_is_named_by_the_resource_that_ran_out() {
            var node = gpuNode(2, TestGpus.H100).withCpu(4).withRam(16).withStorage(100).build();
            var planned = plan(List.of(node), List.of(gpuJob(1).withCpu(4).withRam(16).withStorage(100).build()));
            int device = planned.getFirst().placements().getFirst().gpuDeviceIndexes().getFirst();
            assertThat(onlyRefusal(List.of(node.plusHeld(new HeldResources(1, 0, 0, Set.of()))), planned).reason())
                    .isEqualTo(Rejection.NOT_ENOUGH_CPU);
            assertThat(onlyRefusal(List.of(node.plusHeld(new HeldResources(0, 0.5, 0, Set.of()))), planned).reason())
                    .isEqualTo(Rejection.NOT_ENOUGH_RAM);
            assertThat(onlyRefusal(List.of(node.plusHeld(new HeldResources(0, 0, 1, Set.of()))), planned).reason())
                    .isEqualTo(Rejection.NOT_ENOUGH_STORAGE);
            // The other GPU is still free, but the plan chose this one: another replica's run holds it now.
            assertThat(onlyRefusal(List.of(node.plusHeld(new HeldResources(0, 0, 0, Set.of(device)))), planned).reason())
                    .isEqualTo(Rejection.GPU_DEVICES_TAKEN);
        }

        @Test
        void rounding_noise_is_absorbed_exactly_as_placement_absorbs_it() {
            // 0.1 + 0.2 GB held leaves 0.7 − 1e-17 of 1 GB free: placement and the check both call 0.7 GB a fit.
            var node = cpuNode().withRam(1).withHeld(new HeldResources(0, 0.1 + 0.2, 0, Set.of())).build();
            var job = cpuJob().withRam(0.7).build();
            var planned = plan(List.of(node), List.of(job));
            assertThat(planned).as("placement fits it").hasSize(1);
            assertThat(CHECK.check(List.of(node), planned).accepted()).hasSize(1);
        }

        @Test
        void a_plan_whose_placement_names_the_wrong_number_of_gpus_is_a_programming_error() {
            var job = gpuJob(2).build();
            var p = new Placement(job.jobUuid(), 0, 1, 1, UUID.randomUUID(), List.of(0));
            assertThatThrownBy(() -> new PlanCheck.PlannedJob(job.jobUuid(), job.requirements(), List.of(p)))
                    .isInstanceOf(IllegalArgumentException.class);
            var twice = new Placement(job.jobUuid(), 0, 1, 1, UUID.randomUUID(), List.of(1, 1));
            assertThatThrownBy(() -> new PlanCheck.PlannedJob(job.jobUuid(), job.requirements(), List.of(twice)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class AllOrNothing {
        @Test
        void a_job_with_one_refused_run_writes_none_and_leaves_its_capacity_to_later_jobs() {
            var a = cpuNode().withCpu(2).build();
            var b = cpuNode().withCpu(2).build();
            var wide = cpuJob().withCpu(2).withMaxNodes(2).createdAt(1).build();
            var later = cpuJob().withCpu(2).createdAt(2).build();
            var planned = plan(List.of(a, b), List.of(wide, later));
            assertThat(planned).as("the wide job takes both nodes, the later one waits").hasSize(1);
            // Another replica took node b meanwhile; the later job, planned on a fresh snapshot, wants node a.
            var fresh = List.of(a, b.plusHeld(new HeldResources(2, 0, 0, Set.of())));
            var laterPlanned = plan(fresh, List.of(later));
            var both = new ArrayList<>(planned);
            both.addAll(laterPlanned);
            PlanCheck.Result result = CHECK.check(fresh, both);
            assertThat(result.refused()).singleElement().satisfies(r -> {
                assertThat(r.jobUuid()).isEqualTo(wide.jobUuid());
                assertThat(r.placement().nodeUuid()).isEqualTo(b.uuid());
                assertThat(r.reason()).isEqualTo(Rejection.NOT_ENOUGH_CPU);
            });
            assertThat(result.accepted()).as("the refused job's run on node a took nothing").isEqualTo(laterPlanned);
        }

        @Test
        void jobs_of_one_plan_see_what_the_jobs_accepted_before_them_took() {
            var node = cpuNode().withCpu(4).build();
            // Two plans made on the same snapshot, both for the whole node: checked together, only the first fits.
            var first = plan(List.of(node), List.of(cpuJob().withCpu(4).createdAt(1).build()));
            var second = plan(List.of(node), List.of(cpuJob().withCpu(4).createdAt(2).build()));
            var both = new ArrayList<>(first);
            both.addAll(second);
            PlanCheck.Result result = CHECK.check(List.of(node), both);
            assertThat(result.accepted()).isEqualTo(first);
            assertThat(result.refused()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(Rejection.NOT_ENOUGH_CPU));
        }
    }

    @Nested
    class AgreesWithPlacement {
        /** On a one-node snapshot, placement puts a run there exactly when the check accepts that run there. */
        @Test
        void the_check_accepts_a_run_on_a_node_exactly_when_placement_would_put_it_there() {
            var random = new Random(4_242L);
            int fits = 0;
            int misses = 0;
            for (int i = 0; i < 3_000; i++) {
                NodeSnapshot node = PlacementInvariantsTest.randomNodes(random, 1).getFirst();
                PendingJob job = firstPlacementOfOne(PlacementInvariantsTest.randomJobs(random, 1, List.of(node)).getFirst());
                PlacementPlan plan = Placement.place(List.of(node), List.of(job));
                var emptyNode = new NodeSnapshot(node.uuid(), node.regionCode(), NodeStatus.ONLINE, node.cpuCores(),
                        node.ramGb(), node.storageGb(), node.gpus(), HeldResources.NONE);
                // The run as placement would pick it on the empty node, checked against the node as it is.
                var onEmpty = Placement.place(List.of(emptyNode), List.of(job));
                if (onEmpty.placements().isEmpty()) continue;
                if (!plan.placements().isEmpty()) {
                    assertThat(CHECK.check(List.of(node), grouped(plan, List.of(job))).accepted())
                            .as("case %d: placement fits it, so must the check", i).hasSize(1);
                    fits++;
                } else {
                    // Placement found no room now (CPU, RAM, storage, qualifying GPUs or the node's status), so the
                    // run it would put on the node were it empty must be refused too.
                    assertThat(CHECK.check(List.of(node), grouped(onEmpty, List.of(job))).accepted())
                            .as("case %d: placement finds no room, the check must refuse", i).isEmpty();
                    misses++;
                }
            }
            assertThat(fits).isGreaterThan(200);
            assertThat(misses).isGreaterThan(200);
        }

        private static PendingJob firstPlacementOfOne(PendingJob job) {
            return new PendingJob(job.jobUuid(), job.createdAtMs(), job.requirements(), new RunSlots.FirstPlacement(1));
        }
    }

    /**
     * Two replicas plan on the same snapshot; meanwhile other changes land (runs start elsewhere, nodes drain,
     * go offline or disappear). Each replica's plan is checked against the cluster as it is when it applies, and
     * what is accepted is applied. Whatever the interleaving, no node ever holds more than it has.
     */
    @Test
    void concurrent_plans_checked_against_fresh_snapshots_never_over_commit() {
        var random = new Random(777L);
        int accepted = 0;
        int refused = 0;
        Set<Rejection> reasons = java.util.EnumSet.noneOf(Rejection.class);
        for (int round = 0; round < 400; round++) {
            List<NodeSnapshot> start = PlacementInvariantsTest.randomNodes(random, 1 + random.nextInt(15)).stream()
                    .map(PlanCheckTest::withinCapacity).toList();
            var replicaA = PlacementInvariantsTest.randomJobs(random, 1 + random.nextInt(15), start);
            var replicaB = PlacementInvariantsTest.randomJobs(random, 1 + random.nextInt(15), start);
            var planA = plan(start, replicaA);
            var planB = plan(start, replicaB);

            List<NodeSnapshot> cluster = mutate(random, start);
            for (var planned : List.of(planA, planB)) {
                PlanCheck.Result result = CHECK.check(cluster, planned);
                accepted += result.accepted().size();
                refused += result.refused().size();
                result.refused().forEach(r -> reasons.add(r.reason()));
                assertThat(result.accepted().size() + result.refused().size()).isEqualTo(planned.size());
                cluster = applied(cluster, result.accepted());
                assertNoOverCommit(cluster);
            }
        }
        assertThat(accepted).as("the generator accepts plenty").isGreaterThan(500);
        assertThat(refused).as("and refuses plenty").isGreaterThan(500);
        assertThat(reasons).as("for every kind of reason").contains(Rejection.NODE_GONE, Rejection.NODE_OFFLINE,
                Rejection.NODE_DRAINING, Rejection.NOT_ENOUGH_CPU, Rejection.NOT_ENOUGH_RAM, Rejection.NOT_ENOUGH_GPUS,
                Rejection.GPU_DEVICES_TAKEN);
    }

    /** Random nodes whose current runs fit them (the generator may make over-full ones, which prove nothing here). */
    private static NodeSnapshot withinCapacity(NodeSnapshot n) {
        var held = n.held();
        return new NodeSnapshot(n.uuid(), n.regionCode(), n.status(), n.cpuCores(), n.ramGb(), n.storageGb(), n.gpus(),
                new HeldResources(Math.min(held.cpuCores(), n.cpuCores()), Math.min(held.ramGb(), n.ramGb()),
                        Math.min(held.storageGb(), n.storageGb()), held.gpuDeviceIndexes()));
    }

    /** What another replica and the cluster did meanwhile: runs started (within capacity), nodes drained, lost or deleted. */
    private static List<NodeSnapshot> mutate(Random random, List<NodeSnapshot> nodes) {
        var out = new ArrayList<NodeSnapshot>();
        for (NodeSnapshot n : nodes) {
            int dice = random.nextInt(20);
            if (dice == 0) continue; // deleted
            if (dice == 1) n = with(n, NodeStatus.OFFLINE);
            if (dice == 2) n = with(n, NodeStatus.DRAINING);
            if (dice >= 13) {
                var free = NodeCapacity.whenEmpty(n).minus(n.held());
                var gpus = new HashSet<Integer>();
                for (GpuDevice g : n.gpus()) if (!n.held().gpuDeviceIndexes().contains(g.index()) && random.nextBoolean()) gpus.add(g.index());
                n = n.plusHeld(new HeldResources(random.nextInt(free.cpuCores() + 1), random.nextDouble() * free.ramGb(),
                        random.nextDouble() * free.storageGb(), gpus));
            }
            out.add(n);
        }
        return out;
    }

    private static List<NodeSnapshot> applied(List<NodeSnapshot> nodes, List<PlanCheck.PlannedJob> accepted) {
        Map<UUID, HeldResources> added = new HashMap<>();
        for (var job : accepted)
            for (Placement p : job.placements())
                added.merge(p.nodeUuid(), new HeldResources(job.requirements().cpuCount(), job.requirements().minRamGb(),
                        job.requirements().minStorageGb(), new HashSet<>(p.gpuDeviceIndexes())), PlanCheckTest::plusDisjoint);
        return nodes.stream().map(n -> {
            HeldResources more = added.get(n.uuid());
            if (more == null) return n;
            assertThat(n.status()).as("a run accepted on a node that is not ONLINE").isEqualTo(NodeStatus.ONLINE);
            assertThat(Collections.disjoint(n.held().gpuDeviceIndexes(), more.gpuDeviceIndexes()))
                    .as("a GPU given twice on %s", n.uuid()).isTrue();
            return n.plusHeld(more);
        }).toList();
    }

    private static HeldResources plusDisjoint(HeldResources a, HeldResources b) {
        assertThat(Collections.disjoint(a.gpuDeviceIndexes(), b.gpuDeviceIndexes())).as("one plan gives a GPU twice").isTrue();
        return a.plus(b);
    }

    private static void assertNoOverCommit(List<NodeSnapshot> nodes) {
        for (NodeSnapshot n : nodes) {
            assertThat(n.held().cpuCores()).as("CPU of %s", n.uuid()).isLessThanOrEqualTo(n.cpuCores());
            assertThat(n.held().ramGb()).as("RAM of %s", n.uuid()).isLessThanOrEqualTo(n.ramGb() + 1e-6);
            assertThat(n.held().storageGb()).as("storage of %s", n.uuid()).isLessThanOrEqualTo(n.storageGb() + 1e-6);
            Set<Integer> devices = new HashSet<>();
            n.gpus().forEach(g -> devices.add(g.index()));
            assertThat(devices).as("GPUs of %s", n.uuid()).containsAll(n.held().gpuDeviceIndexes());
        }
    }

    private static NodeSnapshot with(NodeSnapshot n, NodeStatus status) {
        return new NodeSnapshot(n.uuid(), n.regionCode(), status, n.cpuCores(), n.ramGb(), n.storageGb(), n.gpus(), n.held());
    }
}
