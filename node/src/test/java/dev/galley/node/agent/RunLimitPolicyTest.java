package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.node.runtime.ContainerLimits;
import org.junit.jupiter.api.Test;

/** What limits a run's container gets: the job's own, or the node's per-run defaults (spec §8). */
class RunLimitPolicyTest {
    private static final long GB = 1024L * 1024 * 1024;
    private final RunLimitPolicy policy = new RunLimitPolicy(2 * GB, 1.5, 4096, 16);

    @Test
    void aJobThatSaysNothingGetsTheDefaultsNeverNoLimit() {
        assertThat(policy.limitsFor(0, 0)).isEqualTo(new ContainerLimits(1.5, 2 * GB, 4096));
    }

    @Test
    void aJobThatAsksGetsWhatItAskedFor() {
        assertThat(policy.limitsFor(4, 1.5)).isEqualTo(new ContainerLimits(4, 3 * GB / 2, 4096));
        assertThat(policy.limitsFor(1, 0.125).memoryBytes()).isEqualTo(GB / 8);
        assertThat(policy.limitsFor(0, 64).memoryBytes()).as("more than the default is fine").isEqualTo(64 * GB);
    }

    @Test
    void theCpuLimitNeverExceedsTheHostsRealCores() {
        // A node advertising simulated cores (--extra-cpu) may be given a job asking for more than it has.
        assertThat(policy.limitsFor(64, 1).cpus()).isEqualTo(16);
        assertThat(new RunLimitPolicy(GB, 4, 100, 2).limitsFor(0, 0).cpus()).as("nor does the default").isEqualTo(2);
    }

    @Test
    void aTinyMemoryRequestStillGetsAStartableContainer() {
        assertThat(policy.limitsFor(1, 0.000001).memoryBytes()).isEqualTo(ContainerLimits.MIN_MEMORY_BYTES);
    }

    @Test
    void thePidsLimitIsTheSameForEveryRun() {
        assertThat(policy.limitsFor(8, 32).pidsLimit()).isEqualTo(4096);
        assertThat(policy.limitsFor(0, 0).pidsLimit()).isEqualTo(4096);
    }

    @Test
    void theDefaultsAreOneGigabyteOneCpuAnd4096Processes() {
        assertThat(RunLimitPolicy.defaults(8).limitsFor(0, 0)).isEqualTo(new ContainerLimits(1, GB, 4096));
    }

    @Test
    void nonsensicalDefaultsAreRefused() {
        assertThatThrownBy(() -> new RunLimitPolicy(0, 1, 1, 1)).hasMessageContaining("6 MiB");
        assertThatThrownBy(() -> new RunLimitPolicy(GB, 0, 1, 1)).hasMessageContaining("CPUs");
        assertThatThrownBy(() -> new RunLimitPolicy(GB, Double.NaN, 1, 1)).hasMessageContaining("CPUs");
        assertThatThrownBy(() -> new RunLimitPolicy(GB, 1, 0, 1)).hasMessageContaining("pids");
        assertThatThrownBy(() -> new RunLimitPolicy(GB, 1, 1, 0)).hasMessageContaining("CPU");
    }
}
