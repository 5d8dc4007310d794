package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The corpus generator itself: reproducible from its seed, and the default corpus reaches everything it should. */
class FuzzCorpusTest {
    static final FuzzTargets TARGETS = new FuzzTargets(id(1), id(2), id(3), id(4), id(5), id(6), id(7), id(8), "fuzz-node", "Fuzz GPU",
            "f0220000000000000000000000000001", id(11), id(12), id(13), id(14), id(15), id(16));

    static UUID id(long n) {
        return new UUID(0x6a11e70000000000L, n);
    }

    @Test
    void aCaseIsTheSameRequestEveryTimeForItsSeedAndNumber() {
        FuzzCorpus a = new FuzzCorpus(42);
        FuzzCorpus b = new FuzzCorpus(42);
        for (int i = 0; i < 1000; i++) {
            FuzzRequest x = a.caseAt(i, TARGETS);
            FuzzRequest y = b.caseAt(i, TARGETS);
            assertThat(y.describe()).isEqualTo(x.describe());
            assertThat(y.body()).as("case %d", i).isEqualTo(x.body());
        }
        // Out of order too: case 500 does not depend on the cases before it.
        assertThat(new FuzzCorpus(42).caseAt(500, TARGETS).describe()).isEqualTo(a.caseAt(500, TARGETS).describe());
    }

    @Test
    void anotherSeedIsAnotherCorpus() {
        int same = 0;
        for (int i = 0; i < 200; i++) {
            if (new FuzzCorpus(1).caseAt(i, TARGETS).describe().equals(new FuzzCorpus(2).caseAt(i, TARGETS).describe())) same++;
        }
        assertThat(same).isLessThan(10);
    }

    @Test
    void theDefaultCorpusBreaksEveryWriteEndpointInEveryWay() {
        FuzzCorpus corpus = new FuzzCorpus(FuzzCorpus.DEFAULT_SEED);
        Map<WriteEndpoint, Set<FuzzCorpus.Family>> seen = new EnumMap<>(WriteEndpoint.class);
        Set<String> mutations = new HashSet<>();
        int foreign = 0;
        for (int i = 0; i < FuzzCorpus.DEFAULT_CASES; i++) {
            FuzzRequest r = corpus.caseAt(i, TARGETS);
            seen.computeIfAbsent(r.endpoint(), e -> EnumSet.noneOf(FuzzCorpus.Family.class)).add(r.family());
            r.mutations().forEach(m -> mutations.add(m.split(" ")[0]));
            if (r.foreign()) foreign++;
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrder(WriteEndpoint.values());
        seen.forEach((endpoint, families) -> assertThat(families).as("families sent to %s", endpoint)
                .containsExactlyInAnyOrder(FuzzCorpus.Family.values()));
        assertThat(mutations).as("kinds of mutation in the default corpus").contains(
                "drop", "duplicate", "rename", "retype", "number", "hostile", "long", "deep", "add", "token", "null",
                "truncate", "trailing", "leading", "UTF-8", "encoded", "comment", "invalid", "raw", "flip", "whole",
                "path", "query", "Content-Type", "unsigned", "garbled", "clock", "nonce", "Idempotency-Key", "signed", "framing");
        assertThat(foreign).as("cases aimed at another tenant's objects").isGreaterThan(50);
    }

    @Test
    void theValidCaseOfEveryEndpointIsValidJson() throws Exception {
        ObjectMapper strict = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        FuzzCorpus corpus = new FuzzCorpus(FuzzCorpus.DEFAULT_SEED);
        Set<WriteEndpoint> checked = EnumSet.noneOf(WriteEndpoint.class);
        for (int i = 0; checked.size() < WriteEndpoint.values().length && i < 100_000; i++) {
            FuzzRequest r = corpus.caseAt(i, TARGETS);
            if (r.family() != FuzzCorpus.Family.VALID) continue;
            if (r.endpoint().hasJsonBody()) assertThat(strict.readTree(r.body()).isObject()).as(r.describe()).isTrue();
            else if (!r.endpoint().hasTextBody()) assertThat(r.body()).as(r.describe()).isEmpty();
            assertThat(r.signing().key()).isEqualTo(r.endpoint().signer);
            assertThat(r.foreign()).isFalse();
            checked.add(r.endpoint());
        }
        assertThat(checked).containsExactlyInAnyOrder(WriteEndpoint.values());
    }

    @Test
    void rawValuesReachTheBodyExactlyAsWritten() {
        JsonDraft draft = new JsonDraft(new ObjectMapper().createObjectNode().put("a", "x").put("b", 1));
        ObjectNode root = (ObjectNode) draft.root();
        root.set("a", draft.rawValue("\"\\ud800\""));
        root.set("b", draft.rawValue("1e309"));
        root.set(draft.placeholder("\"a\\u0000b\""), draft.rawValue("[" + "\"__fz0__\"" + "]"));
        assertThat(new String(draft.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"\\ud800\",\"b\":1e309,\"a\\u0000b\":[\"\\ud800\"]}");
    }
}
