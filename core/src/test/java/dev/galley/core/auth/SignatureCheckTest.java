package dev.galley.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.auth.SignatureCheck.Mismatch;
import dev.galley.core.auth.SignatureCheck.Unverifiable;
import dev.galley.core.auth.SignatureCheck.Valid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of docs/authentication.md; every expected value below was computed independently with
 * Python (hashlib, hmac, urllib.parse, json.dumps), so a change here means the document must change too.
 */
class SignatureCheckTest {
    static final String PK = "pk_live_3f9a2c";
    static final String SK = "sk_live_example_secret_do_not_use";
    static final String TIME = "1767225600000";
    static final String NONCE = "0123456789abcdef0123456789abcdef";

    static final String QUERY = "page=1&filter[visibility]=PUBLIC,PRIVATE&filter[name]=big%20jobs";
    static final String GET_CANONICAL_20 = PK + "|" + TIME + "|" + NONCE + "|GET|/v1/job-recipes|"
            + "filter%5Bname%5D=big%20jobs&filter%5Bvisibility%5D=PUBLIC%2CPRIVATE&page=1|"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String GET_SIGNATURE_20 = "e7464e0ff68421cf1e8aba92230ab2edc4ab42e2081c94e4b953e9c58f8a0fc3";
    static final String GET_SIGNATURE_PLUS = "09ce82daf82e9e57b4d1f482e9262eea8cd493fb5fb411aa47f90845791e8964";

    static final byte[] BODY = ("{\"title\": \"Grüße\", \"task\": \"BATCH\", \"max_timeout_run_ms\": 600000, "
            + "\"parameters\": {\"parameters\": {\"image\": \"alpine\", \"tag\": \"3.20\"}}}").getBytes(StandardCharsets.UTF_8);
    static final String RAW_BODY_HASH = "3981ed59c88a047e81c689f34f092b72cabb8efcde9f4ce8113f05066d471e13";
    static final String CANONICAL_BODY_HASH = "76b10a4408b92c6fd5f11d910c9d701f0bc10eeab1490ade8f7dc6bb411a92ca";
    static final String POST_CANONICAL_RAW = PK + "|" + TIME + "|" + NONCE + "|POST|/v1/jobs||" + RAW_BODY_HASH;
    static final String POST_SIGNATURE_RAW = "d02c9d567c8751139e064d40b2bbd0f52fa5b3d378d1756beb3f54bded265ebb";
    static final String POST_SIGNATURE_CANONICAL = "52915f8692936a7ee363baad6a2d301aa0b3d1210daea247b7ab871bc93919d2";

    private static SignatureCheck.Result getWith(String signature) {
        return SignatureCheck.verify(PK, SK, TIME, NONCE, "GET", "/v1/job-recipes", QUERY, new byte[0], signature);
    }

    private static SignatureCheck.Result postWith(String signature) {
        return SignatureCheck.verify(PK, SK, TIME, NONCE, "POST", "/v1/jobs", null, BODY, signature);
    }

    @Test
    void documentedExampleBuildsFromThePieces() {
        String query = CanonicalRequest.canonicalQuery(QUERY, CanonicalRequest.SpaceStyle.PERCENT_20);
        String canonical = CanonicalRequest.stringToSign(PK, TIME, NONCE, "GET", "/v1/job-recipes", query,
                CanonicalRequest.sha256Hex(null));
        assertThat(canonical).isEqualTo(GET_CANONICAL_20);
        assertThat(CanonicalRequest.hmacSha256Hex(SK, canonical)).isEqualTo(GET_SIGNATURE_20);
        assertThat(CanonicalRequest.sha256Hex(BODY)).isEqualTo(RAW_BODY_HASH);
    }

    @Test
    void acceptsPercent20AndPlusQueries() {
        assertThat(getWith(GET_SIGNATURE_20)).isInstanceOf(Valid.class);
        assertThat(getWith(GET_SIGNATURE_PLUS)).isInstanceOf(Valid.class);
    }

    @Test
    void acceptsRawAndCanonicalBodyHashes() {
        assertThat(postWith(POST_SIGNATURE_RAW)).isInstanceOf(Valid.class);
        assertThat(postWith(POST_SIGNATURE_CANONICAL)).isInstanceOf(Valid.class);
    }

    @Test
    void acceptsPlusQueryCombinedWithCanonicalBody() {
        String canonical = CanonicalRequest.stringToSign(PK, TIME, NONCE, "POST", "/v1/x", "a=b+c",
                CANONICAL_BODY_HASH);
        String signature = CanonicalRequest.hmacSha256Hex(SK, canonical);
        assertThat(SignatureCheck.verify(PK, SK, TIME, NONCE, "POST", "/v1/x", "a=b%20c", BODY, signature))
                .isInstanceOf(Valid.class);
    }

