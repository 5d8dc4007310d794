package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeteringTest {
    static final Instant START = Instant.parse("2026-05-01T10:00:00.250Z");
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration TTL = Duration.ofSeconds(30);
    static final BigDecimal PRICE = new BigDecimal("0.854000");

    static MeterReading running(Instant meteredUntil, Instant now, Instant lastSeen) {
        return new MeterReading(START, meteredUntil, null, false, lastSeen, TTL, now, HOUR, PRICE);
    }

    static MeterReading ended(Instant meteredUntil, Instant end, Instant lastSeen, Instant now) {
        return new MeterReading(START, meteredUntil, end, false, lastSeen, TTL, now, HOUR, PRICE);
    }

    @Test
    void aShortRunIsOneRecordOfItsSecondsRoundedUp() {
        Instant end = START.plusMillis(12_345);
        MeterStep step = Metering.step(ended(START, end, end, end.plusSeconds(1)));
        assertThat(step.closed()).isTrue();
        assertThat(step.meteredUntil()).isEqualTo(end);
        assertThat(step.periods()).singleElement().satisfies(p -> {
            assertThat(p.start()).isEqualTo(START);
            assertThat(p.end()).isEqualTo(end);
            assertThat(p.seconds()).isEqualTo(13);
            assertThat(p.amount()).isEqualByComparingTo("0.003084"); // 13 × 0.854 / 3600 = 0.0030838…
        });
    }

    @Test
    void aRunThatEndsOnTheSecondIsBilledExactly() {
        Instant end = START.plusSeconds(90);
        assertThat(Metering.step(ended(START, end, end, end)).periods()).singleElement()
                .satisfies(p -> assertThat(p.seconds()).isEqualTo(90));
    }

    @Test
    void aZeroLengthRunClosesWithoutARecord() {
        MeterStep step = Metering.step(ended(START, START, START, START.plusSeconds(5)));
        assertThat(step.periods()).isEmpty();
        assertThat(step.closed()).isTrue();
        assertThat(step.isEmpty()).as("closing the meter is still something to write").isFalse();
    }

    @Test
    void aRunningRunIsCutAtEveryFullPeriodFromItsStart() {
        Instant now = START.plus(Duration.ofMinutes(185)); // 3 h 5 min in
        MeterStep step = Metering.step(running(START, now, now.minusSeconds(2)));
        assertThat(step.closed()).isFalse();
        assertThat(step.periods()).hasSize(3).allSatisfy(p -> {
            assertThat(p.seconds()).isEqualTo(3600);
            assertThat(p.amount()).isEqualByComparingTo(PRICE);
        });
        assertThat(step.periods().get(2).end()).isEqualTo(START.plus(Duration.ofHours(3)));
        assertThat(step.meteredUntil()).isEqualTo(START.plus(Duration.ofHours(3)));
        // Idempotent: reading again at the same moment closes nothing.
        assertThat(Metering.step(running(step.meteredUntil(), now, now)).isEmpty()).isTrue();
    }

    @Test
    void aPeriodIsClosedOnlyOnceTheNodeHasHeartbeatedPastItsEnd() {
        Instant cut = START.plus(HOUR);
        Instant now = cut.plusSeconds(3);
        assertThat(Metering.step(running(START, now, cut.minusMillis(1))).isEmpty()).as("no heartbeat since the cut").isTrue();
        assertThat(Metering.step(running(START, now, cut)).periods()).hasSize(1);
    }

    @Test
    void theLastPeriodOfALongRunIsItsRemainder() {
        Instant end = START.plus(Duration.ofMinutes(150)).plusMillis(1);
        MeterStep first = Metering.step(running(START, START.plus(Duration.ofMinutes(130)), START.plus(Duration.ofMinutes(130))));
        assertThat(first.periods()).hasSize(2);
        MeterStep last = Metering.step(ended(first.meteredUntil(), end, end, end.plusSeconds(2)));
        assertThat(last.periods()).singleElement().satisfies(p -> {
            assertThat(p.start()).isEqualTo(START.plus(Duration.ofHours(2)));
            assertThat(p.seconds()).isEqualTo(30 * 60 + 1);
        });
        assertThat(last.closed()).isTrue();
    }

    @Test
    void aLostRunIsChargedUpToTheNodesLastHeartbeat() {
        Instant heartbeat = START.plusSeconds(600).plusMillis(400);
        Instant lost = heartbeat.plus(TTL).plusMillis(300);
        MeterReading r = new MeterReading(START, START, lost, true, heartbeat, TTL, lost.plusSeconds(1), HOUR, PRICE);
        MeterStep step = Metering.step(r);
        assertThat(step.periods()).singleElement().satisfies(p -> {
            assertThat(p.end()).isEqualTo(heartbeat);
            assertThat(p.seconds()).isEqualTo(601);
        });
        assertThat(step.closed()).isTrue();
    }

    @Test
    void aLostNodeThatCameBackIsChargedNoFurtherThanTheLossMinusTheTtl() {
        Instant lost = START.plusSeconds(600);
        Instant cameBack = lost.plusSeconds(20);
        assertThat(Metering.nodeLostEnd(lost, cameBack, TTL)).isEqualTo(lost.minus(TTL));
        assertThat(Metering.nodeLostEnd(lost, lost.minusSeconds(31), TTL)).isEqualTo(lost.minusSeconds(31));
        MeterReading r = new MeterReading(START, START, lost, true, cameBack, TTL, cameBack, HOUR, PRICE);
        assertThat(Metering.step(r).periods()).singleElement().satisfies(p -> assertThat(p.seconds()).isEqualTo(570));
    }

    @Test
    void aLostRunWhoseNodeNeverHeartbeatedSinceItStartedCostsNothing() {
        Instant lost = START.plusSeconds(40);
        MeterReading r = new MeterReading(START, START, lost, true, START.minusSeconds(5), TTL, lost, HOUR, PRICE);
        MeterStep step = Metering.step(r);
        assertThat(step.periods()).isEmpty();
        assertThat(step.closed()).isTrue();
    }

    @Test
    void whatIsAlreadyChargedIsNeverUndone() {
        // A cut closed with a heartbeat at the cut; the run is then lost with that very heartbeat as its last.
        Instant cut = START.plus(HOUR);
        MeterReading r = new MeterReading(START, cut, cut.plus(TTL).plusSeconds(1), true, cut, TTL, cut.plusSeconds(40), HOUR, PRICE);
        MeterStep step = Metering.step(r);
        assertThat(step.periods()).isEmpty();
        assertThat(step.meteredUntil()).isEqualTo(cut);
        assertThat(step.closed()).isTrue();
    }

    @Test
    void aLongOutageIsCaughtUpInBoundedSteps() {
        Duration second = Duration.ofSeconds(1);
        Instant now = START.plusSeconds(2_500);
        MeterReading r = new MeterReading(START, START, null, false, now, TTL, now, second, PRICE);
        MeterStep first = Metering.step(r);
        assertThat(first.periods()).hasSize(Metering.MAX_PERIODS_PER_STEP);
        MeterStep second2 = Metering.step(new MeterReading(START, first.meteredUntil(), null, false, now, TTL, now, second, PRICE));
        assertThat(second2.periods()).hasSize(Metering.MAX_PERIODS_PER_STEP);
        assertThat(second2.periods().getFirst().start()).isEqualTo(first.meteredUntil());
        // An ended run capped mid-way is not closed until its remainder is recorded.
        MeterStep endedCapped = Metering.step(new MeterReading(START, START, now, false, now, TTL, now, second, PRICE));
        assertThat(endedCapped.closed()).isFalse();
    }

    @Test
    void previewChargesTheOpenPeriodAsIfTheRunEndedNowWithoutClosingAnything() {
        Instant now = START.plus(Duration.ofMinutes(90));
        MeterStep preview = Metering.preview(running(START.plus(HOUR), now, now));
        assertThat(preview.periods()).singleElement().satisfies(p -> assertThat(p.seconds()).isEqualTo(1800));
        assertThat(preview.amount()).isEqualByComparingTo("0.427");
    }

    @Test
    void periodsMustBeWholeSecondsFromOneSecondToOneDay() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(1500), Duration.ofDays(2), Duration.ofSeconds(-1), null}) {
            assertThatThrownBy(() -> Metering.requireValidPeriod(bad)).as("%s", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Metering.requireValidPeriod(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Metering.requireValidPeriod(Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> new MeterReading(START, START.minusMillis(1), null, false, START, TTL, START, HOUR, PRICE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MeterReading(START, START, null, true, START, TTL, START, HOUR, PRICE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void amountsAreSecondsTimesPriceOverThirtySixHundred() {
        assertThat(Metering.amount(3600, new BigDecimal("2.5"))).isEqualByComparingTo("2.5");
        assertThat(Metering.amount(1, new BigDecimal("0.35"))).isEqualByComparingTo("0.000097"); // 0.0000972…
        assertThat(Metering.amount(0, new BigDecimal("99"))).isEqualByComparingTo("0");
        assertThat(Metering.billableSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(Metering.billableSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(Metering.billableSeconds(Duration.ofNanos(3_000_000_001L))).isEqualTo(4);
    }

    /**
     * Random runs metered by a closer that wakes at random moments while the node heartbeats with random gaps:
     * the periods recorded tile the run exactly (no gap, no overlap), full periods last exactly the period, the seconds
     * add up to the running time rounded up, nothing is ever charged past the node's last heartbeat or past "now",
     * and a reading right after a step closes nothing.
     */
    @Test
    void randomRunsAreTiledExactlyByTheirPeriods() {
        Random random = new Random(20_260_501L);
        int lost = 0;
        int multiPeriod = 0;
        for (int run = 0; run < 2_000; run++) {
            Duration period = Duration.ofSeconds(1 + random.nextInt(random.nextBoolean() ? 10 : 3_600));
            Instant start = START.plusMillis(random.nextInt(1_000_000));
            long lengthMs = random.nextInt(10) == 0 ? 0 : (long) (random.nextDouble() * period.toMillis() * (1 + random.nextInt(6)));
            Instant end = start.plusMillis(lengthMs);
            boolean nodeLost = random.nextInt(4) == 0;
            // Heartbeats every 0.5–6 s; a lost node stops heartbeating somewhere in the run.
            Instant silentFrom = nodeLost ? start.plusMillis((long) (random.nextDouble() * (lengthMs + 1))) : null;
            Instant lostAt = nodeLost ? silentFrom.plus(TTL).plusMillis(random.nextInt(2_000)) : null;
            Instant endedAt = nodeLost ? lostAt : end;
            BigDecimal price = new BigDecimal(random.nextInt(5_000_000)).movePointLeft(6);

            List<UsagePeriod> recorded = new ArrayList<>();
            Instant metered = start;
            Instant now = start;
            Instant lastSeen = start.minusMillis(random.nextInt(3_000));
            boolean closed = false;
            for (int pass = 0; pass < 100_000 && !closed; pass++) {
                now = now.plusMillis(200 + random.nextInt(period.toMillis() > 10_000 ? 900_000 : 5_000));
                Instant hb = lastSeen;
                while (hb.plusMillis(500).isBefore(now)) {
                    Instant next = hb.plusMillis(500 + random.nextInt(5_500));
                    if (next.isAfter(now) || (silentFrom != null && next.isAfter(silentFrom))) break;
                    hb = next;
                }
                lastSeen = hb;
                boolean over = !now.isBefore(endedAt);
                MeterReading r = new MeterReading(start, metered, over ? endedAt : null, over && nodeLost, lastSeen, TTL, now,
                        period, price);
                MeterStep step = Metering.step(r);
                for (UsagePeriod p : step.periods()) {
                    assertThat(p.end()).as("never past now").isBeforeOrEqualTo(now);
                    if (!over || nodeLost) assertThat(p.end()).as("never past the last heartbeat").isBeforeOrEqualTo(lastSeen);
                    assertThat(p.amount()).isEqualByComparingTo(Metering.amount(p.seconds(), price));
                }
                recorded.addAll(step.periods());
                metered = step.meteredUntil();
                closed = step.closed();
                MeterReading again = new MeterReading(start, metered, r.endedAt(), r.nodeLost(), lastSeen, TTL, now, period, price);
                assertThat(Metering.step(again).periods()).as("idempotent").isEmpty();
            }
            assertThat(closed).as("run %d closes", run).isTrue();

            Instant chargedUntil = recorded.isEmpty() ? start : recorded.getLast().end();
            Instant cursor = start;
            long seconds = 0;
            for (int i = 0; i < recorded.size(); i++) {
                UsagePeriod p = recorded.get(i);
                assertThat(p.start()).as("contiguous, no overlap").isEqualTo(cursor);
                assertThat(p.end()).isAfter(p.start());
                if (i < recorded.size() - 1) assertThat(Duration.between(p.start(), p.end())).isEqualTo(period);
                if (Duration.between(p.start(), p.end()).equals(period)) assertThat(p.seconds()).isEqualTo(period.getSeconds());
                cursor = p.end();
                seconds += p.seconds();
            }
            assertThat(seconds).isEqualTo(Metering.billableSeconds(Duration.between(start, chargedUntil)));
            if (nodeLost) {
                lost++;
                assertThat(chargedUntil).isBeforeOrEqualTo(lostAt).isBeforeOrEqualTo(silentFrom.isAfter(start) ? silentFrom : start);
            } else {
                assertThat(chargedUntil).as("a run is charged to its end").isEqualTo(end);
            }
            if (recorded.size() > 1) multiPeriod++;
        }
        assertThat(lost).isGreaterThan(300);
        assertThat(multiPeriod).as("the generator exercises cuts").isGreaterThan(500);
    }
}
