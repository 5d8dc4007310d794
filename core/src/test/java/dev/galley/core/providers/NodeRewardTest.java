package dev.galley.core.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.RunStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRewardTest {
    static final Epoch WEEK = EpochSchedule.WEEKLY.epochAt(Instant.parse("2026-03-04T12:00:00Z"));
    static final BigDecimal RTX_4090 = new BigDecimal("1.00");
    static final BigDecimal RTX_5090 = new BigDecimal("1.81");
    static final long HOUR_MS = 3_600_000;

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void dispersed_worked_example_rtx_4090_online_all_week_working_half_of_it() {
        Instant start = WEEK.startsAt();
        EpochHours hours = EpochHours.of(WEEK,
                List.of(new NodeStatusSpan(NodeStatus.ONLINE, WEEK.interval())),
                List.of(new RunPhaseSpan(RunStatus.RUNNING, new Interval(start, start.plus(Duration.ofHours(84))))));
        NodeReward r = NodeReward.of(hours, RTX_4090, RewardRates.DEFAULT);
        assertThat(r.assignableHours()).isEqualTo(d("168.000000"));
        assertThat(r.workedHours()).isEqualTo(d("84.000000"));
        assertThat(r.availabilityReward()).isEqualTo(d("6.000000"));
        assertThat(r.executionReward()).isEqualTo(d("5.000000"));
        assertThat(r.preparationReward()).isEqualTo(d("0.000000"));
        assertThat(r.total()).isEqualTo(d("11.000000"));
        assertThat(r.multiplier()).isEqualTo(d("1.00"));
    }

    @Test
    void offline_half_the_epoch_earns_half_the_availability_reward() {
        Instant half = WEEK.startsAt().plus(Duration.ofHours(84));
        EpochHours hours = EpochHours.of(WEEK, List.of(
                new NodeStatusSpan(NodeStatus.ONLINE, new Interval(WEEK.startsAt(), half)),
                new NodeStatusSpan(NodeStatus.OFFLINE, new Interval(half, WEEK.endsAt()))), List.of());
        NodeReward r = NodeReward.of(hours, RTX_4090, RewardRates.DEFAULT);
        assertThat(r.availabilityReward()).isEqualTo(d("3.000000"));
        assertThat(r.total()).isEqualTo(d("3.000000"));
    }

    @Test
    void a_short_epoch_pays_per_hour_to_six_decimals() {
        // A one-hour epoch (GALLEY_EPOCH_LENGTH=PT1H): ONLINE 45 min, RUNNING 20 min, PREPARING 5 min, an RTX 5090.
        EpochHours hours = new EpochHours(45 * 60_000, 20 * 60_000, 5 * 60_000);
        NodeReward r = NodeReward.of(hours, RTX_5090, RewardRates.DEFAULT);
        assertThat(r.assignableHours()).isEqualTo(d("0.750000"));
        assertThat(r.workedHours()).isEqualTo(d("0.333333"));
        assertThat(r.prepHours()).isEqualTo(d("0.083333"));
        assertThat(r.availabilityReward()).isEqualTo(d("0.026786")); // 6 × 0.75 / 168 = 0.0267857…
        assertThat(r.executionReward()).isEqualTo(d("0.035913")); // 10 × 1.81 × (1/3) / 168 = 0.0359126…
        assertThat(r.preparationReward()).isEqualTo(d("0.000992")); // 2 × (1/12) / 168 = 0.000992063…
        assertThat(r.total()).isEqualTo(d("0.063691"));
    }

    @Test
    void rates_are_per_hour_so_a_whole_short_epoch_earns_its_share_of_a_week() {
        NodeReward r = NodeReward.of(new EpochHours(HOUR_MS, HOUR_MS, HOUR_MS), RTX_4090, RewardRates.DEFAULT);
        assertThat(r.availabilityReward()).isEqualTo(d("0.035714")); // 6 / 168
        assertThat(r.executionReward()).isEqualTo(d("0.059524")); // 10 / 168
        assertThat(r.preparationReward()).isEqualTo(d("0.011905")); // 2 / 168
    }

    @Test
    void amounts_come_from_exact_milliseconds_rounded_once_half_even() {
        // A rate of 0.6048 a week is 1e-9 per millisecond: 500 ms is exactly half a millionth.
        RewardRates rates = new RewardRates(d("0.6048"), d("0.6048"), d("0.6048"), RewardMultipliers.CPU_ONLY);
        assertThat(NodeReward.of(new EpochHours(500, 0, 0), RTX_4090, rates).availabilityReward()).isEqualTo(d("0.000000"));
        assertThat(NodeReward.of(new EpochHours(1500, 0, 0), RTX_4090, rates).availabilityReward()).isEqualTo(d("0.000002"));
        assertThat(NodeReward.of(new EpochHours(2500, 0, 0), RTX_4090, rates).availabilityReward()).isEqualTo(d("0.000002"));
        assertThat(NodeReward.of(new EpochHours(2501, 0, 0), RTX_4090, rates).availabilityReward()).isEqualTo(d("0.000003"));
    }

    @Test
    void the_total_is_the_sum_of_the_rounded_parts() {
        for (long ms = 1; ms < 5_000_000; ms += 99_991) {
            NodeReward r = NodeReward.of(new EpochHours(ms, ms / 3, ms / 7), RTX_5090, RewardRates.DEFAULT);
            assertThat(r.total()).isEqualTo(r.availabilityReward().add(r.executionReward()).add(r.preparationReward()));
            assertThat(r.total().scale()).isEqualTo(6);
        }
    }

    @Test
    void the_multiplier_scales_only_the_execution_reward() {
        EpochHours hours = new EpochHours(168 * HOUR_MS, 168 * HOUR_MS, 168 * HOUR_MS);
        NodeReward cpuOnly = NodeReward.of(hours, RewardMultipliers.CPU_ONLY, RewardRates.DEFAULT);
        NodeReward fast = NodeReward.of(hours, RTX_5090, RewardRates.DEFAULT);
        assertThat(cpuOnly.executionReward()).isEqualTo(d("2.300000"));
        assertThat(fast.executionReward()).isEqualTo(d("18.100000"));
        assertThat(cpuOnly.availabilityReward()).isEqualTo(fast.availabilityReward()).isEqualTo(d("6.000000"));
        assertThat(cpuOnly.preparationReward()).isEqualTo(fast.preparationReward()).isEqualTo(d("2.000000"));
    }

    @Test
    void configured_rates_replace_the_defaults() {
        RewardRates rates = new RewardRates(d("12"), d("0"), d("1.5"), RewardMultipliers.CPU_ONLY);
        NodeReward r = NodeReward.of(new EpochHours(84 * HOUR_MS, 84 * HOUR_MS, 84 * HOUR_MS), RTX_4090, rates);
        assertThat(r.availabilityReward()).isEqualTo(d("6.000000"));
        assertThat(r.executionReward()).isEqualTo(d("0.000000"));
        assertThat(r.preparationReward()).isEqualTo(d("0.750000"));
        assertThatThrownBy(() -> new RewardRates(d("-1"), d("10"), d("2"), RewardMultipliers.CPU_ONLY))
                .hasMessageContaining("availability rate must be >= 0");
        assertThatThrownBy(() -> NodeReward.of(new EpochHours(0, 0, 0), d("-0.5"), RewardRates.DEFAULT))
                .hasMessageContaining("multiplier");
    }
}
