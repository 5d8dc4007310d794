package dev.galley.server.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the GPU seed migration as text, without a database: the properties that matter (unique,
 * unambiguous resolution of names and aliases) are easy to break by a hand edit and would otherwise
 * only show up as a wrong placement.
 */
class GpuSeedTest {

    private static final String RESOURCE = "/db/migration/V3__seed_gpu_registry_with_nvidia_models.sql";

    /** One VALUES row: ('uuid', 'name', 'vendor', vram, ARRAY['alias', ...], true). */
    private static final Pattern ROW = Pattern.compile(
            "\\(\\s*'([^']*)'\\s*,\\s*'((?:[^']|'')*)'\\s*,\\s*'((?:[^']|'')*)'\\s*,\\s*([0-9]+(?:\\.[0-9]+)?)\\s*,"
                    + "\\s*ARRAY\\[(.*?)]\\s*,\\s*(true|false)\\s*\\)");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");
    private static final Pattern UUID_V4 =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

    record Row(String uuid, String name, String vendor, double vramGb, List<String> aliases, boolean seeded) {}

    private static String sql;
    private static List<Row> rows;

    @BeforeAll
    static void parse() throws IOException {
        try (InputStream in = GpuSeedTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the classpath").isNotNull();
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        rows = new ArrayList<>();
        Matcher m = ROW.matcher(sql);
        while (m.find()) {
            List<String> aliases = new ArrayList<>();
            Matcher q = QUOTED.matcher(m.group(5));
            while (q.find()) aliases.add(q.group(1).replace("''", "'"));
            rows.add(new Row(m.group(1), m.group(2).replace("''", "'"), m.group(3), Double.parseDouble(m.group(4)),
                    aliases, Boolean.parseBoolean(m.group(6))));
        }
    }

    /** The same normalisation as dev.galley.core.gpu.GpuModel#normalize: trim, collapse spaces, lower case. */
    private static String normalize(String s) {
        return s.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static Row resolve(String wanted) {
        List<Row> hits = rows.stream()
                .filter(r -> normalize(r.name()).equals(normalize(wanted))
                        || r.aliases().stream().anyMatch(a -> normalize(a).equals(normalize(wanted))))
                .toList();
        assertThat(hits).as("models answering to '%s'", wanted).hasSize(1);
        return hits.getFirst();
    }

    @Test
    void everyValuesRowIsParsedAndSeeded() {
        // Counting "('" openings guards the regex: a row it silently skipped would escape every other check.
        long openings = Pattern.compile("\\(\\s*'[0-9a-f]{8}-").matcher(sql).results().count();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(50).hasSize((int) openings);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.seeded()).isTrue();
            assertThat(r.vendor()).isEqualTo("NVIDIA");
            assertThat(r.vramGb()).isBetween(8.0, 200.0);
            assertThat(r.aliases()).isNotEmpty();
        });
        assertThat(sql).contains("ON CONFLICT DO NOTHING");
    }

    @Test
    void uuidsAreUniqueValidV4() {
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            assertThat(r.uuid()).matches(UUID_V4);
            assertThat(UUID.fromString(r.uuid()).toString()).isEqualTo(r.uuid());
            assertThat(seen.add(r.uuid())).as("duplicate uuid %s", r.uuid()).isTrue();
        }
    }

    @Test
    void namesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (Row r : rows) assertThat(seen.add(normalize(r.name()))).as("duplicate name %s", r.name()).isTrue();
    }

    @Test
    void noNameOrAliasResolvesToTwoModels() {
        Map<String, String> owner = new HashMap<>();
        List<String> collisions = new ArrayList<>();
        for (Row r : rows) {
            Set<String> own = new HashSet<>();
            own.add(normalize(r.name()));
            r.aliases().forEach(a -> own.add(normalize(a)));
            for (String key : own) {
                String previous = owner.putIfAbsent(key, r.name());
                if (previous != null) collisions.add("'" + key + "' is both " + previous + " and " + r.name());
            }
        }
        assertThat(collisions).isEmpty();
    }

    @Test
    void commonSpellingsResolveToTheRightModel() {
        Row rtx4090 = resolve("RTX 4090");
        assertThat(resolve("NVIDIA GeForce RTX 4090")).isSameAs(rtx4090);
        assertThat(resolve("nvidia geforce  rtx 4090")).isSameAs(rtx4090);
        assertThat(rtx4090.vramGb()).isEqualTo(24.0);

        assertThat(resolve("H100").name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(resolve("H100 SXM")).isSameAs(resolve("H100"));
        assertThat(resolve("H100 PCIe")).isNotSameAs(resolve("H100"));
        assertThat(resolve("A100 80GB").name()).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(resolve("A100 40GB").vramGb()).isEqualTo(40.0);
        assertThat(resolve("T4").name()).isEqualTo("Tesla T4");
        assertThat(resolve("NVIDIA T4")).isSameAs(resolve("T4"));
        assertThat(resolve("H200").vramGb()).isEqualTo(141.0);
        assertThat(resolve("RTX 6000 Ada").name()).isEqualTo("NVIDIA RTX 6000 Ada Generation");
        assertThat(resolve("RTX 4060 Ti 16GB").vramGb()).isEqualTo(16.0);
        assertThat(resolve("RTX 4060 Ti").vramGb()).isEqualTo(8.0);
    }
}
