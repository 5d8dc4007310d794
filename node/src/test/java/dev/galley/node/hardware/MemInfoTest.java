package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MemInfoTest {

    @Test
    void usedIsTotalMinusAvailable() throws IOException {
        // Recorded on a 24 GB VM: MemTotal 24683620 kB, MemAvailable 23628460 kB
        MemInfo m = MemInfo.parse(FakeMachine.resource("/proc/meminfo-24gb.txt"));
        assertThat(m).isEqualTo(new MemInfo(24_683_620, 23_628_460));
        assertThat(m.usedKib()).isEqualTo(1_055_160);
        assertThat(Gigabytes.hundredthsFromKib(m.usedKib())).isEqualTo(1.01);
        assertThat(Gigabytes.hundredthsFromKib(m.totalKib())).isEqualTo(23.54);
    }

    @Test
    void oldKernelsWithoutMemAvailableUseMemFree() {
        assertThat(MemInfo.parse("MemTotal:  2097152 kB\nMemFree:   1048576 kB\nBuffers: 1 kB\n")).isEqualTo(new MemInfo(2_097_152, 1_048_576));
    }

    @Test
    void availableNeverExceedsTotal() {
        assertThat(MemInfo.parse("MemTotal: 100 kB\nMemAvailable: 150 kB\n").usedKib()).isZero();
    }
}
