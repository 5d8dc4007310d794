package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageSummaryTest {
    static UsageGroup group(String key, long seconds, String amount) {
        return new UsageGroup(key, seconds, new BigDecimal(amount), 1);
    }

    static final UsageGroup TOTALS = new UsageGroup(null, 60, new BigDecimal("6"), 4);

    @Test
    void daysComeInCalendarOrder() {
        var s = UsageSummary.of(UsageGrouping.DAY, List.of(group("2026-05-03", 10, "5"), group("2026-05-01", 20, "0.5"),
                group("2026-05-02", 30, "0.5")), TOTALS, 100);
        assertThat(s.groups()).extracting(UsageGroup::key).containsExactly("2026-05-01", "2026-05-02", "2026-05-03");
        assertThat(s.truncated()).isFalse();
        assertThat(s.totalAmount()).isEqualByComparingTo("6");
    }

    @Test
    void jobsAndGpusComeLargestAmountFirstTiesByKeyCpuOnlyLast() {
        var s = UsageSummary.of(UsageGrouping.GPU_NAME, List.of(group(null, 1, "1"), group("NVIDIA H100", 1, "3"),
                group("NVIDIA A10", 1, "1"), group("Tesla T4", 1, "1")), TOTALS, 100);
        assertThat(s.groups()).extracting(UsageGroup::key).containsExactly("NVIDIA H100", "NVIDIA A10", "Tesla T4", null);
    }

    @Test
    void aSummaryCutAtItsLimitSaysSoAndKeepsTheTotalsOfEverything() {
        var s = UsageSummary.of(UsageGrouping.JOB, List.of(group("a", 1, "1"), group("b", 1, "3"), group("c", 1, "2")), TOTALS, 2);
        assertThat(s.groups()).extracting(UsageGroup::key).containsExactly("b", "c");
        assertThat(s.truncated()).isTrue();
        assertThat(s.totals()).isEqualTo(TOTALS);
        assertThatThrownBy(() -> UsageSummary.of(UsageGrouping.JOB, List.of(), TOTALS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageSummary.of(UsageGrouping.JOB, List.of(), TOTALS, 1001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupingsHaveTheSpecsWireNames() {
        assertThat(UsageGrouping.fromWire("day")).contains(UsageGrouping.DAY);
        assertThat(UsageGrouping.fromWire("job")).contains(UsageGrouping.JOB);
        assertThat(UsageGrouping.fromWire("gpu_name")).contains(UsageGrouping.GPU_NAME);
        assertThat(UsageGrouping.fromWire("gpu")).isEmpty();
        assertThat(UsageGrouping.wireNames()).isEqualTo("day, job, gpu_name");
        assertThat(group("x", 1, "1").plus(group("x", 2, "2"))).isEqualTo(new UsageGroup("x", 3, new BigDecimal("3"), 2));
    }
}
