package dev.galley.core.placement;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundMemoryTest {
    private static NodeSnapshot node(int cpu) {
        return new NodeSnapshot(new UUID(0, 1), "eu-west-1", true, cpu, 16, 100, List.of(), HeldResources.NONE);
    }

    private static PendingJob job(long createdAtMs, int cpu) {
        var req = new RunRequirements(cpu, 0, GpuModelRequirement.ANY, 0, 0, 0, Set.of());
        return new PendingJob(UUID.randomUUID(), createdAtMs, req, new RunSlots.FirstPlacement(1));
    }

    @Test
    void aMissIsSkippedWhileTheStateIsTheOneTheRoundLeftAndRecentJobsOnlyAreLoaded() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PendingJob fits = job(1_000, 1);
        PendingJob tooBig = job(2_000, 8);
        RoundMemory.JobWindow first = memory.window(nodes, 0);
        assertThat(first.createdAfterMs()).as("the first round loads everything").isNull();
        PlacementPlan plan = PlacementPipeline.standard().place(nodes, List.of(fits, tooBig));
        memory.remember(nodes, List.of(fits, tooBig), plan, true);

        List<NodeSnapshot> afterPlan = RoundMemory.after(nodes, List.of(fits, tooBig), plan);
        RoundMemory.JobWindow next = memory.window(afterPlan, 1_000_000);
        assertThat(next.skip()).containsExactly(tooBig.jobUuid());
        assertThat(next.createdAfterMs()).isEqualTo(2_000 - RoundMemory.LATE_COMMIT_WINDOW_MS);
        assertThat(memory.window(afterPlan, RoundMemory.FULL_LOAD_EVERY_NANOS + 2_000_000).createdAfterMs())
                .as("a full load every 5 s").isNull();
    }

    @Test
    void anyOtherChangeForgetsTheMisses() {
        var memory = new RoundMemory();
        List<NodeSnapshot> nodes = List.of(node(2));
        PendingJob tooBig = job(1_000, 8);
        memory.window(nodes, 0);
        memory.remember(nodes, List.of(tooBig), PlacementPipeline.standard().place(nodes, List.of(tooBig)), true);
        RoundMemory.JobWindow grown = memory.window(List.of(node(16)), 1);
        assertThat(grown.skip()).isEmpty();
        assertThat(grown.createdAfterMs()).isNull();
        memory.remember(nodes, List.of(tooBig), PlacementPipeline.standard().place(nodes, List.of(tooBig)), false);
        assertThat(memory.window(nodes, 2).skip()).as("a partly applied plan leaves no trusted state").isEmpty();
    }
}
