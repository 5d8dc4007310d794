package dev.galley.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.galley.core.lifecycle.Runs.failed;
import static dev.galley.core.lifecycle.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStatusRuleTest {

    private static JobVerdict derive(Integer nodeCount, int maxRetryCount, RunRecord... runs) {
        return JobStatusRule.derive(new JobFacts(false, false, nodeCount, maxRetryCount, List.of(runs)));
    }

    @Test
    void unplaced_job_is_pending_waiting_for_capacity() {
        JobVerdict verdict = derive(null, 0);
        assertThat(verdict.status()).isEqualTo(JobStatus.PENDING);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.WAITING_FOR_CAPACITY);
        assertThat(verdict.runsToStop()).isEmpty();
    }

    @Test
    void a_pending_job_cancels_at_once() {
        JobVerdict verdict = JobStatusRule.derive(new JobFacts(true, false, null, 0, List.of()));
        assertThat(verdict.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.CANCELLED_BY_USER);
    }

    @Test
    void an_unplaced_job_past_its_assign_deadline_fails() {
        JobVerdict verdict = JobStatusRule.derive(new JobFacts(false, true, null, 3, List.of()));
        assertThat(verdict.status()).isEqualTo(JobStatus.FAILED);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.ASSIGN_TIMEOUT);
    }

    @Test
    void a_first_placement_makes_the_job_assigned_whatever_its_node_count() {
        for (int nodeCount = 1; nodeCount <= 4; nodeCount++) {
            JobVerdict verdict = JobStatusRule.afterFirstPlacement(nodeCount);
            assertThat(verdict.status()).isEqualTo(JobStatus.ASSIGNED);
            assertThat(verdict.reasonCode()).isNull();
            assertThat(verdict.retries()).isEmpty();
            assertThat(verdict.runsToStop()).isEmpty();
        }
    }

    @Test
    void assigned_while_runs_are_assigned_or_preparing() {
        JobVerdict verdict = derive(2, 0, run(0, 1, RunStatus.ASSIGNED), run(1, 1, RunStatus.PREPARING));
        assertThat(verdict.status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(verdict.reasonCode()).isNull();
    }

    @Test
    void running_while_any_run_runs() {
        assertThat(derive(2, 0, run(0, 1, RunStatus.ASSIGNED), run(1, 1, RunStatus.RUNNING)).status())
                .isEqualTo(JobStatus.RUNNING);
        assertThat(derive(2, 0, run(0, 1, RunStatus.COMPLETED), run(1, 1, RunStatus.RUNNING)).status())
                .isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void completed_only_when_every_node_index_completed() {
        assertThat(derive(2, 0, run(0, 1, RunStatus.COMPLETED), run(1, 1, RunStatus.COMPLETED)).status())
                .isEqualTo(JobStatus.COMPLETED);
        assertThat(derive(2, 1, run(0, 1, RunStatus.COMPLETED), failed(1, 1, ReasonCode.NODE_LOST),
                run(1, 2, RunStatus.COMPLETED)).status()).as("a retried index that completed counts").isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void a_failed_index_with_retries_left_waits_for_a_new_run_and_the_job_is_pending() {
        RunRecord first = failed(1, 1, ReasonCode.EXIT_NONZERO);
        JobVerdict verdict = derive(2, 1, run(0, 1, RunStatus.RUNNING), first);

        assertThat(verdict.status()).isEqualTo(JobStatus.PENDING);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.WAITING_FOR_CAPACITY);
        assertThat(verdict.reason()).isEqualTo("node index 1 waiting for a node (attempt 2)");
        assertThat(verdict.retries()).containsExactly(new RetryDecision.Retry(1, 2, java.util.Set.of(first.nodeUuid())));
        assertThat(verdict.runsToStop()).isEmpty();
    }

    @Test
    void an_index_failing_for_good_fails_the_job_and_stops_the_other_runs() {
        RunRecord running = run(0, 1, RunStatus.RUNNING);
        RunRecord preparing = run(2, 1, RunStatus.PREPARING);
        JobVerdict verdict = derive(3, 0, running, failed(1, 1, ReasonCode.RUN_TIMEOUT), preparing);

        assertThat(verdict.status()).isEqualTo(JobStatus.FAILED);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.RUN_TIMEOUT);
        assertThat(verdict.reason()).isEqualTo("node index 1 failed: RUN_TIMEOUT");
        assertThat(verdict.runsToStop()).containsExactlyInAnyOrder(running.runUuid(), preparing.runUuid());
        assertThat(verdict.retries()).isEmpty();
    }

    @Test
    void stopping_the_siblings_of_a_failed_index_does_not_rewrite_the_reason() {
        JobVerdict verdict = derive(2, 0, run(0, 1, RunStatus.CANCELLED), failed(1, 1, ReasonCode.EXIT_NONZERO));
        assertThat(verdict.status()).isEqualTo(JobStatus.FAILED);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.EXIT_NONZERO);
        assertThat(verdict.reason()).startsWith("node index 1 failed");
        assertThat(verdict.runsToStop()).isEmpty();
    }

    @Test
    void several_indexes_failing_name_the_first_and_count_the_rest() {
        JobVerdict verdict = derive(3, 0, failed(0, 1, ReasonCode.EXIT_NONZERO), failed(1, 1, ReasonCode.EXIT_NONZERO),
                run(2, 1, RunStatus.COMPLETED));
        assertThat(verdict.reason()).isEqualTo("node index 0 failed: EXIT_NONZERO (and 1 more node index(es) failed)");
    }

    @Test
    void cancel_stops_every_active_run_then_the_job_is_cancelled() {
        RunRecord a = run(0, 1, RunStatus.RUNNING);
        RunRecord b = run(1, 1, RunStatus.ASSIGNED);
        JobVerdict cancelling = JobStatusRule.derive(new JobFacts(true, false, 3, 0,
                List.of(a, b, run(2, 1, RunStatus.COMPLETED))));
        assertThat(cancelling.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(cancelling.reasonCode()).isEqualTo(ReasonCode.CANCELLED_BY_USER);
        assertThat(cancelling.runsToStop()).containsExactlyInAnyOrder(a.runUuid(), b.runUuid());

        JobVerdict cancelled = JobStatusRule.derive(new JobFacts(true, false, 3, 0,
                List.of(run(0, 1, RunStatus.CANCELLED), failed(1, 1, ReasonCode.EXIT_NONZERO), run(2, 1, RunStatus.COMPLETED))));
        assertThat(cancelled.status()).as("a run failing while the job is being cancelled").isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.runsToStop()).isEmpty();
    }

    @Test
    void a_retry_slot_past_its_assign_deadline_fails_the_job_and_stops_the_rest() {
        RunRecord running = run(0, 1, RunStatus.RUNNING);
        JobVerdict verdict = JobStatusRule.derive(new JobFacts(false, true, 2, 5,
                List.of(running, failed(1, 1, ReasonCode.NODE_LOST))));
        assertThat(verdict.status()).isEqualTo(JobStatus.FAILED);
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.ASSIGN_TIMEOUT);
        assertThat(verdict.runsToStop()).containsExactly(running.runUuid());
    }

    @Test
    void assign_timeout_outranks_indexes_that_were_only_stopped() {
        JobVerdict verdict = JobStatusRule.derive(new JobFacts(false, true, 2, 0,
                List.of(run(0, 1, RunStatus.CANCELLED), failed(1, 1, ReasonCode.NODE_LOST))));
        assertThat(verdict.reasonCode()).isEqualTo(ReasonCode.ASSIGN_TIMEOUT);
    }

    @Test
    void node_lost_is_retried_even_without_max_retry_count() {
        JobVerdict verdict = derive(1, 0, failed(0, 1, ReasonCode.NODE_LOST));
        assertThat(verdict.status()).isEqualTo(JobStatus.PENDING);
        assertThat(verdict.retries()).extracting(RetryDecision.Retry::attempt).containsExactly(2);
    }

    @Test
    void a_sized_index_without_any_run_waits_for_its_first_attempt() {
        JobVerdict verdict = derive(2, 0, run(0, 1, RunStatus.RUNNING));
        assertThat(verdict.status()).isEqualTo(JobStatus.PENDING);
        assertThat(verdict.retries()).containsExactly(new RetryDecision.Retry(1, 1, java.util.Set.of()));
    }

    @Test
    void inconsistent_facts_are_rejected() {
        assertThatThrownBy(() -> new JobFacts(false, false, null, 0, List.of(run(0, 1, RunStatus.RUNNING))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobFacts(false, false, 2, 0, List.of(run(2, 1, RunStatus.RUNNING))))
                .hasMessageContaining("node index 2");
        assertThatThrownBy(() -> new JobFacts(false, false, 0, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunRecord(UUID.randomUUID(), null, 0, 0, RunStatus.RUNNING, null, null))
                .hasMessageContaining("attempt");
    }
}
