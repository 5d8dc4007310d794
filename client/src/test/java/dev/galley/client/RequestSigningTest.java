package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of docs/authentication.md (values computed independently with Python). */
class RequestSigningTest {
    static final ApiKeyPair KEY = new ApiKeyPair("pk_live_3f9a2c", "sk_live_example_secret_do_not_use");
    static final long TIME = 1_767_225_600_000L;
    static final String NONCE = "0123456789abcdef0123456789abcdef";

    @Test
    void getExampleFromTheDocs() {
        Map<String, String> headers = RequestSigning.headers(KEY, "GET",
                "/v1/job-recipes?page=1&filter[visibility]=PUBLIC,PRIVATE&filter[name]=big%20jobs", null, TIME, NONCE);
        assertThat(headers).containsExactly(
                Map.entry("X-API-Key", "pk_live_3f9a2c"),
                Map.entry("X-Time", "1767225600000"),
                Map.entry("X-Nonce", NONCE),
                Map.entry("X-Signature", "e7464e0ff68421cf1e8aba92230ab2edc4ab42e2081c94e4b953e9c58f8a0fc3"));
        assertThat(RequestSigning.canonicalString(KEY, "GET",
                "/v1/job-recipes?page=1&filter[visibility]=PUBLIC,PRIVATE&filter[name]=big+jobs", null, TIME, NONCE))
                .isEqualTo("pk_live_3f9a2c|1767225600000|0123456789abcdef0123456789abcdef|GET|/v1/job-recipes|"
                        + "filter%5Bname%5D=big%20jobs&filter%5Bvisibility%5D=PUBLIC%2CPRIVATE&page=1|"
                        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void postExampleFromTheDocsSignsTheRawBody() {
        byte[] body = ("{\"title\": \"Grüße\", \"task\": \"BATCH\", \"max_timeout_run_ms\": 600000, "
                + "\"parameters\": {\"parameters\": {\"image\": \"alpine\", \"tag\": \"3.20\"}}}").getBytes(StandardCharsets.UTF_8);
        assertThat(RequestSigning.headers(KEY, "post", "/v1/jobs", body, TIME, NONCE))
                .containsEntry("X-Signature", "d02c9d567c8751139e064d40b2bbd0f52fa5b3d378d1756beb3f54bded265ebb");
        assertThat(RequestSigning.canonicalString(KEY, "post", "/v1/jobs", body, TIME, NONCE)).isEqualTo(
                "pk_live_3f9a2c|1767225600000|0123456789abcdef0123456789abcdef|POST|/v1/jobs||"
                        + "3981ed59c88a047e81c689f34f092b72cabb8efcde9f4ce8113f05066d471e13");
    }

    @Test
    void ignoresAFragmentAndRejectsARelativePath() {
        assertThat(RequestSigning.canonicalString(KEY, "GET", "/v1/jobs?b=2&a=1#top", null, TIME, NONCE))
                .contains("|GET|/v1/jobs|a=1&b=2|");
        assertThatThrownBy(() -> RequestSigning.canonicalString(KEY, "GET", "v1/jobs", null, TIME, NONCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start with '/'");
    }

    @Test
    void randomNoncesAre32HexAndDiffer() {
        String a = RequestSigning.randomNonce();
        assertThat(a).matches("[0-9a-f]{32}");
        assertThat(RequestSigning.randomNonce()).isNotEqualTo(a);
    }
}
