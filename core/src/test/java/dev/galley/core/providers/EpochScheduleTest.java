package dev.galley.core.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EpochScheduleTest {

    @Test
    void weekly_epochs_run_from_sunday_midnight_utc_to_the_next() {
        Epoch e = EpochSchedule.WEEKLY.epochAt(Instant.parse("2026-03-04T15:30:00Z")); // a Wednesday
        assertThat(e.startsAt()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(e.endsAt()).isEqualTo(Instant.parse("2026-03-08T00:00:00Z"));
        assertThat(e.startsAt().atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
        assertThat(EpochSchedule.SUNDAY_ORIGIN.atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    }

    @Test
    void an_epoch_holds_its_start_but_not_its_end() {
        Instant sunday = Instant.parse("2026-03-08T00:00:00Z");
        assertThat(EpochSchedule.WEEKLY.epochAt(sunday).startsAt()).isEqualTo(sunday);
        assertThat(EpochSchedule.WEEKLY.epochAt(sunday.minusMillis(1)).endsAt()).isEqualTo(sunday);
        Epoch e = EpochSchedule.WEEKLY.epochAt(sunday);
        assertThat(EpochSchedule.WEEKLY.following(e).startsAt()).isEqualTo(e.endsAt());
        assertThat(EpochSchedule.WEEKLY.preceding(e).endsAt()).isEqualTo(e.startsAt());
        assertThat(EpochSchedule.WEEKLY.epoch(e.index())).isEqualTo(e);
    }

    @Test
    void a_configured_length_is_anchored_at_the_same_origin() {
        EpochSchedule tenMinutes = EpochSchedule.ofLength(Duration.ofMinutes(10));
        Epoch e = tenMinutes.epochAt(Instant.parse("2026-03-04T15:37:12.345Z"));
        assertThat(e.startsAt()).isEqualTo(Instant.parse("2026-03-04T15:30:00Z"));
        assertThat(e.endsAt()).isEqualTo(Instant.parse("2026-03-04T15:40:00Z"));
        // A length that does not divide a day still gives back-to-back epochs from the origin.
        EpochSchedule odd = EpochSchedule.ofLength(Duration.ofSeconds(7));
        Epoch o = odd.epochAt(Instant.parse("2026-03-04T15:37:12Z"));
        assertThat(Duration.between(EpochSchedule.SUNDAY_ORIGIN, o.startsAt()).toSeconds() % 7).isZero();
        assertThat(o.interval().contains(Instant.parse("2026-03-04T15:37:12Z"))).isTrue();
    }

    @Test
    void instants_before_the_origin_fall_in_negative_epochs() {
        Epoch e = EpochSchedule.WEEKLY.epochAt(Instant.parse("1970-01-01T00:00:00Z"));
        assertThat(e.index()).isEqualTo(-1);
        assertThat(e.startsAt()).isEqualTo(Instant.parse("1969-12-28T00:00:00Z"));
    }

    @Test
    void the_length_setting_takes_fixed_iso_durations_only() {
        assertThat(EpochSchedule.parseLength("P1W")).isEqualTo(Duration.ofDays(7));
        assertThat(EpochSchedule.parseLength("p2w")).isEqualTo(Duration.ofDays(14));
        assertThat(EpochSchedule.parseLength("P7D")).isEqualTo(Duration.ofDays(7));
        assertThat(EpochSchedule.parseLength(" PT1H ")).isEqualTo(Duration.ofHours(1));
        assertThat(EpochSchedule.parseLength("PT90S")).isEqualTo(Duration.ofSeconds(90));
        for (String bad : new String[] {"P1M", "P1Y", "1h", "", "PT", "week"}) {
            assertThatThrownBy(() -> EpochSchedule.parseLength(bad)).as(bad)
                    .hasMessageContaining("GALLEY_EPOCH_LENGTH").hasMessageContaining("ISO-8601");
        }
        assertThatThrownBy(() -> EpochSchedule.parseLength("PT0.5S")).hasMessageContaining("from PT1S to PT8784H");
        assertThatThrownBy(() -> EpochSchedule.parseLength("-PT1H")).hasMessageContaining("from PT1S");
        assertThatThrownBy(() -> EpochSchedule.parseLength("P400D")).hasMessageContaining("PT8784H");
        assertThatThrownBy(() -> EpochSchedule.parseLength("PT1.0005S")).hasMessageContaining("whole milliseconds");
        assertThatThrownBy(() -> EpochSchedule.parseLength(null)).hasMessageContaining("GALLEY_EPOCH_LENGTH");
    }

    @Test
    void status_follows_the_clock_and_the_finalization_fact() {
        Epoch e = EpochSchedule.ofLength(Duration.ofHours(1)).epochAt(Instant.parse("2026-03-04T15:10:00Z"));
        assertThat(EpochStatus.of(e, e.startsAt(), false)).isEqualTo(EpochStatus.ACTIVE);
        assertThat(EpochStatus.of(e, e.endsAt().minusMillis(1), false)).isEqualTo(EpochStatus.ACTIVE);
        assertThat(EpochStatus.of(e, e.endsAt(), false)).isEqualTo(EpochStatus.FINALIZING);
        assertThat(EpochStatus.of(e, e.endsAt().plusSeconds(86_400), false)).isEqualTo(EpochStatus.FINALIZING);
        assertThat(EpochStatus.of(e, e.endsAt().plusSeconds(60), true)).isEqualTo(EpochStatus.FINALIZED);
    }

    @Test
    void an_epoch_is_finalizable_a_settle_time_after_its_end() {
        Epoch e = EpochSchedule.WEEKLY.epochAt(Instant.parse("2026-03-04T00:00:00Z"));
        assertThat(e.finalizableAt(Duration.ofMinutes(5))).isEqualTo(Instant.parse("2026-03-08T00:05:00Z"));
        assertThatThrownBy(() -> e.finalizableAt(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void every_replica_names_the_same_epoch_with_the_same_uuid() {
        Instant t = Instant.parse("2026-03-04T00:00:00Z");
        Epoch a = EpochSchedule.WEEKLY.epochAt(t);
        Epoch b = new EpochSchedule(EpochSchedule.SUNDAY_ORIGIN, Duration.ofDays(7)).epochAt(t.plusSeconds(3600));
        assertThat(a.uuid()).isEqualTo(b.uuid());
        assertThat(EpochSchedule.WEEKLY.following(a).uuid()).isNotEqualTo(a.uuid());
        assertThat(EpochSchedule.ofLength(Duration.ofDays(1)).epochAt(a.startsAt()).uuid())
                .as("a different stretch of time from the same start").isNotEqualTo(a.uuid());
    }

    @Test
    void schedules_refuse_unusable_lengths() {
        assertThatThrownBy(() -> EpochSchedule.ofLength(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpochSchedule.ofLength(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpochSchedule.ofLength(Duration.ofDays(367))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpochSchedule.ofLength(Duration.ofNanos(1_000_000_001L)))
                .hasMessageContaining("whole milliseconds");
    }
}
