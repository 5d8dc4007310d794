package dev.galley.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One case of the corpus, as data: everything needed to send it again (and to say what it is) except the
 * signature, which depends on the clock and is computed when it is sent.
 *
 * @param target    the request target exactly as it goes on the wire (path and query, already percent-encoded)
 * @param signing   how to sign it; null for a request without any signing header
 * @param edits     changes to the headers after signing, in order (drop, replace, garble, add)
 * @param wire      how the request is framed on the wire (normally plain HTTP/1.1 with a Content-Length)
 * @param foreign   the request aims at another tenant's object (or uses another tenant's key on ours): it must not succeed
 * @param mutations what was changed from the valid request, for people
 */
record FuzzRequest(long seed, int index, FuzzCorpus.Family family, WriteEndpoint endpoint, String method, String target,
                   Signing signing, List<HeaderEdit> edits, Wire wire, byte[] body, boolean foreign, List<String> mutations) {

    /**
     * Whose key signs, and what it signs: normally this request as sent; a different method, target, body or secret
     * makes a well-formed signature that does not match.
     *
     * @param clockOffsetMs added to the real clock for {@code X-Time}
     */
    record Signing(Signer key, Signer secretOf, long clockOffsetMs, String nonce, String signedMethod, String signedTarget,
                   byte[] signedBody) {
        static Signing of(Signer key, String nonce) {
            return new Signing(key, key, 0, nonce, null, null, null);
        }

        Signing withKey(Signer k) {
            return new Signing(k, k, clockOffsetMs, nonce, signedMethod, signedTarget, signedBody);
        }

        Signing withSecretOf(Signer s) {
            return new Signing(key, s, clockOffsetMs, nonce, signedMethod, signedTarget, signedBody);
        }

        Signing withClockOffset(long ms) {
            return new Signing(key, secretOf, ms, nonce, signedMethod, signedTarget, signedBody);
        }

        Signing withNonce(String n) {
            return new Signing(key, secretOf, clockOffsetMs, n, signedMethod, signedTarget, signedBody);
        }

        Signing over(String method, String target, byte[] body) {
            return new Signing(key, secretOf, clockOffsetMs, nonce, method, target, body);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("signed by " + key);
            if (secretOf != key) sb.append(" with the secret of ").append(secretOf);
            if (clockOffsetMs != 0) sb.append(", clock ").append(clockOffsetMs > 0 ? "+" : "").append(clockOffsetMs).append(" ms");
            sb.append(", nonce ").append(nonce);
            if (signedMethod != null) sb.append(", over method ").append(signedMethod);
            if (signedTarget != null) sb.append(", over target ").append(signedTarget);
            if (signedBody != null) sb.append(", over a body of ").append(signedBody.length).append(" bytes");
            return sb.toString();
        }
    }

    /** A change to one header after signing. */
    record HeaderEdit(Op op, String name, String value) {
        enum Op {
            /** Remove every header of this name. */
            REMOVE,
            /** Replace every header of this name by one with this value (or add it). */
            SET,
            /** Add one more header of this name, keeping the others. */
            ADD,
            /** Upper-case the value. */
            UPPERCASE,
            /** Change the value's last character. */
            FLIP_LAST
        }

        static HeaderEdit remove(String name) {
            return new HeaderEdit(Op.REMOVE, name, null);
        }

        static HeaderEdit set(String name, String value) {
            return new HeaderEdit(Op.SET, name, value);
        }

        static HeaderEdit add(String name, String value) {
            return new HeaderEdit(Op.ADD, name, value);
        }

        @Override
        public String toString() {
            return op + " " + name + (value == null ? "" : ": " + JsonMutations.abbreviate(ByteMutations.printable(value)));
        }
    }

    /** How the request is framed: plain HTTP/1.1, or one of the ways a client gets HTTP itself wrong. */
    enum Wire {
        NORMAL, CHUNKED, CONTENT_LENGTH_NOT_A_NUMBER, CONTENT_LENGTH_NEGATIVE, TWO_CONTENT_LENGTHS, BARE_LF, HTTP_1_0,
        LOWER_CASE_METHOD, ABSOLUTE_FORM, OBS_FOLD, HEADER_WITHOUT_COLON, SPACE_BEFORE_COLON, EXPECT_CONTINUE
    }

    /** The case as people read it in a failure: how to find it again, what it changed, and the request itself. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("case #").append(index).append(" (seed ").append(seed).append(", ").append(family).append(", ").append(endpoint).append(")\n");
        for (String m : mutations) sb.append("  mutation: ").append(m).append('\n');
        sb.append("  ").append(method).append(' ').append(JsonMutations.abbreviate(target)).append('\n');
        sb.append("  ").append(signing == null ? "unsigned" : signing).append('\n');
        for (HeaderEdit e : edits) sb.append("  header: ").append(e).append('\n');
        if (wire != Wire.NORMAL) sb.append("  wire: ").append(wire).append('\n');
        sb.append("  body (").append(body.length).append(" bytes): ").append(preview(body, 600));
        return sb.toString();
    }

    /** Up to {@code max} bytes as text, with bytes that are no printable UTF-8 as {@code \xNN}. */
    static String preview(byte[] bytes, int max) {
        String text = new String(bytes, 0, Math.min(bytes.length, max), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\uFFFD' || c < 0x20 && c != '\n') sb.append(String.format("\\x%02X", c == '\uFFFD' ? 0xFF : (int) c));
            else sb.append(c);
        }
        if (bytes.length > max) sb.append("…");
        return sb.toString();
    }
}
