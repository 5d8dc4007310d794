package dev.galley.node.agent;

import dev.galley.core.lifecycle.RunStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server refuses output for a finished run with 409: the shipper takes that as "done", not as an error to retry. */
class LogShipperTest {
    static final String RUN = "00000000-0000-4000-8000-0000000000f1";

    @Test
    void outputForAFinishedRunIsDroppedAfterOneRefusal() throws Exception {
        try (FakeControlPlane server = new FakeControlPlane()) {
            server.knowRun(RUN, RunStatus.COMPLETED);
            LogShipper shipper = new LogShipper(RUN, server.client(), Duration.ofHours(1),
                    FakeControlPlane.QUICK_RETRIES);
            shipper.accept("too late\n");
            assertThat(shipper.finish(5)).as("nothing is left to deliver").isTrue();
            assertThat(shipper.isGone()).isTrue();

            shipper.accept("later still\n");
            assertThat(shipper.finish(5)).isTrue();
            assertThat(server.calls("POST", "/v1/job-runs/" + RUN + "/logs")).as("one try, no retries").hasSize(1);
            assertThat(server.logs(RUN)).isEmpty();
        }
    }
}
