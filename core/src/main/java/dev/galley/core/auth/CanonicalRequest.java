package dev.galley.core.auth;

import dev.galley.core.json.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pieces of a request signature (spec §2), shared by the server's check and the client's signer so
 * both sides compute byte-identical strings.
 *
 * <p>Canonical string: {@code publicKey|timestamp|nonce|METHOD|path|canonicalQuery|bodySha256}, signed with
 * HMAC-SHA256 keyed by the UTF-8 bytes of the whole secret key ({@code sk_…}).
 */
public final class CanonicalRequest {
    /** How a space is written in the canonical query: both are accepted by the server (spec §2). */
    public enum SpaceStyle {
        /** RFC 3986 ({@code quote(safe='')} in Python); what Galley's own clients sign. */
        PERCENT_20,
        /** HTML-form style ({@code urllib.parse.urlencode}); what the official Dispersed Python client signs. */
        PLUS
    }

    /** SHA-256 of zero bytes: the body hash of every request without a body. */
    public static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final HexFormat LOWER_HEX = HexFormat.of();
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private record Pair(String key, String value) {}

    private static final Comparator<Pair> PAIR_ORDER = Comparator
            .comparing(Pair::key, CanonicalJson.CODE_POINT_ORDER)
            .thenComparing(Pair::value, CanonicalJson.CODE_POINT_ORDER);

    private CanonicalRequest() {}

    /**
     * The canonical form of a raw query string (without the leading {@code ?}): pairs split on {@code &}
     * and on the first {@code =}, percent-decoded ({@code +} and {@code %20} both mean space; literal
     * non-ASCII characters count as their UTF-8 bytes), sorted by key then value in code-point order, then
     * re-encoded: {@code A-Z a-z 0-9 - _ . ~} stay, space becomes {@code %20} or {@code +} per {@code style},
     * every other byte of the UTF-8 form becomes {@code %XX} (upper-case hex).
     *
     * <p>Empty segments ({@code a=1&&b=2}, a trailing {@code &}) are skipped; a segment without {@code =} is a
     * key with an empty value ({@code flag} → {@code flag=}). {@code null} or empty gives {@code ""}.
     *
     * @throws IllegalArgumentException on a malformed {@code %} escape or bytes that are not UTF-8
     */
    public static String canonicalQuery(String rawQueryOrNull, SpaceStyle style) {
        if (style == null) throw new IllegalArgumentException("space style is required");
        if (rawQueryOrNull == null || rawQueryOrNull.isEmpty()) return "";
        List<Pair> pairs = new ArrayList<>();
        for (String segment : rawQueryOrNull.split("&", -1)) {
            if (segment.isEmpty()) continue;
            int eq = segment.indexOf('=');
            String key = eq < 0 ? segment : segment.substring(0, eq);
            String value = eq < 0 ? "" : segment.substring(eq + 1);
            pairs.add(new Pair(decode(key), decode(value)));
        }
        pairs.sort(PAIR_ORDER);
        StringBuilder out = new StringBuilder();
        for (Pair pair : pairs) {
            if (!out.isEmpty()) out.append('&');
            encode(pair.key(), style, out);
            out.append('=');
            encode(pair.value(), style, out);
        }
        return out.toString();
    }

    /** The seven parts joined with {@code |}; the method is upper-cased, everything else used as given. */
    public static String stringToSign(String publicKey, String timestampMs, String nonce, String method, String path,
                                      String canonicalQuery, String bodySha256Hex) {
        return String.join("|", publicKey, timestampMs, nonce, method.toUpperCase(Locale.ROOT), path,
                canonicalQuery, bodySha256Hex);
    }

    /** Lower-case hex SHA-256; {@code null} counts as an empty body. */
    public static String sha256Hex(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return LOWER_HEX.formatHex(digest.digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Lower-case hex HMAC-SHA256 of the UTF-8 message, keyed with the UTF-8 bytes of the whole secret key. */
    public static String hmacSha256Hex(String secretKey, String message) {
        if (secretKey == null || secretKey.isEmpty()) throw new IllegalArgumentException("secret key is required");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return LOWER_HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /**
     * Compares without an early exit on the first differing byte, so response timing does not reveal how
     * much of a forged signature was right. Lengths are not secret (a signature is always 64 characters).
     * {@code null} equals nothing.
     */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 1)) : -1;
                int low = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("malformed percent escape in query: '%' must be followed by"
                            + " two hex digits (in '" + encoded + "')");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // A literal non-ASCII character (some HTTP stacks hand the query over undecoded but not
                // escaped): take its UTF-8 bytes, surrogate pairs together.
                int end = Character.isHighSurrogate(c) && i + 1 < encoded.length() ? i + 2 : i + 1;
                bytes.writeBytes(utf8(encoded.substring(i, end)));
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("query is not valid UTF-8 after percent-decoding", e);
        }
    }

    /** ASCII hex only: {@code Character.digit} would also accept non-ASCII digits such as U+0663. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static byte[] utf8(String s) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("query holds an unpaired surrogate character", e);
        }
    }

    private static void encode(String decoded, SpaceStyle style, StringBuilder out) {
        for (byte b : utf8(decoded)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append(style == SpaceStyle.PLUS ? "+" : "%20");
            } else {
                out.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
            }
        }
    }
}
