package dev.galley.core.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntervalsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    static Interval iv(long fromMin, long toMin) {
        return new Interval(T0.plusSeconds(60 * fromMin), T0.plusSeconds(60 * toMin));
    }

    @Test
    void union_merges_overlapping_and_touching_intervals_and_drops_empty_ones() {
        assertThat(Intervals.union(List.of(iv(30, 40), iv(0, 10), iv(5, 20), iv(20, 25), iv(50, 50))))
                .containsExactly(iv(0, 25), iv(30, 40));
        assertThat(Intervals.union(List.of())).isEmpty();
        assertThat(Intervals.union(List.of(iv(0, 60), iv(10, 20)))).containsExactly(iv(0, 60));
    }

    @Test
    void intersection_keeps_only_time_in_both_sets() {
        assertThat(Intervals.intersection(List.of(iv(0, 10), iv(20, 40)), List.of(iv(5, 25), iv(35, 60))))
                .containsExactly(iv(5, 10), iv(20, 25), iv(35, 40));
        assertThat(Intervals.intersection(List.of(iv(0, 10)), List.of(iv(10, 20)))).as("touching is not overlapping").isEmpty();
        assertThat(Intervals.clip(List.of(iv(-10, 5), iv(50, 70)), iv(0, 60))).containsExactly(iv(0, 5), iv(50, 60));
    }

    @Test
    void total_counts_overlapping_time_once() {
        assertThat(Intervals.totalMillis(List.of(iv(0, 30), iv(0, 30), iv(15, 45)))).isEqualTo(45 * 60_000L);
    }

    @Test
    void up_to_gives_an_open_interval_now_as_its_end() {
        Instant now = T0.plusSeconds(600);
        assertThat(Interval.upTo(T0, null, now)).isEqualTo(new Interval(T0, now));
        assertThat(Interval.upTo(T0, T0.plusSeconds(60), now)).isEqualTo(iv(0, 1));
        assertThat(Interval.upTo(now.plusSeconds(5), null, now).isEmpty()).as("not started yet").isTrue();
        assertThatThrownBy(() -> new Interval(T0.plusSeconds(1), T0)).hasMessageContaining("ends before it starts");
    }

    @Test
    void random_sets_agree_with_a_minute_by_minute_count() {
        var random = new Random(42);
        for (int round = 0; round < 500; round++) {
            List<Interval> a = randomSet(random);
            List<Interval> b = randomSet(random);
            long inA = 0;
            long inBoth = 0;
            for (int minute = 0; minute < 200; minute++) {
                Instant t = T0.plusSeconds(60L * minute);
                boolean x = a.stream().anyMatch(i -> i.contains(t));
                boolean y = b.stream().anyMatch(i -> i.contains(t));
                if (x) inA++;
                if (x && y) inBoth++;
            }
            assertThat(Intervals.totalMillis(a)).isEqualTo(inA * 60_000);
            assertThat(Intervals.totalMillis(Intervals.intersection(a, b))).isEqualTo(inBoth * 60_000);
            List<Interval> union = Intervals.union(a);
            for (int i = 1; i < union.size(); i++) assertThat(union.get(i).start()).isAfter(union.get(i - 1).end());
        }
    }

    private static List<Interval> randomSet(Random random) {
        List<Interval> set = new ArrayList<>();
        for (int n = random.nextInt(6); n > 0; n--) {
            int from = random.nextInt(190);
            set.add(iv(from, Math.min(200, from + random.nextInt(40))));
        }
        return set;
    }
}
