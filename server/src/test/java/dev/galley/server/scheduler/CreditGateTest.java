package dev.galley.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.placement.GpuModelRequirement;
import dev.galley.core.placement.PendingJob;
import dev.galley.core.placement.RunRequirements;
import dev.galley.core.placement.RunSlots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduler's credit gate: which jobs it holds, how many balance reads it costs, when it says credit returned. */
class CreditGateTest {
    final UUID poor = UUID.randomUUID();
    final UUID rich = UUID.randomUUID();
    final Map<UUID, String> withoutCredit = new HashMap<>();
    final List<Collection<UUID>> reads = new ArrayList<>();
    final List<Map<UUID, String>> written = new ArrayList<>();
    final CreditGate gate = new CreditGate(accounts -> {
        reads.add(Set.copyOf(accounts));
        var out = new HashMap<UUID, String>();
        accounts.forEach(a -> { if (withoutCredit.containsKey(a)) out.put(a, withoutCredit.get(a)); });
        return out;
    }, reasons -> written.add(Map.copyOf(reasons)));

    static SnapshotLoader.Waiting job(UUID account, ReasonCode code, String reason) {
        var req = new RunRequirements(1, 0, GpuModelRequirement.ANY, 0, 0, 0, Set.of());
        return new SnapshotLoader.Waiting(new PendingJob(UUID.randomUUID(), 1, req, new RunSlots.FirstPlacement(1)), account,
                300_000, reason, code);
    }

    @Test
    void nothingWaitingCostsNoRead() {
        var split = gate.split(List.of(), true);
        assertThat(split.placeable()).isEmpty();
        assertThat(reads).isEmpty();
    }

    @Test
    void jobsOfAnAccountWithoutCreditAreHeldWithTheirReasonWrittenOnceInOneReadPerRound() {
        withoutCredit.put(poor, "waiting for credit: 0.000000 USD");
        var held = job(poor, ReasonCode.NO_MATCHING_NODE, "no node");
        var placeable = job(rich, ReasonCode.WAITING_FOR_CAPACITY, "busy");
        var split = gate.split(List.of(held, placeable), true);
        assertThat(split.placeable()).containsExactly(placeable);
        assertThat(split.held()).containsExactly(held);
        assertThat(reads).as("one read for every account of the round").containsExactly(Set.of(poor, rich));
        assertThat(written).containsExactly(Map.of(held.job().jobUuid(), "waiting for credit: 0.000000 USD"));

        // Next round: the job already says why it waits, so nothing is written again.
        var already = new SnapshotLoader.Waiting(held.job(), poor, 300_000, "waiting for credit: 0.000000 USD",
                ReasonCode.INSUFFICIENT_CREDIT);
        gate.split(List.of(already), true);
        assertThat(written).hasSize(1);
        assertThat(reads).hasSize(2);
    }

    @Test
    void aHeldAccountIsWatchedAcrossIncrementalRoundsAndItsCreditReturningIsReported() {
        withoutCredit.put(poor, "waiting for credit");
        gate.split(List.of(job(poor, ReasonCode.NO_MATCHING_NODE, "x")), true);
        // Incremental rounds load no old job, but the held account is still read, in the same one query.
        var quiet = gate.split(List.of(), false);
        assertThat(quiet.creditReturned()).isFalse();
        assertThat(reads.getLast()).containsExactly(poor);
        withoutCredit.clear();
        assertThat(gate.split(List.of(), false).creditReturned()).as("granted meanwhile").isTrue();
        assertThat(gate.split(List.of(), false).creditReturned()).as("said once").isFalse();
        assertThat(reads).hasSize(3);
    }

    @Test
    void aHeldAccountWithNothingWaitingAnyMoreIsDroppedAtAFullLoad() {
        withoutCredit.put(poor, "waiting for credit");
        gate.split(List.of(job(poor, ReasonCode.NO_MATCHING_NODE, "x")), true);
        gate.split(List.of(), true); // its job was cancelled: a full load sees nothing of it
        reads.clear();
        gate.split(List.of(), false);
        assertThat(reads).as("no account left to watch, no read").isEmpty();
    }
}
