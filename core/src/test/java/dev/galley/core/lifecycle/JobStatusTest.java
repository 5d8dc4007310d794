package dev.galley.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

class JobStatusTest {
    @Test
    void completed_failed_and_cancelled_are_final_and_cannot_be_cancelled() {
        assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isFinal))
                .containsExactlyInAnyOrder(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);
        assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::canBeCancelled))
                .containsExactlyInAnyOrder(JobStatus.PENDING, JobStatus.ASSIGNED, JobStatus.RUNNING, JobStatus.CANCELLING);
    }

    @Test
    void reason_codes_are_the_spec_list() {
        assertThat(ReasonCode.values()).extracting(Enum::name).containsExactly("WAITING_FOR_CAPACITY", "NO_MATCHING_NODE",
                "ASSIGN_TIMEOUT", "START_TIMEOUT", "IMAGE_PULL_FAILED", "RUN_TIMEOUT", "EXIT_NONZERO", "NODE_LOST",
                "CANCELLED_BY_USER", "RETRIES_EXHAUSTED", "INSUFFICIENT_CREDIT");
    }
}
