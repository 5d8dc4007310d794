package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SparklineTest {
    static JsonNode events(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void drawsEachSampleAtItsTimeInTheWindowOldestFirstWithFullLoadAtTheTop() throws Exception {
        // Newest first, as the API lists them; a window of 1000 ms over a box 120 wide and 24 high.
        Sparkline s = Sparkline.of(events("""
                [{"timestamp_ms":2000,"cpu_percent":100,"ram_used_gb":8,"ram_total_gb":8},
                 {"timestamp_ms":1500,"cpu_percent":50,"ram_used_gb":2,"ram_total_gb":8},
                 {"timestamp_ms":1000,"cpu_percent":0,"ram_used_gb":0,"ram_total_gb":8}]"""), 1000, 2000);
        assertThat(s.cpuPoints()).isEqualTo("0.0,24.0 60.0,12.0 120.0,0.0");
        assertThat(s.ramPoints()).isEqualTo("0.0,24.0 60.0,18.0 120.0,0.0");
        assertThat(s.samples()).isEqualTo(3);
        assertThat(s.latest()).isEqualTo("CPU 100 % · RAM 8 of 8 GB");
        assertThat(s.lastCpuX()).isEqualTo("120.0");
        assertThat(s.lastCpuY()).isEqualTo("0.0");
    }

    @Test
    void leavesOutMissingValuesAndSamplesOutsideTheWindow() throws Exception {
        Sparkline s = Sparkline.of(events("""
                [{"timestamp_ms":3000,"cpu_percent":10},
                 {"timestamp_ms":1500,"cpu_percent":null,"ram_used_gb":4,"ram_total_gb":null},
                 {"timestamp_ms":1250,"cpu_percent":25,"ram_used_gb":4,"ram_total_gb":16},
                 {"timestamp_ms":500,"cpu_percent":90}]"""), 1000, 2000);
        assertThat(s.samples()).isEqualTo(2);
        assertThat(s.cpuPoints()).isEqualTo("30.0,18.0");
        assertThat(s.ramPoints()).as("no total: no percentage").isEqualTo("30.0,18.0");
        assertThat(s.latest()).isEqualTo("RAM 4 GB");
    }

    @Test
    void noSamplesInTheWindowIsEmpty() throws Exception {
        assertThat(Sparkline.of(events("[]"), 0, 1000).empty()).isTrue();
        assertThat(Sparkline.of(events("[{\"timestamp_ms\":5000,\"cpu_percent\":1}]"), 0, 1000).empty()).isTrue();
        assertThat(Sparkline.describe(events("{\"timestamp_ms\":1}"))).isEqualTo("no CPU or RAM reading");
    }
}
