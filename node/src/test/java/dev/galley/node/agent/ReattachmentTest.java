package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.galley.node.runtime.ContainerRuntime;
import dev.galley.node.runtime.ContainerState;
import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.ManagedNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which containers and networks on a shared engine a starting agent adopts, removes, or leaves alone. */
class ReattachmentTest {
    private static final String ME = "00000000-0000-4000-8000-0000000000a1";
    private static final String OTHER = "00000000-0000-4000-8000-0000000000b2";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant HOUR_AGO = NOW.minus(Duration.ofHours(1));
    private static final String RUN_1 = "11111111-0000-4000-8000-000000000001";
    private static final String RUN_2 = "22222222-0000-4000-8000-000000000002";
    private static final String RUN_3 = "33333333-0000-4000-8000-000000000003";

    /** A running container of {@code run}, labelled with {@code node} (null: an agent from before the label). */
    private static ManagedContainer container(String run, String node) {
        Map<String, String> labels = new HashMap<>();
        labels.put(ContainerRuntime.LABEL_MANAGED, "true");
        if (run != null) labels.put(ContainerRuntime.LABEL_JOB_RUN_UUID, run);
        if (node != null) labels.put(ContainerRuntime.LABEL_NODE_UUID, node);
        String name = "galley-" + run;
        return new ManagedContainer("id-" + run, name, run,
                new ContainerState("id-" + run, name, "running", true, null, HOUR_AGO, null, labels));
    }

    private static ManagedNetwork network(String run, String node) {
        return new ManagedNetwork(RunNetworks.nameFor(run), run, node, HOUR_AGO);
    }

    private static Reattachment.Plan plan(List<ManagedContainer> containers, List<ManagedNetwork> networks, Set<String> placedHere) {
        return Reattachment.plan(ME, containers, networks, placedHere, NOW);
    }

    @Test
    void theNodeLabelDecidesAndBeatsTheServersAnswer() {
        assertThat(Ownership.of(ME, RUN_1, ME, Set.of())).isEqualTo(Ownership.THIS_NODE);
        assertThat(Ownership.of(OTHER, RUN_1, ME, Set.of())).isEqualTo(Ownership.OTHER_NODE);
        assertThat(Ownership.of(OTHER, RUN_1, ME, Set.of(RUN_1))).as("a label is never overruled").isEqualTo(Ownership.OTHER_NODE);
    }

    @Test
    void withoutALabelOnlyTheServerCanMakeAnObjectThisNodes() {
        assertThat(Ownership.of(null, RUN_1, ME, Set.of(RUN_1))).isEqualTo(Ownership.THIS_NODE);
        assertThat(Ownership.of(" ", RUN_1, ME, Set.of(RUN_1))).as("a blank label is no label").isEqualTo(Ownership.THIS_NODE);
        assertThat(Ownership.of(null, RUN_1, ME, Set.of(RUN_2))).isEqualTo(Ownership.UNKNOWN);
        assertThat(Ownership.of(null, RUN_1, ME, Set.of())).as("the server could not be asked").isEqualTo(Ownership.UNKNOWN);
        assertThat(Ownership.of(null, null, ME, Set.of(RUN_1))).isEqualTo(Ownership.UNKNOWN);
    }

    @Test
    void onlyThisNodesContainersAreAdopted() {
        ManagedContainer mine = container(RUN_1, ME);
        ManagedContainer others = container(RUN_2, OTHER);
        ManagedContainer old = container(RUN_3, null);

        Reattachment.Plan plan = plan(List.of(mine, others, old), List.of(), Set.of());

        assertThat(plan.adopt()).containsExactly(mine);
        assertThat(plan.leftAlone()).extracting(Reattachment.LeftAlone::what, Reattachment.LeftAlone::ownership).containsExactlyInAnyOrder(
                tuple("container galley-" + RUN_2, Ownership.OTHER_NODE),
                tuple("container galley-" + RUN_3, Ownership.UNKNOWN));
        assertThat(plan.leftAlone()).filteredOn(l -> l.ownership() == Ownership.UNKNOWN).singleElement()
                .satisfies(l -> assertThat(l.why()).contains("before node labels").contains(RUN_3));
    }

