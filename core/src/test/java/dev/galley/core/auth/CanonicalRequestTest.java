package dev.galley.core.auth;

import static dev.galley.core.auth.CanonicalRequest.SpaceStyle.PERCENT_20;
import static dev.galley.core.auth.CanonicalRequest.SpaceStyle.PLUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalRequestTest {

    @Test
    void dispersedDocumentationExample() {
        String query = CanonicalRequest.canonicalQuery("page=1&limit=10", PERCENT_20);
        String canonical = CanonicalRequest.stringToSign("pk_abc123", "1706918400000", "a1b2c3d4e5f6a7b8", "GET",
                "/v1/jobs", query, CanonicalRequest.sha256Hex(new byte[0]));
        assertThat(canonical).isEqualTo("pk_abc123|1706918400000|a1b2c3d4e5f6a7b8|GET|/v1/jobs|limit=10&page=1|"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // Signature computed independently with Python's hmac module.
        assertThat(CanonicalRequest.hmacSha256Hex("sk_abc123", canonical))
                .isEqualTo("2820236e2a79a46e0c7ef6a2eb67e8d8d4060e9a1f65eb1f040e4f831b73c31c");
    }

    @Test
    void sortsKeysThenValuesIncludingDuplicateKeys() {
        assertThat(CanonicalRequest.canonicalQuery("z=3&a=1&b=2", PERCENT_20)).isEqualTo("a=1&b=2&z=3");
        assertThat(CanonicalRequest.canonicalQuery("tag=zebra&tag=apple", PERCENT_20)).isEqualTo("tag=apple&tag=zebra");
    }

    @Test
    void sortsOnDecodedTextNotOnEscapes() {
        // Decoded, "~" (U+007E) sorts before "é" (U+00E9); sorting the escaped forms would put "%C3%A9" first.
        assertThat(CanonicalRequest.canonicalQuery("k=%C3%A9&k=~", PLUS)).isEqualTo("k=~&k=%C3%A9");
        assertThat(CanonicalRequest.canonicalQuery("k=a~&k=a+b", PLUS)).isEqualTo("k=a+b&k=a~");
    }

    @Test
    void encodesBracketsAndReservedCharactersWithUpperCaseHex() {
        assertThat(CanonicalRequest.canonicalQuery("filter[status]=PENDING,RUNNING", PERCENT_20))
                .isEqualTo("filter%5Bstatus%5D=PENDING%2CRUNNING");
        assertThat(CanonicalRequest.canonicalQuery("filter%5bstatus%5d=a%2fb", PERCENT_20))
                .isEqualTo("filter%5Bstatus%5D=a%2Fb");
        assertThat(CanonicalRequest.canonicalQuery("x=-_.~!*'()", PERCENT_20)).isEqualTo("x=-_.~%21%2A%27%28%29");
    }

    @Test
    void bothSpaceSpellingsDecodeToSpaceAndReEncodePerStyle() {
        assertThat(CanonicalRequest.canonicalQuery("name=big+jobs&q=a%20b", PERCENT_20)).isEqualTo("name=big%20jobs&q=a%20b");
        assertThat(CanonicalRequest.canonicalQuery("name=big+jobs&q=a%20b", PLUS)).isEqualTo("name=big+jobs&q=a+b");
        // A literal plus sign must be sent as %2B and stays %2B.
        assertThat(CanonicalRequest.canonicalQuery("q=1%2B1", PLUS)).isEqualTo("q=1%2B1");
    }

    @Test
    void encodesUtf8BytesWhetherEscapedOrLiteral() {
        assertThat(CanonicalRequest.canonicalQuery("name=gr%C3%BC%C3%9F", PERCENT_20)).isEqualTo("name=gr%C3%BC%C3%9F");
        assertThat(CanonicalRequest.canonicalQuery("name=grüß&e=😀", PERCENT_20))
                .isEqualTo("e=%F0%9F%98%80&name=gr%C3%BC%C3%9F");
    }

    @Test
    void handlesEmptyAndValuelessPairs() {
        assertThat(CanonicalRequest.canonicalQuery(null, PERCENT_20)).isEmpty();
        assertThat(CanonicalRequest.canonicalQuery("", PLUS)).isEmpty();
        assertThat(CanonicalRequest.canonicalQuery("b=&a", PERCENT_20)).isEqualTo("a=&b=");
        assertThat(CanonicalRequest.canonicalQuery("a=1&&b=2&", PERCENT_20)).isEqualTo("a=1&b=2");
        assertThat(CanonicalRequest.canonicalQuery("a=x=y", PERCENT_20)).isEqualTo("a=x%3Dy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%G1", "%=1", "a=%\u0663\u0663", "a=%C3"})
    void rejectsMalformedEscapesAndNonUtf8(String raw) {
        assertThatThrownBy(() -> CanonicalRequest.canonicalQuery(raw, PERCENT_20))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringToSignUpperCasesTheMethodOnly() {
        assertThat(CanonicalRequest.stringToSign("pk", "1", "n", "post", "/v1/Jobs", "", "h"))
                .isEqualTo("pk|1|n|POST|/v1/Jobs||h");
    }

    @Test
    void hashesAndMacsAreLowerCaseHex() {
        assertThat(CanonicalRequest.sha256Hex(null)).isEqualTo(CanonicalRequest.EMPTY_BODY_SHA256);
        assertThat(CanonicalRequest.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // RFC 4231 test case 2.
        assertThat(CanonicalRequest.hmacSha256Hex("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThatThrownBy(() -> CanonicalRequest.hmacSha256Hex("", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constantTimeEqualsComparesWholeStrings() {
        assertThat(CanonicalRequest.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(CanonicalRequest.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(CanonicalRequest.constantTimeEquals("abc", "abcd")).isFalse();
        assertThat(CanonicalRequest.constantTimeEquals(null, "abc")).isFalse();
        assertThat(CanonicalRequest.constantTimeEquals("abc", null)).isFalse();
    }
}
