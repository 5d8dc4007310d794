package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundMemoryTest {
    private static NodeSnapshot node(int cpu) {
        return new NodeSnapshot(new UUID(0, 1), "eu-west-1", NodeStatus.ONLINE, cpu, 16, 100, List.of(), HeldResources.NONE);
    }

    private static PendingJob job(long createdAtMs, int cpu) {
        var req = new RunRequirements(cpu, 0, GpuModelRequirement.ANY, 0, 0, 0, Set.of());
        return new PendingJob(UUID.randomUUID(), createdAtMs, req, new RunSlots.FirstPlacement(1));
    }

    @Test
    void onTheStateTheRoundLeftOnlyJobsHandedOverAreLoadedAndAFullLoadComesEveryFiveSeconds() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PendingJob fits = job(1_000, 1);
        PendingJob tooBig = job(2_000, 8);
        RoundMemory.JobWindow first = memory.window(nodes, 0, Set.of(fits.jobUuid()), 100);
        assertThat(first.incremental()).as("the first round loads everything").isFalse();
        PlacementPlan plan = PlacementPipeline.standard().place(nodes, List.of(fits, tooBig));
        memory.remember(nodes, List.of(fits, tooBig), plan, true, false);

        List<NodeSnapshot> afterPlan = RoundMemory.after(nodes, List.of(fits, tooBig), plan);
        UUID created = UUID.randomUUID();
        RoundMemory.JobWindow next = memory.window(afterPlan, 1_000_000, Set.of(created), 100);
        assertThat(next.only()).containsExactly(created);
        RoundMemory.JobWindow later = memory.window(afterPlan, RoundMemory.FULL_LOAD_EVERY_NANOS + 2_000_000, Set.of(), 100);
        assertThat(later.incremental()).as("a full load every 5 s").isFalse();
        assertThat(later.skip()).as("which leaves out the known misses").containsExactly(tooBig.jobUuid());
    }

    @Test
    void anyOtherChangeForgetsTheMisses() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PendingJob tooBig = job(1_000, 8);
        memory.window(nodes, 0, Set.of(), 100);
        memory.remember(nodes, List.of(tooBig), PlacementPipeline.standard().place(nodes, List.of(tooBig)), true, false);
        RoundMemory.JobWindow grown = memory.window(List.of(node(16)), 1, Set.of(), 100);
        assertThat(grown.skip()).isEmpty();
        assertThat(grown.incremental()).isFalse();
        memory.remember(nodes, List.of(tooBig), PlacementPipeline.standard().place(nodes, List.of(tooBig)), false, false);
        assertThat(memory.window(nodes, 2, Set.of(), 100).incremental()).as("a partly applied plan leaves no trusted state").isFalse();
    }

    @Test
    void aCutLoadTooManyHandedOverJobsOrAFailedRoundMeanAFullLoad() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PendingJob tooBig = job(1_000, 8);
        PlacementPlan plan = PlacementPipeline.standard().place(nodes, List.of(tooBig));
        memory.window(nodes, 0, Set.of(), 100);
        memory.remember(nodes, List.of(tooBig), plan, true, true);
        assertThat(memory.window(nodes, 1, Set.of(), 100).incremental()).as("more jobs wait than the round loaded").isFalse();

        memory.remember(nodes, List.of(tooBig), plan, true, false);
        assertThat(memory.window(nodes, 2, Set.of(UUID.randomUUID(), UUID.randomUUID()), 1).incremental())
                .as("more handed over than a round takes").isFalse();

        memory.remember(nodes, List.of(tooBig), plan, true, false);
        assertThat(memory.window(nodes, 3, Set.of(), 100).incremental()).isTrue();
        memory.forget();
        assertThat(memory.window(nodes, 4, Set.of(), 100).incremental()).isFalse();
    }

    @Test
    void fullLoadsThatFindNothingNewBackOffToThirtySecondsAndAChangeResetsThem() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PlacementPlan none = new PlacementPlan(List.of(), List.of());
        long t = 0;
        memory.window(nodes, t, Set.of(), 100);
        memory.remember(nodes, List.of(), none, true, false);
        long every = RoundMemory.FULL_LOAD_EVERY_NANOS * 2; // the first full load found nothing either
        for (int i = 0; i < 5; i++) {
            assertThat(memory.window(nodes, t + every - 1, Set.of(), 100).incremental()).isTrue();
            t += every;
            assertThat(memory.window(nodes, t, Set.of(), 100).incremental()).as("full load %d", i).isFalse();
            memory.remember(nodes, List.of(), none, true, false);
            every = Math.min(every * 2, RoundMemory.FULL_LOAD_AT_MOST_EVERY_NANOS);
        }
        assertThat(every).isEqualTo(RoundMemory.FULL_LOAD_AT_MOST_EVERY_NANOS);
        memory.window(List.of(node(4)), t + 1, Set.of(), 100); // the cluster changed
        memory.remember(List.of(node(4)), List.of(), none, true, false);
        assertThat(memory.window(List.of(node(4)), t + 1 + 2 * RoundMemory.FULL_LOAD_EVERY_NANOS, Set.of(), 100).incremental())
                .as("back to 5 s, doubled once for the empty load at the change").isFalse();
    }

    @Test
    void aFullLoadThatMeetsOnlyHandedOverJobsStillBacksOff() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PendingJob justCreated = job(1_000, 8);
        PendingJob foreign = job(2_000, 8);
        memory.window(nodes, 0, Set.of(justCreated.jobUuid()), 100);
        memory.remember(nodes, List.of(justCreated), PlacementPipeline.standard().place(nodes, List.of(justCreated)), true, false);
        long next = 2 * RoundMemory.FULL_LOAD_EVERY_NANOS;
        assertThat(memory.window(nodes, next - 1, Set.of(), 100).incremental()).as("backed off to 10 s").isTrue();
        assertThat(memory.window(nodes, next, Set.of(), 100).incremental()).isFalse();
        memory.remember(nodes, List.of(foreign), PlacementPipeline.standard().place(nodes, List.of(foreign)), true, false);
        assertThat(memory.window(nodes, next + RoundMemory.FULL_LOAD_EVERY_NANOS, Set.of(), 100).incremental())
                .as("a job nobody handed over resets it to 5 s").isFalse();
    }
}