    @Test
    void anUnlabelledContainerIsAdoptedWhenTheServerPlacesItsRunHere() {
        ManagedContainer old = container(RUN_3, null);
        assertThat(plan(List.of(old), List.of(), Set.of(RUN_3)).adopt()).containsExactly(old);
    }

    @Test
    void aContainerOfThisNodeThatNamesNoRunIsLeftAlone() {
        Reattachment.Plan plan = plan(List.of(container(null, ME)), List.of(), Set.of());
        assertThat(plan.adopt()).isEmpty();
        assertThat(plan.leftAlone()).singleElement().satisfies(l -> assertThat(l.why()).contains("names no run"));
    }

    @Test
    void theServerIsAskedOnlyAboutUnlabelledObjectsWithARealRunUuid() {
        List<ManagedContainer> containers = List.of(container(RUN_1, ME), container(RUN_2, OTHER), container(RUN_3, null),
                container("not-a-uuid", null), container("../nodes/x", null), container(null, null));
        String oldNetworkRun = "44444444-0000-4000-8000-000000000004";
        List<ManagedNetwork> networks = List.of(network(oldNetworkRun, null), network(RUN_1, ME),
                new ManagedNetwork("someone-elses-net", "55555555-0000-4000-8000-000000000005", null, HOUR_AGO));

        assertThat(Reattachment.runsToAskTheServerAbout(containers, networks)).containsExactly(RUN_3, oldNetworkRun);
        assertThat(Reattachment.runsToAskTheServerAbout(List.of(container(RUN_1, ME)), List.of(network(RUN_2, OTHER))))
                .as("nothing unlabelled, no question").isEmpty();
    }

    @Test
    void onlyThisNodesNetworksOfRunsWithoutAContainerAreRemoved() {
        List<ManagedNetwork> networks = List.of(network(RUN_1, ME), network(RUN_2, OTHER), network(RUN_3, null));

        assertThat(plan(List.of(), networks, Set.of()).networksToRemove()).containsExactly(RunNetworks.nameFor(RUN_1));
        assertThat(plan(List.of(), networks, Set.of(RUN_3)).networksToRemove())
                .as("an unlabelled one the server places here, too")
                .containsExactlyInAnyOrder(RunNetworks.nameFor(RUN_1), RunNetworks.nameFor(RUN_3));
        assertThat(plan(List.of(), networks, Set.of(RUN_2)).networksToRemove())
                .as("never another node's, whatever the server says").containsExactly(RunNetworks.nameFor(RUN_1));
        assertThat(plan(List.of(), networks, Set.of()).leftAlone()).extracting(Reattachment.LeftAlone::what)
                .containsExactlyInAnyOrder("network " + RunNetworks.nameFor(RUN_2), "network " + RunNetworks.nameFor(RUN_3));
    }

    @Test
    void aNetworkWithAContainerStaysWhoeverTheContainerIs() {
        // Our network, but the engine shows a container of that run under another node's label: hands off.
        Reattachment.Plan plan = plan(List.of(container(RUN_1, OTHER)), List.of(network(RUN_1, ME)), Set.of());
        assertThat(plan.networksToRemove()).isEmpty();
        assertThat(plan.adopt()).isEmpty();
    }

    @Test
    void aYoungNetworkOfThisNodeIsStillLeftForItsRun() {
        ManagedNetwork young = new ManagedNetwork(RunNetworks.nameFor(RUN_1), RUN_1, ME, NOW.minusSeconds(5));
        assertThat(plan(List.of(), List.of(young), Set.of()).networksToRemove()).isEmpty();
    }
}
