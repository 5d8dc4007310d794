package dev.galley.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected outputs are those of Python's json.dumps(sort_keys=True, separators=(",",":"), ensure_ascii=True). */
class CanonicalJsonTest {

    @Test
    void sortsKeysRecursivelyAndDropsWhitespace() {
        String in = "{ \"b\": {\"z\": 1, \"a\": [3, {\"y\": true, \"x\": null}]},\n  \"a\": \"x\" }";
        assertThat(CanonicalJson.canonicalize(in)).isEqualTo("{\"a\":\"x\",\"b\":{\"a\":[3,{\"x\":null,\"y\":true}],\"z\":1}}");
    }

    @Test
    void keepsArrayOrder() {
        assertThat(CanonicalJson.canonicalize("[3, 1, 2, {\"b\":0,\"a\":0}]")).isEqualTo("[3,1,2,{\"a\":0,\"b\":0}]");
    }

    @Test
    void escapesStringsLikePythonEnsureAscii() {
        String in = "{\"name\":\"café ☕ 😀\",\"path\":\"a/b\",\"q\":\"say \\\"hi\\\"\\n\\t\\\\ \\b\\f\\r \\u0001 \\u007f\"}";
        assertThat(CanonicalJson.canonicalize(in)).isEqualTo(
                "{\"name\":\"caf\\u00e9 \\u2615 \\ud83d\\ude00\",\"path\":\"a/b\","
                        + "\"q\":\"say \\\"hi\\\"\\n\\t\\\\ \\b\\f\\r \\u0001 \\u007f\"}");
    }

    @Test
    void escapedSlashInInputComesOutPlain() {
        assertThat(CanonicalJson.canonicalize("\"a\\/b\"")).isEqualTo("\"a/b\"");
    }

    @Test
    void sortsKeysByCodePointNotUtf16Unit() {
        // U+FF5E sorts before U+10000 by code point, but after it by UTF-16 unit (0xFF5E > 0xD800).
        assertThat(CanonicalJson.canonicalize("{\"\uD800\uDC00\":2,\"\uFF5E\":1}"))
                .isEqualTo("{\"\\uff5e\":1,\"\\ud800\\udc00\":2}");
        assertThat(CanonicalJson.canonicalize("{\"😀\":1,\"\uFFFF\":2,\"a\":3}"))
                .isEqualTo("{\"a\":3,\"\\uffff\":2,\"\\ud83d\\ude00\":1}");
    }

    @Test
    void keepsNumbersExactlyAsWritten() {
        assertThat(CanonicalJson.canonicalize("[1.0, 1e3, 1E+3, -0, 0.10, 12345678901234567890123, -1.5e-7, 4]"))
                .isEqualTo("[1.0,1e3,1E+3,-0,0.10,12345678901234567890123,-1.5e-7,4]");
    }

    @Test
    void lastDuplicateKeyWinsAsInPython() {
        assertThat(CanonicalJson.canonicalize("{\"a\":1,\"a\":2}")).isEqualTo("{\"a\":2}");
    }

    @Test
    void acceptsScalarsAndEmptyContainersAtTheRoot() {
        assertThat(CanonicalJson.canonicalize(" \"x\" ")).isEqualTo("\"x\"");
        assertThat(CanonicalJson.canonicalize("null")).isEqualTo("null");
        assertThat(CanonicalJson.canonicalize("{ }")).isEqualTo("{}");
        assertThat(CanonicalJson.canonicalize("[ ]")).isEqualTo("[]");
    }

    @Test
    void readsUtf8Bytes() {
        byte[] body = "{\"title\": \"Grüße\", \"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThat(CanonicalJson.canonicalize(body)).isEqualTo("{\"a\":1,\"title\":\"Gr\\u00fc\\u00dfe\"}");
    }

    @Test
    void isIdempotent() {
        String once = CanonicalJson.canonicalize("{\"z\":[\"é\",{\"k\":\"\\u0000\"}],\"a\":1.50}");
        assertThat(CanonicalJson.canonicalize(once)).isEqualTo(once);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "{\"a\":1} {}", "1 2", "NaN",
            "01", "+1", ".5", "'a'", "{a:1}", "// c\n{}", "[\"\\x\"]", "tru"})
    void rejectsMalformedJson(String bad) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    @Test
    void rejectsInvalidUtf8AndNull() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(new byte[] {'"', (byte) 0xC3, '"'}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize((byte[]) null)).isInstanceOf(IllegalArgumentException.class);
    }
}
