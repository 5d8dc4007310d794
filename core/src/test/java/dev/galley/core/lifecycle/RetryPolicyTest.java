package dev.galley.core.lifecycle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.galley.core.lifecycle.Runs.failed;
import static dev.galley.core.lifecycle.Runs.failedOn;
import static dev.galley.core.lifecycle.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void without_retries_the_job_fails_with_the_failures_own_code() {
        var decision = new RetryPolicy(0).decide(List.of(failedOn(UUID.randomUUID(), 0, 1, ReasonCode.EXIT_NONZERO, "exit code 3")));
        assertThat(decision).isEqualTo(new RetryDecision.GiveUp(0, ReasonCode.EXIT_NONZERO,
                "node index 0 failed: EXIT_NONZERO (exit code 3)"));
    }

    @Test
    void retried_while_failed_at_most_max_retry_count_times_then_retries_exhausted() {
        var policy = new RetryPolicy(2);
        var history = new ArrayList<RunRecord>();
        history.add(failed(1, 1, ReasonCode.EXIT_NONZERO));
        assertThat(policy.decide(history)).isInstanceOfSatisfying(RetryDecision.Retry.class, r -> {
            assertThat(r.nodeIndex()).isEqualTo(1);
            assertThat(r.attempt()).isEqualTo(2);
        });
        history.add(failed(1, 2, ReasonCode.START_TIMEOUT));
        assertThat(policy.decide(history)).isInstanceOfSatisfying(RetryDecision.Retry.class,
                r -> assertThat(r.attempt()).isEqualTo(3));
        history.add(failed(1, 3, ReasonCode.EXIT_NONZERO));
        assertThat(policy.decide(history)).isInstanceOfSatisfying(RetryDecision.GiveUp.class, g -> {
            assertThat(g.reasonCode()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED);
            assertThat(g.reason()).isEqualTo("node index 1 failed 3 times (max_retry_count 2); last: EXIT_NONZERO");
        });
    }

    @Test
    void a_retry_names_every_node_the_index_failed_on() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        var decision = new RetryPolicy(5).decide(List.of(failedOn(a, 0, 1, ReasonCode.EXIT_NONZERO, null),
                failedOn(b, 0, 2, ReasonCode.NODE_LOST, null)));
        assertThat(decision).isEqualTo(new RetryDecision.Retry(0, 3, java.util.Set.of(a, b)));
    }

    @ParameterizedTest
    @EnumSource(value = ReasonCode.class, names = {"START_TIMEOUT", "IMAGE_PULL_FAILED", "RUN_TIMEOUT", "EXIT_NONZERO"})
    @NullSource
    void ordinary_failures_use_up_max_retry_count(ReasonCode code) {
        var policy = new RetryPolicy(1);
        assertThat(policy.decide(List.of(failed(0, 1, code)))).isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(List.of(failed(0, 1, code), failed(0, 2, code))))
                .isInstanceOfSatisfying(RetryDecision.GiveUp.class, g -> assertThat(g.reasonCode()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED));
    }

    @Test
    void node_lost_does_not_use_up_max_retry_count_but_is_capped_at_three() {
        var policy = new RetryPolicy(0);
        var history = new ArrayList<RunRecord>();
        for (int attempt = 1; attempt <= RetryPolicy.NODE_LOST_CAP; attempt++) {
            history.add(failed(0, attempt, ReasonCode.NODE_LOST));
            int expectedAttempt = attempt + 1;
            assertThat(policy.decide(history)).as("after %d node losses", attempt)
                    .isInstanceOfSatisfying(RetryDecision.Retry.class, r -> assertThat(r.attempt()).isEqualTo(expectedAttempt));
        }
        history.add(failed(0, 4, ReasonCode.NODE_LOST));
        assertThat(policy.decide(history)).isEqualTo(new RetryDecision.GiveUp(0, ReasonCode.RETRIES_EXHAUSTED,
                "node index 0 lost its node 4 times (at most 3 are retried)"));
    }

    @Test
    void node_losses_and_ordinary_failures_are_counted_apart() {
        var policy = new RetryPolicy(1);
        var lostTwiceThenExit = List.of(failed(0, 1, ReasonCode.NODE_LOST), failed(0, 2, ReasonCode.NODE_LOST),
                failed(0, 3, ReasonCode.EXIT_NONZERO));
        assertThat(policy.decide(lostTwiceThenExit)).isInstanceOf(RetryDecision.Retry.class);

        var thenLostAgain = new ArrayList<>(lostTwiceThenExit);
        thenLostAgain.add(failed(0, 4, ReasonCode.NODE_LOST));
        assertThat(policy.decide(thenLostAgain)).as("third node loss, ordinary budget already used")
                .isInstanceOf(RetryDecision.Retry.class);

        var thenExitAgain = new ArrayList<>(thenLostAgain);
        thenExitAgain.add(failed(0, 5, ReasonCode.EXIT_NONZERO));
        assertThat(policy.decide(thenExitAgain)).isInstanceOf(RetryDecision.GiveUp.class);
    }

    @Test
    void a_cancelled_run_counts_as_an_ordinary_failure() {
        var policy = new RetryPolicy(0);
        assertThat(policy.decide(List.of(run(0, 1, RunStatus.CANCELLED))))
                .isInstanceOfSatisfying(RetryDecision.GiveUp.class, g -> assertThat(g.reasonCode()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED));
    }

    @Test
    void history_order_does_not_matter() {
        var policy = new RetryPolicy(1);
        assertThat(policy.decide(List.of(failed(0, 2, ReasonCode.NODE_LOST), failed(0, 1, ReasonCode.EXIT_NONZERO))))
                .isInstanceOfSatisfying(RetryDecision.Retry.class, r -> assertThat(r.attempt()).isEqualTo(3));
    }

    @Test
    void rejects_histories_it_cannot_decide_on() {
        var policy = new RetryPolicy(1);
        assertThatThrownBy(() -> policy.decide(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.decide(List.of(failed(0, 1, null), failed(1, 2, null))))
                .hasMessageContaining("several node indexes");
        assertThatThrownBy(() -> policy.decide(List.of(failed(0, 1, null), run(0, 2, RunStatus.RUNNING))))
                .hasMessageContaining("still RUNNING");
        assertThatThrownBy(() -> policy.decide(List.of(failed(0, 1, null), run(0, 2, RunStatus.COMPLETED))))
                .hasMessageContaining("completed");
        assertThatThrownBy(() -> new RetryPolicy(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
