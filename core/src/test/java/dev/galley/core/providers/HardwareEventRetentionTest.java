package dev.galley.core.providers;

import static dev.galley.core.providers.HardwareEventRetention.Verdict.EXPIRED;
import static dev.galley.core.providers.HardwareEventRetention.Verdict.KEEP;
import static dev.galley.core.providers.HardwareEventRetention.Verdict.TOO_SOON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HardwareEventRetentionTest {
    static final HardwareEventRetention R = HardwareEventRetention.DEFAULT;
    static final long NOW = 1_767_225_600_000L;
    static final long S = 1_000;

    @Test
    void defaults_are_one_a_minute_for_a_week() {
        assertThat(R.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(R.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(HardwareEventRetention.fromSettings(null, null)).isEqualTo(R);
        assertThat(HardwareEventRetention.fromSettings("PT5M", "P30D"))
                .isEqualTo(new HardwareEventRetention(Duration.ofMinutes(5), Duration.ofDays(30)));
    }

    @Test
    void the_first_sample_of_a_node_is_kept() {
        assertThat(R.decide(null, NOW - 5 * S, NOW)).isEqualTo(new HardwareEventRetention.Decision(KEEP, NOW - 5 * S));
    }

    @Test
    void at_most_one_sample_per_interval_is_kept_and_repeats_are_dropped() {
        long last = NOW - 30 * S;
        assertThat(R.decide(last, last, NOW).verdict()).as("the same sample again").isEqualTo(TOO_SOON);
        assertThat(R.decide(last, last + 59_999, NOW + 60 * S).verdict()).isEqualTo(TOO_SOON);
        assertThat(R.decide(last, last + 60 * S, NOW + 60 * S).verdict()).isEqualTo(KEEP);
        assertThat(R.decide(last, last - 120 * S, NOW).verdict()).as("older than the newest stored").isEqualTo(TOO_SOON);
    }

    @Test
    void a_sample_from_the_future_is_stored_when_it_arrived() {
        var d = R.decide(null, NOW + Duration.ofDays(365).toMillis(), NOW);
        assertThat(d).isEqualTo(new HardwareEventRetention.Decision(KEEP, NOW));
        // ... so it cannot block the samples after it.
        assertThat(R.decide(d.timestampMs(), NOW + 61 * S, NOW + 61 * S).verdict()).isEqualTo(KEEP);
    }

    @Test
    void a_sample_already_past_the_retention_is_not_stored() {
        long tooOld = NOW - Duration.ofDays(7).toMillis() - 1;
        assertThat(R.decide(null, tooOld, NOW)).isEqualTo(new HardwareEventRetention.Decision(EXPIRED, tooOld));
        assertThat(R.decide(null, tooOld + 1, NOW).verdict()).isEqualTo(KEEP);
    }

    @Test
    void the_sweep_deletes_what_is_older_than_the_retention() {
        assertThat(R.cutoffMs(NOW)).isEqualTo(NOW - 7 * 86_400 * S);
        assertThat(R.isExpired(R.cutoffMs(NOW) - 1, NOW)).isTrue();
        assertThat(R.isExpired(R.cutoffMs(NOW), NOW)).isFalse();
    }

    @Test
    void heartbeats_every_five_seconds_keep_one_sample_a_minute() {
        // The agent samples every 60 s and sends its latest sample with every heartbeat (every 5 s).
        List<Long> samples = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        for (long t = 0; t < 3_600 * S; t += 5 * S) {
            samples.add(NOW + (t / (60 * S)) * 60 * S + 150); // sampling takes a little while
            received.add(NOW + t + 900);
        }
        List<Long> kept = R.keep(null, samples, received);
        assertThat(kept).hasSize(60);
        for (int i = 1; i < kept.size(); i++) assertThat(kept.get(i) - kept.get(i - 1)).isEqualTo(60 * S);
    }

    @Test
    void kept_samples_are_always_at_least_an_interval_apart_and_never_after_their_arrival() {
        var random = new Random(17);
        for (int round = 0; round < 500; round++) {
            List<Long> samples = new ArrayList<>();
            List<Long> received = new ArrayList<>();
            long t = NOW;
            for (int i = 0; i < 50; i++) {
                t += random.nextInt(90) * S;
                received.add(t);
                samples.add(t + (random.nextInt(200) - 150) * S); // clocks behind and ahead
            }
            List<Long> kept = R.keep(null, samples, received);
            assertThat(kept).isNotEmpty();
            for (int i = 1; i < kept.size(); i++) assertThat(kept.get(i) - kept.get(i - 1)).isGreaterThanOrEqualTo(60 * S);
            assertThat(kept.getLast()).isLessThanOrEqualTo(received.getLast());
        }
    }

    @Test
    void settings_are_checked() {
        assertThatThrownBy(() -> HardwareEventRetention.fromSettings("PT0.5S", null)).hasMessageContaining("GALLEY_TELEMETRY_INTERVAL");
        assertThatThrownBy(() -> HardwareEventRetention.fromSettings(null, "P1M")).hasMessageContaining("GALLEY_TELEMETRY_RETENTION");
        assertThatThrownBy(() -> HardwareEventRetention.fromSettings("PT2H", "PT1H")).hasMessageContaining("retention");
        assertThatThrownBy(() -> new HardwareEventRetention(Duration.ofMillis(10), Duration.ofDays(1))).hasMessageContaining("at least 1 s");
    }
}
