package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CpuTimesTest {

    private static String fixture(String name) throws IOException {
        return FakeMachine.resource("/proc/" + name);
    }

    @Test
    void readsTheWholeMachineLineAndCountsTheCores() throws IOException {
        // Recorded on a 2-CPU VM: cpu  1198256 0 350719 178790 2687 0 9622 0 0 0
        CpuTimes t = CpuTimes.parse(fixture("stat-2cpu-a.txt"));
        assertThat(t.cores()).isEqualTo(2);
        assertThat(t.totalTicks()).isEqualTo(1198256L + 350719 + 178790 + 2687 + 9622);
        assertThat(t.busyTicks()).isEqualTo(1198256L + 350719 + 9622);
    }

    @Test
    void cpuUseIsTheBusyShareOfTheTicksBetweenTwoReadings() throws IOException {
        CpuTimes a = CpuTimes.parse(fixture("stat-2cpu-a.txt"));
        CpuTimes b = CpuTimes.parse(fixture("stat-2cpu-b.txt"));
        // busy +278+119+1 = 398, idle +2+2 = 4, of 402 ticks two seconds apart on a loaded machine
        assertThat(b.percentSince(a)).isEqualTo(99.0);
        assertThat(CpuTimes.parse("cpu  100 0 100 800 0 0 0 0 0 0\n").percentSince(CpuTimes.parse("cpu  0 0 0 0 0 0 0 0 0 0\n")))
                .isEqualTo(20.0);
        assertThat(CpuTimes.parse("cpu  1 0 0 2 0\n").percentSince(CpuTimes.parse("cpu  0 0 0 0 0\n"))).as("one decimal").isEqualTo(33.3);
    }

    @Test
    void stealCountsAsBusyAndGuestIsNotCountedTwice() {
        CpuTimes zero = CpuTimes.parse("cpu  0 0 0 0 0 0 0 0 0 0\n");
        // user 50 (of which guest 50), idle 25, steal 25
        assertThat(CpuTimes.parse("cpu  50 0 0 25 0 0 0 25 50 0\n").percentSince(zero)).isEqualTo(75.0);
        assertThat(CpuTimes.parse("cpu  0 0 0 50 50 0 0 0 0 0\n").percentSince(zero)).as("iowait is idle").isEqualTo(0.0);
    }

    @Test
    void oldKernelsWithFourCountersAreEnough() {
        CpuTimes t = CpuTimes.parse("cpu  3357 0 4313 1362393\ncpu0 3357 0 4313 1362393\nintr 1462898\n");
        assertThat(t).isEqualTo(new CpuTimes(3357 + 4313, 3357 + 4313 + 1362393, 1));
    }

    @Test
    void noTicksOrCountersGoingBackwardsGiveNoPercentage() throws IOException {
        CpuTimes a = CpuTimes.parse(fixture("stat-2cpu-a.txt"));
        assertThat(a.percentSince(a)).isNull();
        assertThat(a.percentSince(CpuTimes.parse(fixture("stat-2cpu-b.txt")))).isNull();
        assertThat(new CpuTimes(10, 100, 1).percentSince(new CpuTimes(20, 50, 1))).as("busy went down").isNull();
    }

    @Test
    void somethingThatIsNotProcStatIsRefused() {
        assertThatThrownBy(() -> CpuTimes.parse("")).hasMessageContaining("no cpu line");
        assertThatThrownBy(() -> CpuTimes.parse("cpu  1 2 3\n")).hasMessageContaining("at least 4");
        assertThatThrownBy(() -> CpuTimes.parse("cpu  1 2 x 4\n")).hasMessageContaining("'x'");
    }
}
