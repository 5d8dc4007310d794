package dev.galley.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineTest {
    @Test
    void each_deadline_fails_runs_only_in_the_statuses_it_watches() {
        assertThat(Deadline.START.runStatuses()).containsExactlyInAnyOrder(RunStatus.ASSIGNED, RunStatus.PREPARING);
        assertThat(Deadline.RUN.runStatuses()).containsExactly(RunStatus.RUNNING);
        assertThat(Deadline.HEARTBEAT.runStatuses()).as("a lost node loses every active run")
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::isActive).toList());
        assertThat(Deadline.ASSIGN.runStatuses()).as("an assign timeout fails a job slot that has no run").isEmpty();
    }

    @Test
    void a_run_that_moved_on_before_its_deadline_fired_is_left_alone() {
        assertThat(Deadline.START.fails(RunStatus.PREPARING)).isTrue();
        assertThat(Deadline.START.fails(RunStatus.RUNNING)).as("it started in time after all").isFalse();
        assertThat(Deadline.RUN.fails(RunStatus.COMPLETED)).as("the node reported it meanwhile").isFalse();
        for (Deadline deadline : Deadline.values())
            for (RunStatus status : RunStatus.values())
                if (status.isFinal()) assertThat(deadline.fails(status)).as("%s on a %s run", deadline, status).isFalse();
    }

    @Test
    void each_deadline_has_its_own_reason_code() {
        assertThat(Deadline.ASSIGN.reasonCode()).isEqualTo(ReasonCode.ASSIGN_TIMEOUT);
        assertThat(Deadline.START.reasonCode()).isEqualTo(ReasonCode.START_TIMEOUT);
        assertThat(Deadline.RUN.reasonCode()).isEqualTo(ReasonCode.RUN_TIMEOUT);
        assertThat(Deadline.HEARTBEAT.reasonCode()).isEqualTo(ReasonCode.NODE_LOST);
        assertThat(JobStatusRule.derive(new JobFacts(false, true, null, 0, java.util.List.of())).reason())
                .isEqualTo(Deadline.ASSIGN.reason());
    }

    @Test
    void only_an_online_node_takes_new_runs() {
        assertThat(NodeStatus.ONLINE.takesNewRuns()).isTrue();
        assertThat(NodeStatus.DRAINING.takesNewRuns()).isFalse();
        assertThat(NodeStatus.OFFLINE.takesNewRuns()).isFalse();
    }
}
