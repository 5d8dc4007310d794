package dev.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SetPathsTest {
    @Test
    void dottedPathsBecomeNestedObjectsAndMerge() {
        var body = SetPaths.toObject(List.of("parameters.parameters.env.MODE=fast", "gpu_count=2",
                "parameters.parameters.tag=v2", "description=null", "min_ram_gb=1.5", "task=BATCH"));
        assertThat(body.toString()).isEqualTo("{\"parameters\":{\"parameters\":{\"env\":{\"MODE\":\"fast\"},\"tag\":\"v2\"}},"
                + "\"gpu_count\":2,\"description\":null,\"min_ram_gb\":1.5,\"task\":\"BATCH\"}");
    }

    @Test
    void jsonValuesAreParsedAndEnvValuesStayStrings() {
        var body = SetPaths.toObject(List.of("allowed_region_codes=[\"eu-west-1\"]", "parameters.parameters.env.N=10",
                "parameters.parameters.env.Q=\"5\"", "title=\"007\"", "note=a=b", "flag=true"));
        assertThat(body.get("allowed_region_codes").get(0).asText()).isEqualTo("eu-west-1");
        assertThat(body.at("/parameters/parameters/env/N").isTextual()).isTrue();
        assertThat(body.at("/parameters/parameters/env/N").asText()).isEqualTo("10");
        assertThat(body.at("/parameters/parameters/env/Q").asText()).isEqualTo("5");
        assertThat(body.get("title").asText()).isEqualTo("007");
        assertThat(body.get("note").asText()).as("only the first '=' splits").isEqualTo("a=b");
        assertThat(body.get("flag").isBoolean()).isTrue();
        assertThat(SetPaths.value("1.2.3").isTextual()).as("not a number").isTrue();
    }

    @Test
    void mistakesAreUsageErrors() {
        assertThatThrownBy(() -> SetPaths.toObject(List.of("gpu_count"))).isInstanceOf(UsageException.class).hasMessageContaining("path=value");
        assertThatThrownBy(() -> SetPaths.toObject(List.of("=2"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> SetPaths.toObject(List.of("a..b=2"))).isInstanceOf(UsageException.class).hasMessageContaining("empty part");
        assertThatThrownBy(() -> SetPaths.toObject(List.of("a=1", "a.b=2"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("already set");
        assertThatThrownBy(() -> SetPaths.toObject(List.of("a={broken"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("not");
    }
}
