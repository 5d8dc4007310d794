package dev.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.galley.client.Job;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** The small pieces of the CLI: durations, tables, inputs, status lines, the profile file. */
class CliPartsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    @TempDir Path dir;

    @Test
    void durationsAcceptUnitsAndCombinations() {
        assertThat(DurationConverter.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationConverter.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        for (String bad : List.of("soon", "2x", "s", "0s", "1h 30m", "-5s")) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }

    @Test
    void tablesAlignColumnsShowDashesAndCutLongCells() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Table("ID", "NAME", "NOTE").row("1", "short", null).row("22", "a much longer name", "x".repeat(100))
                .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("ID  NAME                NOTE");
        assertThat(lines.get(1)).isEqualTo("1   short               -");
        assertThat(lines.get(2)).startsWith("22  a much longer name  xxx").endsWith("…").hasSize(24 + Table.MAX_CELL);
        assertThatThrownBy(() -> new Table("A").row("1", "2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inputsAreTypedByTheRecipesSchema() throws Exception {
        var schema = MAPPER.readTree("[{\"key\":\"n\",\"type\":\"number\"},{\"key\":\"b\",\"type\":\"boolean\"},{\"key\":\"s\",\"type\":\"string\"}]");
        var inputs = InputValues.toObject(List.of("n=2.5", "b=TRUE", "s=007", "unknown=x"), schema);
        assertThat(inputs.toString()).isEqualTo("{\"n\":2.5,\"b\":true,\"s\":\"007\",\"unknown\":\"x\"}");
        assertThatThrownBy(() -> InputValues.toObject(List.of("n=two"), schema)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> InputValues.toObject(List.of("b=yes"), schema)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> InputValues.toObject(List.of("novalue"), schema)).isInstanceOf(UsageException.class);
    }

    @Test
    void theStatusLineNamesTheReasonOnlyWhilePendingOrFinished() throws Exception {
        Job pending = new Job(MAPPER.readTree("{\"uuid\":\"j1\",\"status\":\"PENDING\",\"status_reason_code\":\"NO_MATCHING_NODE\","
                + "\"status_reason\":\"no online node\"}"));
        assertThat(JobWatch.statusLine(pending, Duration.ofSeconds(65), null))
                .isEqualTo("job j1  PENDING  1m05s (NO_MATCHING_NODE: no online node)");
        Job running = new Job(MAPPER.readTree("{\"uuid\":\"j1\",\"status\":\"RUNNING\",\"status_reason\":\"old\"}"));
        assertThat(JobWatch.statusLine(running, Duration.ofSeconds(3), "n-1")).isEqualTo("job j1  RUNNING  3s  node n-1");
    }

    @Test
    void recipeUuidsAreRecognisedAndNamesAreNot() {
        assertThat(RecipeLookup.isUuid("0b6f2d4e-1c8a-4f7e-9a3b-5d2c1e0f9a8b")).isTrue();
        assertThat(RecipeLookup.isUuid("render")).isFalse();
        assertThat(RecipeLookup.isUuid("1-1-1-1-1")).isFalse();
    }

    @Test
    void profilesAreSavedPrivatelyAndTheFirstBecomesTheDefault() throws Exception {
        Path file = dir.resolve("cfg/galley/config.json");
        ProfileStore store = new ProfileStore(file);
        assertThat(store.find("default")).isEmpty();
        assertThat(store.defaultProfileName()).isEqualTo("default");
        store.save("work", new Profile("http://a:8080", "pk_a:sk_a"));
        store.save("home", new Profile("http://b:8080", "pk_b:sk_b"));
        assertThat(store.defaultProfileName()).isEqualTo("work");
        assertThat(store.find("home")).contains(new Profile("http://b:8080", "pk_b:sk_b"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(new Profile("u", "pk_a:sk_secret").toString()).doesNotContain("sk_secret");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary files left behind").containsExactly(file);
        }

        Files.writeString(file, "[1,2]");
        assertThatThrownBy(() -> store.find("work")).isInstanceOf(UsageException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void theConfigFileFollowsXdgThenHome() {
        CliContext xdg = new CliContext(Map.of("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/home/u"), System.out, System.err, System.in, false);
        assertThat(xdg.configFile()).isEqualTo(Path.of("/x/cfg/galley/config.json"));
        CliContext home = new CliContext(Map.of("HOME", "/home/u", "XDG_CONFIG_HOME", "relative"), System.out, System.err, System.in, false);
        assertThat(home.configFile()).as("a relative XDG_CONFIG_HOME is ignored, as the spec says")
                .isEqualTo(Path.of("/home/u/.config/galley/config.json"));
    }

    @Test
    void clientOptionsResolveFlagThenProfileChoiceThenEnvironmentThenDefaultProfile() {
        Path config = dir.resolve("galley/config.json");
        ProfileStore store = new ProfileStore(config);
        store.save("default", new Profile("http://default:1", "pk_d:sk_d"));
        store.save("prod", new Profile("http://prod:1", "pk_p:sk_p"));
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", dir.toString(), "GALLEY_URL", "http://env:1", "GALLEY_API_KEY", "pk_e:sk_e");
        CliContext ctx = new CliContext(env, System.out, System.err, System.in, false);

        ClientOptions none = new ClientOptions();
        assertThat(none.resolve(ctx).url().toString()).isEqualTo("http://env:1");
        assertThat(none.resolve(ctx).key().publicKey()).isEqualTo("pk_e");

        ClientOptions prod = new ClientOptions();
        prod.profile = "prod";
        assertThat(prod.resolve(ctx).url().toString()).as("--profile beats the environment").isEqualTo("http://prod:1");
        prod.url = "http://flag:1";
        assertThat(prod.resolve(ctx).url().toString()).isEqualTo("http://flag:1");
        assertThat(prod.resolve(ctx).key().publicKey()).isEqualTo("pk_p");

        CliContext noEnv = new CliContext(Map.of("XDG_CONFIG_HOME", dir.toString()), System.out, System.err, System.in, false);
        assertThat(none.resolve(noEnv).key().publicKey()).isEqualTo("pk_d");

        ClientOptions badKey = new ClientOptions();
        badKey.apiKey = "sk_only";
        assertThatThrownBy(() -> badKey.resolve(ctx)).isInstanceOf(UsageException.class).hasMessageContaining("secret key");
    }
}
