package dev.galley.core.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.spec.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareSampleTest {
    static final String PATH = "metadata.hardware_event";

    static final HardwareSample SAMPLE = new HardwareSample(1_767_225_600_000L, 12.5, 32, 11.21, 62.81, 120.4, 915.82,
            List.of(new HardwareSample.Gpu(0, "NVIDIA GeForce RTX 4090", 87.0, 20.13, 23.99, 64.0, 312.45),
                    new HardwareSample.Gpu(1, "NVIDIA H100 80GB HBM3", null, 10.86, 79.65, 53.0, null)));

    static HardwareSample read(JsonNode json, FieldErrors errors) {
        return HardwareSample.fromJson(json, PATH, errors);
    }

    @Test
    void the_wire_shape_is_snake_case_with_explicit_nulls() {
        JsonNode json = SAMPLE.toJson();
        assertThat(json.toString()).isEqualTo("{\"timestamp_ms\":1767225600000,\"cpu_percent\":12.5,\"cpu_cores\":32,"
                + "\"ram_used_gb\":11.21,\"ram_total_gb\":62.81,\"disk_used_gb\":120.4,\"disk_total_gb\":915.82,\"gpus\":["
                + "{\"index\":0,\"name\":\"NVIDIA GeForce RTX 4090\",\"utilization_percent\":87.0,\"vram_used_gb\":20.13,"
                + "\"vram_total_gb\":23.99,\"temperature_c\":64.0,\"power_w\":312.45},"
                + "{\"index\":1,\"name\":\"NVIDIA H100 80GB HBM3\",\"utilization_percent\":null,\"vram_used_gb\":10.86,"
                + "\"vram_total_gb\":79.65,\"temperature_c\":53.0,\"power_w\":null}]}");
    }

    @Test
    void what_the_agent_writes_the_server_reads_back_unchanged() {
        FieldErrors errors = new FieldErrors();
        assertThat(read(Json.parse(SAMPLE.toJson().toString()), errors)).isEqualTo(SAMPLE);
        assertThat(errors.isEmpty()).isTrue();
        HardwareSample noGpuTool = new HardwareSample(5, null, null, null, null, null, null, List.of());
        assertThat(read(Json.parse(noGpuTool.toJson().toString()), errors)).isEqualTo(noGpuTool);
        HardwareSample gpuToolFailed = new HardwareSample(5, 1.0, 2, 1.0, 2.0, 3.0, 4.0, null);
        assertThat(read(Json.parse(gpuToolFailed.toJson().toString()), errors)).isEqualTo(gpuToolFailed);
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void unknown_fields_are_ignored_so_newer_agents_can_send_more() {
        FieldErrors errors = new FieldErrors();
        HardwareSample s = read(Json.parse("{\"timestamp_ms\": 7, \"fan_percent\": 30, \"gpus\": [{\"index\": 0, "
                + "\"name\": \"Tesla T4\", \"clock_mhz\": 1590}]}"), errors);
        assertThat(errors.list()).isEmpty();
        assertThat(s.timestampMs()).isEqualTo(7);
        assertThat(s.gpus()).singleElement().satisfies(g -> assertThat(g.utilizationPercent()).isNull());
    }

    @Test
    void every_broken_rule_is_named_with_its_path() {
        FieldErrors errors = new FieldErrors();
        HardwareSample s = read(Json.parse("""
                {"cpu_percent": 101, "cpu_cores": 0, "ram_used_gb": -1, "disk_total_gb": "lots",
                 "gpus": [{"index": 0, "name": "NVIDIA A100", "utilization_percent": -3, "temperature_c": 900, "power_w": "x"},
                          {"name": "<script>"}, 5]}"""), errors);
        assertThat(s).isNull();
        assertThat(errors.list()).extracting(FieldError::field).containsExactlyInAnyOrder(
                PATH + ".timestamp_ms", PATH + ".cpu_percent", PATH + ".cpu_cores", PATH + ".ram_used_gb",
                PATH + ".disk_total_gb", PATH + ".gpus[0].utilization_percent", PATH + ".gpus[0].temperature_c",
                PATH + ".gpus[0].power_w", PATH + ".gpus[1].index", PATH + ".gpus[1].name", PATH + ".gpus[2]");
        assertThat(errors.list()).filteredOn(e -> e.field().endsWith("cpu_percent")).singleElement()
                .extracting(FieldError::message).isEqualTo("must be <= 100");
    }

    @Test
    void the_sample_itself_must_be_an_object_with_few_enough_gpus() {
        FieldErrors errors = new FieldErrors();
        assertThat(read(Json.parse("[1]"), errors)).isNull();
        assertThat(read(null, errors)).isNull();
        StringBuilder many = new StringBuilder("{\"timestamp_ms\": 1, \"gpus\": [");
        for (int i = 0; i <= HardwareSample.MAX_GPUS; i++) many.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"name\":\"T4\"}");
        assertThat(read(Json.parse(many.append("]}").toString()), errors)).isNull();
        assertThat(read(Json.parse("{\"timestamp_ms\": 1, \"gpus\": {}}"), errors)).isNull();
        assertThat(errors.list()).extracting(FieldError::message).containsExactly("must be an object", "must be an object",
                "must hold at most 64 GPUs", "must be an array or null");
    }
}
