package dev.galley.client;

import java.nio.charset.StandardCharsets;

/** Makes a user-typed request target safe to put in a URL without changing what it means to the server. */
final class UrlText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    // Printable ASCII that java.net.URI rejects in a path or query, or that HTTP stacks treat unevenly.
    private static final String ILLEGAL_ASCII = " \"<>\\^`{|}";

    private UrlText() {}

    /**
     * Percent-encodes (UTF-8, upper-case hex) spaces, non-ASCII, control characters and the printable ASCII
     * that URLs forbid, plus a {@code %} not followed by two hex digits; leaves existing escapes and every
     * other character alone. The server decodes the query before canonicalizing it, so this never changes
     * a signature's meaning; the path is signed after escaping, i.e. as sent.
     */
    static String escapeIllegal(String target) {
        StringBuilder out = new StringBuilder(target.length());
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean keep = c > 0x20 && c < 0x7f && ILLEGAL_ASCII.indexOf(c) < 0
                    && (c != '%' || (i + 2 < target.length() && isHex(target.charAt(i + 1)) && isHex(target.charAt(i + 2))));
            if (keep) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < target.length() ? i + 2 : i + 1;
            for (byte b : target.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
            i = end - 1;
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
