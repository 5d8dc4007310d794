package dev.galley.core.providers;

import static dev.galley.core.providers.ReputationEffect.COMPLETED;
import static dev.galley.core.providers.ReputationEffect.NEUTRAL;
import static dev.galley.core.providers.ReputationEffect.NODE_FAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The formula's promises, over many random histories (fixed seed, so a failure reproduces). */
class ReputationTest {
    static final ReputationParameters P = ReputationParameters.DEFAULT;
    static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
    static final long DAY = 86_400_000L;

    record History(List<RunOutcome> outcomes, List<Interval> online) {
        History with(RunOutcome o) {
            List<RunOutcome> more = new ArrayList<>(outcomes);
            more.add(o);
            return new History(more, online);
        }

        History withOnline(Interval i) {
            List<Interval> more = new ArrayList<>(online);
            more.add(i);
            return new History(outcomes, more);
        }

        double score() {
            return Reputation.of(outcomes, online, NOW, P);
        }

        double unrounded() {
            return Reputation.unrounded(Reputation.evidence(outcomes, online, NOW, P), NOW, P);
        }
    }

    static Instant daysAgo(double days) {
        return NOW.minusMillis((long) (days * DAY));
    }

    static History randomHistory(Random r) {
        List<RunOutcome> outcomes = new ArrayList<>();
        ReputationEffect[] effects = ReputationEffect.values();
        for (int n = r.nextInt(40); n > 0; n--) outcomes.add(new RunOutcome(daysAgo(r.nextDouble() * 60), effects[r.nextInt(3)]));
        List<Interval> online = new ArrayList<>();
        for (int n = r.nextInt(5); n > 0; n--) {
            Instant start = daysAgo(r.nextDouble() * 60);
            online.add(new Interval(start, start.plusMillis((long) (r.nextDouble() * 10 * DAY))));
        }
        return new History(outcomes, online);
    }

    @Test
    void a_new_node_starts_at_fifty() {
        assertThat(Reputation.of(List.of(), List.of(), NOW, P)).isEqualTo(50.0).isEqualTo(Reputation.NEW_NODE);
        assertThat(Reputation.score(ReputationState.fresh(NOW.minusSeconds(3600)), NOW, P)).isEqualTo(50.0);
        assertThat(Reputation.of(List.of(new RunOutcome(daysAgo(1), NEUTRAL)), List.of(), NOW, P))
                .as("a run that says nothing about the node").isEqualTo(50.0);
    }

    @Test
    void the_examples_in_docs_providers_md() {
        List<Interval> week = List.of(new Interval(daysAgo(7), NOW));
        assertThat(Reputation.of(List.of(), week, NOW, P)).isEqualTo(66.78);
        assertThat(Reputation.of(List.of(new RunOutcome(NOW, NODE_FAULT)), week, NOW, P)).isEqualTo(52.75);
        assertThat(Reputation.of(Collections.nCopies(10, new RunOutcome(NOW, COMPLETED)), week, NOW, P)).isEqualTo(80.04);
        assertThat(Reputation.of(List.of(new RunOutcome(NOW, NODE_FAULT)), List.of(), NOW, P)).isEqualTo(35.71);
        assertThat(Reputation.of(List.of(), List.of(new Interval(daysAgo(1_000), NOW)), NOW, P)).isEqualTo(75.12);
    }

