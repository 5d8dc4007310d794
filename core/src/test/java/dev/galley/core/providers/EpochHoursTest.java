package dev.galley.core.providers;

import static dev.galley.core.lifecycle.NodeStatus.DRAINING;
import static dev.galley.core.lifecycle.NodeStatus.OFFLINE;
import static dev.galley.core.lifecycle.NodeStatus.ONLINE;
import static dev.galley.core.lifecycle.RunStatus.ASSIGNED;
import static dev.galley.core.lifecycle.RunStatus.PREPARING;
import static dev.galley.core.lifecycle.RunStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.RunStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochHoursTest {
    /** A one-hour epoch, 15:00–16:00 UTC; times below are minutes from its start. */
    static final Epoch HOUR = EpochSchedule.ofLength(Duration.ofHours(1)).epochAt(Instant.parse("2026-03-04T15:20:00Z"));
    static final long MIN = 60_000;

    static Instant at(long minute) {
        return HOUR.startsAt().plusSeconds(60 * minute);
    }

    static NodeStatusSpan status(NodeStatus s, long from, long to) {
        return new NodeStatusSpan(s, new Interval(at(from), at(to)));
    }

    static RunPhaseSpan phase(RunStatus s, long from, long to) {
        return new RunPhaseSpan(s, new Interval(at(from), at(to)));
    }

    @Test
    void a_node_online_for_the_whole_epoch_was_assignable_all_of_it() {
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, -600, 600)), List.of());
        assertThat(h).isEqualTo(new EpochHours(60 * MIN, 0, 0));
        assertThat(h.assignableHours()).isEqualByComparingTo("1").hasToString("1.000000");
    }

    @Test
    void offline_half_the_epoch_is_half_the_assignable_time() {
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, -5, 30), status(OFFLINE, 30, 90)), List.of());
        assertThat(h.assignableMs()).isEqualTo(30 * MIN);
        assertThat(h.assignableHours()).isEqualByComparingTo("0.5");
    }

    @Test
    void draining_is_not_assignable_but_its_runs_still_count_as_work() {
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, 0, 20), status(DRAINING, 20, 60)),
                List.of(phase(RUNNING, 10, 50)));
        assertThat(h.assignableMs()).isEqualTo(20 * MIN);
        assertThat(h.workedMs()).isEqualTo(40 * MIN);
    }

    @Test
    void concurrent_runs_count_once_so_worked_time_never_exceeds_the_epoch() {
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, 0, 60)), List.of(
                phase(RUNNING, 0, 40), phase(RUNNING, 10, 30), phase(RUNNING, 30, 60), phase(RUNNING, 0, 60)));
        assertThat(h.workedMs()).isEqualTo(60 * MIN);
        EpochHours gaps = EpochHours.of(HOUR, List.of(status(ONLINE, 0, 60)), List.of(
                phase(RUNNING, 0, 10), phase(RUNNING, 5, 15), phase(RUNNING, 40, 45)));
        assertThat(gaps.workedMs()).isEqualTo(20 * MIN);
    }

    @Test
    void preparing_is_prep_time_and_other_phases_count_for_nothing() {
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, 0, 60)), List.of(
                phase(ASSIGNED, 0, 2), phase(PREPARING, 2, 7), phase(RUNNING, 7, 30),
                phase(PREPARING, 20, 25))); // a second run pulling while the first runs
        assertThat(h.prepMs()).isEqualTo(10 * MIN);
        assertThat(h.workedMs()).isEqualTo(23 * MIN);
    }

    @Test
    void everything_is_clipped_to_the_epoch() {
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, -120, 45), status(ONLINE, 50, 200)),
                List.of(phase(RUNNING, -30, 10), phase(PREPARING, 55, 70)));
        assertThat(h).isEqualTo(new EpochHours(55 * MIN, 10 * MIN, 5 * MIN));
        assertThat(EpochHours.of(HOUR, List.of(status(ONLINE, 60, 120)), List.of(phase(RUNNING, 60, 90))))
                .as("the epoch's end belongs to the next one").isEqualTo(new EpochHours(0, 0, 0));
    }

    @Test
    void runs_count_only_while_the_node_was_up() {
        // The node went silent at minute 30; its run's end was recorded at minute 45 (NODE_LOST).
        EpochHours h = EpochHours.of(HOUR, List.of(status(ONLINE, 0, 30), status(OFFLINE, 30, 60)),
                List.of(phase(RUNNING, 10, 45)));
        assertThat(h.workedMs()).isEqualTo(20 * MIN);
        assertThat(EpochHours.of(HOUR, List.of(), List.of(phase(RUNNING, 0, 60)))).as("no status history: not up")
                .isEqualTo(new EpochHours(0, 0, 0));
    }

    @Test
    void an_open_span_ends_now_through_interval_up_to() {
        Instant now = at(25);
        EpochHours h = EpochHours.of(HOUR, List.of(new NodeStatusSpan(ONLINE, Interval.upTo(at(-3), null, now))),
                List.of(new RunPhaseSpan(RUNNING, Interval.upTo(at(5), null, now))));
        assertThat(h).isEqualTo(new EpochHours(25 * MIN, 20 * MIN, 0));
    }

    @Test
    void hours_are_rounded_half_even_to_six_decimals() {
        assertThat(EpochHours.hours(20 * MIN)).isEqualTo(new BigDecimal("0.333333"));
        assertThat(EpochHours.hours(40 * MIN)).isEqualTo(new BigDecimal("0.666667"));
        assertThat(EpochHours.hours(0)).isEqualTo(new BigDecimal("0.000000"));
        assertThat(EpochHours.hours(168 * 60 * MIN)).isEqualTo(new BigDecimal("168.000000"));
    }
}
