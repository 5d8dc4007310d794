package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.lifecycle.ReasonCode;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WaitReasonHintsTest {
    private static final NodeSnapshot SMALL = new NodeSnapshot(new UUID(0, 1), "eu-west-1", NodeStatus.ONLINE, 2, 16, 100, List.of(), HeldResources.NONE);

    private static RunRequirements cpu(int cores) {
        return new RunRequirements(cores, 0, GpuModelRequirement.ANY, 0, 0, 0, Set.of());
    }

    private static PendingJob first(int cores) {
        return new PendingJob(UUID.randomUUID(), 0, cpu(cores), new RunSlots.FirstPlacement(1));
    }

    @Test
    void aShapeLeftWaitingGivesItsReasonAndAPlacedShapeIsForgotten() {
        var hints = new WaitReasonHints();
        PendingJob tooBig = first(8);
        PendingJob fits = first(1);
        List<PendingJob> jobs = List.of(tooBig, fits);
        PlacementPlan plan = PlacementPipeline.standard().place(List.of(SMALL), jobs);
        hints.learn(jobs, plan);

        var hint = hints.forShape(cpu(8)).orElseThrow();
        assertThat(hint.code()).isEqualTo(ReasonCode.NO_MATCHING_NODE);
        assertThat(hint.reason()).isEqualTo(plan.unplaced().getFirst().reason()).contains("8");
        assertThat(hints.forShape(cpu(1))).as("a shape that was placed").isEmpty();

        // The cluster grew: the next round places the 8-core shape, so new jobs of it no longer get the old reason.
        NodeSnapshot big = new NodeSnapshot(new UUID(0, 2), "eu-west-1", NodeStatus.ONLINE, 16, 64, 100, List.of(), HeldResources.NONE);
        PendingJob again = first(8);
        hints.learn(List.of(again), PlacementPipeline.standard().place(List.of(big), List.of(again)));
        assertThat(hints.forShape(cpu(8))).isEmpty();
    }

    @Test
    void retriesTeachNothing() {
        var hints = new WaitReasonHints();
        var retry = new PendingJob(UUID.randomUUID(), 0, cpu(8),
                new RunSlots.Retries(1, List.of(new RetrySlot(0, 1, Set.of())), Set.of()));
        hints.learn(List.of(retry), PlacementPipeline.standard().place(List.of(SMALL), List.of(retry)));
        assertThat(hints.forShape(cpu(8))).isEmpty();
    }
}