    @Test
    void a_node_that_loses_runs_falls_below_one_that_completes_them() {
        List<Interval> online = List.of(new Interval(daysAgo(14), NOW));
        List<RunOutcome> completes = new ArrayList<>();
        List<RunOutcome> loses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            completes.add(new RunOutcome(daysAgo(i), COMPLETED));
            loses.add(new RunOutcome(daysAgo(i), i % 2 == 0 ? NODE_FAULT : COMPLETED));
        }
        double good = Reputation.of(completes, online, NOW, P);
        double bad = Reputation.of(loses, online, NOW, P);
        assertThat(good).isGreaterThan(50);
        assertThat(bad).isLessThan(good).isLessThan(50);
        assertThat(Reputation.of(List.of(new RunOutcome(daysAgo(1), NODE_FAULT)), List.of(), NOW, P)).isLessThan(50);
    }

    @Test
    void more_completions_never_lower_it_and_a_recent_fault_always_lowers_it() {
        var random = new Random(20_260_304L);
        for (int round = 0; round < 2_000; round++) {
            History h = randomHistory(random);
            Instant when = daysAgo(random.nextDouble() * 30);
            assertThat(h.with(new RunOutcome(when, COMPLETED)).score()).isGreaterThanOrEqualTo(h.score());
            assertThat(h.with(new RunOutcome(when, COMPLETED)).unrounded()).isGreaterThan(h.unrounded());
            assertThat(h.with(new RunOutcome(when, NODE_FAULT)).score()).isLessThanOrEqualTo(h.score());
            assertThat(h.with(new RunOutcome(daysAgo(random.nextDouble()), NODE_FAULT)).score())
                    .as("a fault within the last day moves the rounded score").isLessThan(h.score());
            assertThat(h.with(new RunOutcome(when, NEUTRAL)).unrounded()).isEqualTo(h.unrounded());
        }
    }

    @Test
    void more_time_online_never_lowers_it() {
        var random = new Random(7);
        for (int round = 0; round < 1_000; round++) {
            History h = randomHistory(random);
            Instant start = daysAgo(random.nextDouble() * 30);
            Interval more = new Interval(start, start.plusMillis((long) (random.nextDouble() * 3 * DAY)));
            assertThat(h.withOnline(more).unrounded()).isGreaterThanOrEqualTo(h.unrounded());
        }
        assertThat(Reputation.of(List.of(), List.of(new Interval(daysAgo(7), NOW)), NOW, P)).isGreaterThan(60);
    }

    @Test
    void old_events_weigh_less_than_recent_ones() {
        var random = new Random(11);
        for (int round = 0; round < 1_000; round++) {
            History h = randomHistory(random);
            double a = random.nextDouble() * 30;
            double b = a + 0.5 + random.nextDouble() * 30; // b is older
            assertThat(h.with(new RunOutcome(daysAgo(b), COMPLETED)).unrounded())
                    .isLessThan(h.with(new RunOutcome(daysAgo(a), COMPLETED)).unrounded());
            assertThat(h.with(new RunOutcome(daysAgo(b), NODE_FAULT)).unrounded())
                    .isGreaterThan(h.with(new RunOutcome(daysAgo(a), NODE_FAULT)).unrounded());
        }
        // A fault a week ago costs half as much evidence as one now, and a node that stops failing recovers.
        List<RunOutcome> faults = Collections.nCopies(5, new RunOutcome(daysAgo(0), NODE_FAULT));
        double right = Reputation.of(faults, List.of(), NOW, P);
        double weekLater = Reputation.of(faults, List.of(), NOW.plus(Duration.ofDays(7)), P);
        double monthsLater = Reputation.of(faults, List.of(), NOW.plus(Duration.ofDays(90)), P);
        assertThat(right).isLessThan(weekLater);
        assertThat(weekLater).isLessThan(monthsLater);
        assertThat(monthsLater).isCloseTo(50.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Reputation.evidence(faults, List.of(), NOW, P).bad()).isEqualTo(5 * P.faultWeight());
        assertThat(Reputation.evidence(faults, List.of(), NOW, P).decayedTo(NOW.plus(Duration.ofDays(7)), P).bad())
                .isCloseTo(2.5 * P.faultWeight(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void it_stays_within_zero_and_one_hundred() {
        var random = new Random(3);
        for (int round = 0; round < 2_000; round++) assertThat(randomHistory(random).score()).isBetween(0.0, 100.0);
        assertThat(Reputation.of(Collections.nCopies(100_000, new RunOutcome(NOW, COMPLETED)), List.of(), NOW, P)).isLessThanOrEqualTo(100.0);
        assertThat(Reputation.of(Collections.nCopies(100_000, new RunOutcome(NOW, NODE_FAULT)), List.of(), NOW, P)).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void events_after_now_do_not_count_yet() {
        assertThat(Reputation.of(List.of(new RunOutcome(NOW.plusSeconds(60), NODE_FAULT)),
                List.of(new Interval(NOW.plusSeconds(60), NOW.plusSeconds(3600))), NOW, P)).isEqualTo(50.0);
    }

    @Test
    void carrying_the_state_forward_event_by_event_gives_the_same_score_as_the_whole_history() {
        var random = new Random(5);
        for (int round = 0; round < 500; round++) {
            History h = randomHistory(random);
            // In time order, as a server would see them: each outcome when its run ends, online time when it ends.
            record Step(Instant at, RunOutcome outcome, Interval online) {}
            List<Step> steps = new ArrayList<>();
            h.outcomes().forEach(o -> steps.add(new Step(o.at(), o, null)));
            Intervals.union(h.online()).forEach(i -> steps.add(new Step(i.end().isAfter(NOW) ? NOW : i.end(), null,
                    new Interval(i.start(), i.end().isAfter(NOW) ? NOW : i.end()))));
            steps.sort(java.util.Comparator.comparing(Step::at));
            ReputationState s = ReputationState.fresh(daysAgo(90));
            for (Step step : steps) s = step.outcome() != null ? s.with(step.outcome(), P) : s.withOnline(step.online(), P);
            assertThat(Reputation.unrounded(s, NOW, P)).isCloseTo(h.unrounded(), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void node_faults_are_losses_start_timeouts_and_failed_pulls_of_public_images() {
        assertThat(ReputationEffect.of(RunStatus.COMPLETED, null, false)).isEqualTo(COMPLETED);
        assertThat(ReputationEffect.of(RunStatus.FAILED, ReasonCode.NODE_LOST, false)).isEqualTo(NODE_FAULT);
        assertThat(ReputationEffect.of(RunStatus.FAILED, ReasonCode.START_TIMEOUT, true)).isEqualTo(NODE_FAULT);
        assertThat(ReputationEffect.of(RunStatus.FAILED, ReasonCode.IMAGE_PULL_FAILED, false)).isEqualTo(NODE_FAULT);
        assertThat(ReputationEffect.of(RunStatus.FAILED, ReasonCode.IMAGE_PULL_FAILED, true))
                .as("wrong registry credentials are the job's doing").isEqualTo(NEUTRAL);
        for (ReasonCode code : List.of(ReasonCode.EXIT_NONZERO, ReasonCode.RUN_TIMEOUT, ReasonCode.CANCELLED_BY_USER)) {
            assertThat(ReputationEffect.of(RunStatus.FAILED, code, false)).as(code.name()).isEqualTo(NEUTRAL);
        }
        assertThat(ReputationEffect.of(RunStatus.FAILED, null, false)).isEqualTo(NEUTRAL);
        assertThat(ReputationEffect.of(RunStatus.CANCELLED, ReasonCode.NODE_LOST, false)).isEqualTo(NEUTRAL);
    }

    @Test
    void parameters_refuse_values_that_would_break_the_bounds() {
        assertThatThrownBy(() -> new ReputationParameters(Duration.ZERO, 5, 4, 1)).hasMessageContaining("half-life");
        assertThatThrownBy(() -> new ReputationParameters(Duration.ofDays(7), 0, 4, 1)).hasMessageContaining("prior");
        assertThatThrownBy(() -> new ReputationParameters(Duration.ofDays(7), 5, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReputationParameters(Duration.ofDays(7), 5, 4, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evidenceCarriedForwardFromAStoredStateEqualsTheWholeHistorysEvidence() {
        Random r = new Random(20261129);
        for (int n = 0; n < 500; n++) {
            History h = randomHistory(r);
            Instant cut = daysAgo(r.nextDouble() * 60);
            ReputationState stored = Reputation.evidence(h.outcomes(), h.online(), cut, P);
            ReputationState forward = Reputation.carriedForward(stored, h.outcomes(), h.online(), NOW, P);
            ReputationState whole = Reputation.evidence(h.outcomes(), h.online(), NOW, P);
            assertThat(forward.good()).isCloseTo(whole.good(), org.assertj.core.data.Offset.offset(1e-9 * (1 + whole.good())));
            assertThat(forward.bad()).isCloseTo(whole.bad(), org.assertj.core.data.Offset.offset(1e-9 * (1 + whole.bad())));
            assertThat(forward.asOf()).isEqualTo(NOW);
        }
    }

    @Test
    void carryingForwardAStateThatIsAlreadyCurrentChangesNothing() {
        ReputationState s = new ReputationState(3.5, 1.25, NOW);
        ReputationState same = Reputation.carriedForward(s, List.of(new RunOutcome(NOW, COMPLETED)),
                List.of(new Interval(daysAgo(2), NOW)), NOW, P);
        assertThat(same).isEqualTo(s);
    }
}