    @Test
    void mismatchCarriesThePercent20RawBodyCanonicalString() {
        String tampered = "0" + POST_SIGNATURE_RAW.substring(1);
        assertThat(postWith(tampered)).isEqualTo(new Mismatch(POST_CANONICAL_RAW));
        assertThat(getWith("f".repeat(64))).isEqualTo(new Mismatch(GET_CANONICAL_20));
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecretOrOverAnotherRequest() {
        assertThat(SignatureCheck.verify(PK, SK + "x", TIME, NONCE, "POST", "/v1/jobs", null, BODY, POST_SIGNATURE_RAW))
                .isInstanceOf(Mismatch.class);
        assertThat(SignatureCheck.verify(PK, SK, TIME, NONCE, "POST", "/v1/jobs/", null, BODY, POST_SIGNATURE_RAW))
                .isInstanceOf(Mismatch.class);
        assertThat(SignatureCheck.verify(PK, SK, "1767225600001", NONCE, "POST", "/v1/jobs", null, BODY,
                POST_SIGNATURE_RAW)).isInstanceOf(Mismatch.class);
        byte[] otherBody = new String(BODY, StandardCharsets.UTF_8).replace("3.20", "3.21").getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureCheck.verify(PK, SK, TIME, NONCE, "POST", "/v1/jobs", null, otherBody, POST_SIGNATURE_RAW))
                .isInstanceOf(Mismatch.class);
    }

    @Test
    void nonJsonBodyIsCheckedByItsRawHashOnly() {
        byte[] text = "line one\n".getBytes(StandardCharsets.UTF_8);
        String canonical = CanonicalRequest.stringToSign(PK, TIME, NONCE, "POST", "/v1/job-runs/x/logs", "",
                CanonicalRequest.sha256Hex(text));
        String signature = CanonicalRequest.hmacSha256Hex(SK, canonical);
        assertThat(SignatureCheck.verify(PK, SK, TIME, NONCE, "POST", "/v1/job-runs/x/logs", "", text, signature))
                .isInstanceOf(Valid.class);
    }

    @Test
    void malformedQueryIsUnverifiable() {
        assertThat(SignatureCheck.verify(PK, SK, TIME, NONCE, "GET", "/v1/jobs", "a=%zz", null, GET_SIGNATURE_20))
                .isInstanceOf(Unverifiable.class)
                .extracting(r -> ((Unverifiable) r).problem()).asString().contains("percent escape");
    }

    @Test
    void headerProblemNamesTheFirstBadHeader() {
        String sig = "a".repeat(64);
        assertThat(SignatureCheck.headerProblem(PK, TIME, NONCE, sig)).isEmpty();
        assertThat(SignatureCheck.headerProblem(null, TIME, NONCE, sig)).get().asString().contains("X-API-Key");
        assertThat(SignatureCheck.headerProblem(PK, " ", NONCE, sig)).get().asString().contains("missing X-Time");
        assertThat(SignatureCheck.headerProblem(PK, TIME, null, sig)).get().asString().contains("missing X-Nonce");
        assertThat(SignatureCheck.headerProblem(PK, TIME, NONCE, null)).get().asString().contains("missing X-Signature");
        assertThat(SignatureCheck.headerProblem(PK, "1767225600.5", NONCE, sig)).get().asString().contains("X-Time");
        assertThat(SignatureCheck.headerProblem(PK, "-5", NONCE, sig)).get().asString().contains("X-Time");
        assertThat(SignatureCheck.headerProblem(PK, "9".repeat(19), NONCE, sig)).get().asString().contains("X-Time");
    }

    @Test
    void nonceMustBe16To64HexCharacters() {
        String sig = "a".repeat(64);
        assertThat(SignatureCheck.headerProblem(PK, TIME, "a".repeat(16), sig)).isEmpty();
        assertThat(SignatureCheck.headerProblem(PK, TIME, "ABCDEF0123456789".repeat(4), sig)).isEmpty();
        assertThat(SignatureCheck.headerProblem(PK, TIME, "a".repeat(15), sig)).get().asString().contains("X-Nonce");
        assertThat(SignatureCheck.headerProblem(PK, TIME, "a".repeat(65), sig)).get().asString().contains("X-Nonce");
        assertThat(SignatureCheck.headerProblem(PK, TIME, "g".repeat(32), sig)).get().asString().contains("X-Nonce");
    }

    @Test
    void signatureMustBe64LowerCaseHex() {
        assertThat(SignatureCheck.headerProblem(PK, TIME, NONCE, "A".repeat(64))).get().asString().contains("lower-case");
        assertThat(SignatureCheck.headerProblem(PK, TIME, NONCE, "a".repeat(63))).get().asString().contains("X-Signature");
        assertThat(SignatureCheck.headerProblem(PK, TIME, NONCE, "a".repeat(65))).get().asString().contains("X-Signature");
    }

    @Test
    void clockWindowIsFiveMinutesEitherWay() {
        long now = 1_767_225_600_000L;
        assertThat(SignatureCheck.clockProblem(now + 300_000, now)).isEmpty();
        assertThat(SignatureCheck.clockProblem(now - 300_000, now)).isEmpty();
        assertThat(SignatureCheck.clockProblem(now + 300_001, now)).get().asString().contains("ahead of").contains("clock");
        assertThat(SignatureCheck.clockProblem(now - 3_600_000, now)).get().asString().contains("3600 s behind");
        assertThat(SignatureCheck.timestampMillis(TIME)).isEqualTo(1_767_225_600_000L);
    }
}
