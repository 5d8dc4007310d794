package dev.galley.core.lifecycle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.galley.core.lifecycle.RunStatus.ASSIGNED;
import static dev.galley.core.lifecycle.RunStatus.CANCELLED;
import static dev.galley.core.lifecycle.RunStatus.COMPLETED;
import static dev.galley.core.lifecycle.RunStatus.FAILED;
import static dev.galley.core.lifecycle.RunStatus.PREPARING;
import static dev.galley.core.lifecycle.RunStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

class RunStatusTest {
    /** The spec's transitions (§5.1), written out independently of the implementation. Same → same is added below. */
    private static final Map<RunStatus, Set<RunStatus>> LEGAL = Map.of(
            ASSIGNED, EnumSet.of(PREPARING, RUNNING, FAILED, CANCELLED),
            PREPARING, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class));

    static Stream<Arguments> everyPair() {
        return Stream.of(RunStatus.values()).flatMap(from -> Stream.of(RunStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void every_transition_is_legal_exactly_when_the_spec_says_so(RunStatus from, RunStatus to) {
        boolean expected = from == to || LEGAL.get(from).contains(to);
        assertThat(from.canMoveTo(to)).isEqualTo(expected);
    }

    @Test
    void there_are_36_pairs_of_which_10_are_moves_and_6_are_repeats() {
        long legal = everyPair().filter(a -> ((RunStatus) a.get()[0]).canMoveTo((RunStatus) a.get()[1])).count();
        assertThat(everyPair().count()).isEqualTo(36);
        assertThat(legal).isEqualTo(10 + 6);
    }

    @Test
    void final_and_active_statuses() {
        assertThat(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::isFinal))
                .containsExactlyInAnyOrder(COMPLETED, FAILED, CANCELLED);
        assertThat(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::isActive))
                .containsExactlyInAnyOrder(ASSIGNED, PREPARING, RUNNING);
    }

    @Test
    void a_final_run_goes_nowhere_else() {
        for (RunStatus fin : EnumSet.of(COMPLETED, FAILED, CANCELLED))
            for (RunStatus next : RunStatus.values())
                if (next != fin) assertThat(fin.canMoveTo(next)).as("%s -> %s", fin, next).isFalse();
    }

    @Test
    void backwards_moves_are_illegal() {
        assertThat(RUNNING.canMoveTo(PREPARING)).isFalse();
        assertThat(RUNNING.canMoveTo(ASSIGNED)).isFalse();
        assertThat(PREPARING.canMoveTo(ASSIGNED)).isFalse();
        assertThat(ASSIGNED.canMoveTo(COMPLETED)).as("a run that never ran cannot complete").isFalse();
    }
}
