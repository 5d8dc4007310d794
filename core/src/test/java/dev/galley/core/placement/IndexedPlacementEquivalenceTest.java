package dev.galley.core.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape groups and the CPU-only fit index are shortcuts: on every random snapshot they must give
 * exactly the plan that scanning every node gives, placements and explanations alike.
 */
class IndexedPlacementEquivalenceTest {
    @Test
    void theIndexedSearchesPlaceExactlyAsAFullScan() {
        var random = new Random(7_357L);
        int placed = 0;
        for (int round = 0; round < 400; round++) {
            List<NodeSnapshot> nodes = new ArrayList<>(PlacementInvariantsTest.randomNodes(random, 1 + random.nextInt(40)));
            // Duplicate some nodes' hardware under new uuids, so shapes really group several nodes.
            int copies = random.nextInt(20);
            for (int i = 0; i < copies; i++) {
                NodeSnapshot n = nodes.get(random.nextInt(nodes.size()));
                // Copies of one node that differ only by reputation (from a few values, so some tie): the indexed
                // searches must rank them as the scan does.
                nodes.add(new NodeSnapshot(java.util.UUID.randomUUID(), n.regionCode(), n.status(), n.cpuCores(),
                        n.ramGb(), n.storageGb(), n.gpus(), n.held(), 25 * random.nextInt(5)));
            }
            List<PendingJob> jobs = PlacementInvariantsTest.randomJobs(random, 1 + random.nextInt(60), nodes);
            PlacementPlan fast = PlacementPipeline.standard().place(nodes, jobs);
            PlacementPlan reference = PlacementPipeline.unindexed().place(nodes, jobs);
            assertThat(fast.placements()).as("round %d", round).isEqualTo(reference.placements());
            assertThat(fast.unplaced()).as("round %d", round).isEqualTo(reference.unplaced());
            placed += fast.placements().size();
        }
        assertThat(placed).as("the generator places plenty").isGreaterThan(1_000);
    }
}
