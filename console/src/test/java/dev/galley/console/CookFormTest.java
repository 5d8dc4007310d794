package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CookFormTest {
    static final JsonNode SCHEMA;

    static {
        try {
            SCHEMA = new ObjectMapper().readTree("""
                    [{"key":"scene","type":"string"},{"key":"count","type":"number"},{"key":"fast","type":"boolean"},
                     {"key":"token","type":"secret"}]""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void inputsAreTypedAndEmptyFieldsAreLeftOut() {
        var body = CookForm.body(SCHEMA, Map.of("inputs.scene", "city", "inputs.count", "12", "inputs.fast", "true",
                "inputs.token", "", "title", "  ", "cpu_count", "4", "min_ram_gb", "1.5"));
        assertThat(body.toString()).isEqualTo(
                "{\"inputs\":{\"scene\":\"city\",\"count\":12,\"fast\":true},\"cpu_count\":4,\"min_ram_gb\":1.5}");
    }

    @Test
    void whatCannotBeTypedGoesAsSentSoTheApiNamesTheField() {
        var body = CookForm.body(SCHEMA, Map.of("inputs.count", "many", "gpu_count", "two", "inputs.unknown", "x"));
        assertThat(body.at("/inputs/count").asText()).isEqualTo("many");
        assertThat(body.get("gpu_count").isTextual()).isTrue();
        assertThat(body.at("/inputs/unknown").isMissingNode()).as("only the schema's inputs are read").isTrue();
    }

    @Test
    void environmentLinesBecomeAMergePatchOfTheEnv() {
        var body = CookForm.body(SCHEMA, Map.of("env", "A=1\r\nB = two=2\n\nbare"));
        assertThat(body.at("/parameters/parameters/env").toString()).isEqualTo("{\"A\":\"1\",\"B\":\" two=2\",\"bare\":\"\"}");
    }

    @Test
    void anUncheckedBoxIsFalseAndAnAbsentOneIsNotSent() {
        assertThat(CookForm.body(SCHEMA, Map.of("inputs.fast", "false")).at("/inputs/fast").asBoolean(true)).isFalse();
        assertThat(CookForm.body(SCHEMA, Map.of()).has("inputs")).isFalse();
    }
}
