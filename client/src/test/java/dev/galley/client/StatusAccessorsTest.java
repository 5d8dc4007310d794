package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statuses and reason codes read as core's types, so callers branch on the same constants the server uses. */
class StatusAccessorsTest {
    private static JsonNode json(String text) {
        return new ApiResponse(200, Map.of(), text.getBytes(StandardCharsets.UTF_8)).json();
    }

    @Test
    void statusesAndReasonCodesAreCoresTypes() {
        Job failed = new Job(json("{\"status\":\"FAILED\",\"status_reason_code\":\"EXIT_NONZERO\"}"));
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.statusReasonCode()).isEqualTo(ReasonCode.EXIT_NONZERO);
        assertThat(failed.isFinal()).isTrue();
        assertThat(new Job(json("{\"status\":\"CANCELLING\"}")).isFinal()).as("CANCELLING still changes").isFalse();
        assertThat(new JobRun(json("{\"status\":\"CANCELLED\"}")).isFinal()).isTrue();
        assertThat(new JobRun(json("{\"status\":\"PREPARING\"}")).status()).isEqualTo(RunStatus.PREPARING);
        assertThat(new Node(json("{\"status\":\"DRAINING\"}")).status()).isEqualTo(NodeStatus.DRAINING);
    }

    @Test
    void anUnknownOrAbsentValueReadsAsNullAndTheTextStaysInTheJson() {
        Job newer = new Job(json("{\"status\":\"HIBERNATING\",\"status_reason_code\":\"SOMETHING_NEW\"}"));
        assertThat(newer.status()).isNull();
        assertThat(newer.statusReasonCode()).isNull();
        assertThat(newer.isFinal()).isFalse();
        assertThat(newer.json().path("status").asText()).isEqualTo("HIBERNATING");
        assertThat(new Job(json("{\"status\":null}")).status()).isNull();
        assertThat(new JobRun(json("{}")).isFinal()).isFalse();
        assertThat(new Node(json("{\"status\":\"online\"}")).status()).as("the API's values are upper case").isNull();
    }

    @Test
    void aJobsPriceAndCostAreExactDecimalsAndNullWhenAnOlderServerSendsNone() {
        Job priced = new Job(json("{\"status\":\"RUNNING\",\"price_per_hour\":\"0.350000\",\"cost_so_far\":\"0.012153\"}"));
        assertThat(priced.pricePerHour()).isEqualByComparingTo("0.35").isEqualTo(new java.math.BigDecimal("0.350000"));
        assertThat(priced.costSoFar()).isEqualTo(new java.math.BigDecimal("0.012153"));
        assertThat(new Job(json("{\"status\":\"PENDING\"}")).pricePerHour()).isNull();
    }
}
