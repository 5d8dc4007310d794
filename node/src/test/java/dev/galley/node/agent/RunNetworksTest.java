package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.node.runtime.ManagedNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which networks a starting agent collects: only its runs' networks whose container is gone. */
class RunNetworksTest {
    private static final String NODE = "00000000-0000-4000-8000-00000000000a";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant HOUR_AGO = NOW.minus(Duration.ofHours(1));

    private static ManagedNetwork networkOf(String run, Instant created) {
        return new ManagedNetwork(RunNetworks.nameFor(run), run, NODE, created);
    }

    @Test
    void eachRunHasItsOwnName() {
        assertThat(RunNetworks.nameFor("7d1c2f3a-0000-4000-8000-000000000001")).isEqualTo("galley-run-7d1c2f3a-0000-4000-8000-000000000001");
        assertThat(RunNetworks.nameFor("a")).isNotEqualTo(RunNetworks.nameFor("b"));
    }

    @Test
    void theNetworkOfARunWithoutAContainerIsCollected() {
        List<ManagedNetwork> networks = List.of(networkOf("gone", HOUR_AGO), networkOf("alive", HOUR_AGO));
        assertThat(RunNetworks.toCollect(networks, Set.of("alive"), NOW)).containsExactly(RunNetworks.nameFor("gone"));
    }

    @Test
    void aNetworkJustMadeIsLeftForTheAgentThatIsAboutToStartItsContainer() {
        Instant justNow = NOW.minusSeconds(5);
        assertThat(RunNetworks.toCollect(List.of(networkOf("new", justNow)), Set.of(), NOW)).isEmpty();
        Instant oldEnough = NOW.minus(RunNetworks.MIN_AGE_TO_COLLECT);
        assertThat(RunNetworks.toCollect(List.of(networkOf("old", oldEnough)), Set.of(), NOW)).hasSize(1);
    }

    @Test
    void aNetworkWithoutACreationTimeIsJudgedByItsContainerAlone() {
        assertThat(RunNetworks.toCollect(List.of(networkOf("x", null)), Set.of(), NOW)).containsExactly(RunNetworks.nameFor("x"));
        assertThat(RunNetworks.toCollect(List.of(networkOf("x", null)), Set.of("x"), NOW)).isEmpty();
    }

    @Test
    void networksGalleyDidNotNameForTheirRunAreNeverTouched() {
        List<ManagedNetwork> networks = List.of(
                new ManagedNetwork("podman", null, null, HOUR_AGO),
                new ManagedNetwork("team-net", "some-run", NODE, HOUR_AGO),
                new ManagedNetwork(RunNetworks.nameFor("a"), "b", NODE, HOUR_AGO),
                new ManagedNetwork("galley-run-orphan", null, NODE, HOUR_AGO));
        assertThat(RunNetworks.toCollect(networks, Set.of(), NOW)).isEmpty();
    }
}
