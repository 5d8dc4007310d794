package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.fuzz.FuzzRequest.HeaderEdit;
import dev.galley.server.fuzz.FuzzRequest.Signing;
import dev.galley.server.fuzz.FuzzRequest.Wire;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The fuzz corpus: case {@code i} of seed {@code s} is always the same request (for the same targets), so any
 * failure is reproduced with the seed and the case number it prints. Each case starts from a valid request to one
 * write endpoint and breaks one thing about it, chosen by {@link Family}: its JSON structure, its bytes, its path,
 * query, content type, signature or other headers, the key that signs it, or the HTTP framing itself.
 *
 * <p>System properties: {@value #SEED_PROPERTY} (a number, or {@code random} for a new seed each run; default
 * {@value #DEFAULT_SEED}) and {@value #CASES_PROPERTY} (default {@value #DEFAULT_CASES}).
 */
public final class FuzzCorpus {
    public static final String SEED_PROPERTY = "galley.fuzz.seed";
    public static final String CASES_PROPERTY = "galley.fuzz.cases";
    public static final long DEFAULT_SEED = 20261129L;
    public static final int DEFAULT_CASES = 3000;

    /** What a case breaks, with how often (out of 100) the corpus picks it. */
    public enum Family {
        VALID(4), JSON_TREE(38), BROKEN_BODY(14), PATH(9), QUERY(7), CONTENT_TYPE(6), SIGNING_HEADERS(9), OTHER_HEADERS(6),
        SIGNER(4), PROTOCOL(3);

        final int weight;

        Family(int weight) {
            this.weight = weight;
        }
    }

    /** An Idempotency-Key many cases share, so later ones with another body meet the first one's claim. */
    static final String SHARED_IDEMPOTENCY_KEY = "fuzz-shared-idempotency-key";

    private final long seed;

    public FuzzCorpus(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The seed the system property asks for: a number, {@code random}, or the default. */
    public static long seedFromProperties() {
        String value = System.getProperty(SEED_PROPERTY, "").trim();
        if (value.isEmpty()) return DEFAULT_SEED;
        if (value.equalsIgnoreCase("random")) return new SecureRandom().nextLong() >>> 1;
        return Long.decode(value);
    }

    public static int casesFromProperties() {
        String value = System.getProperty(CASES_PROPERTY, "").trim();
        return value.isEmpty() ? DEFAULT_CASES : Integer.parseInt(value);
    }

    /** Case {@code index}, aimed at {@code targets}; the same arguments always give the same request. */
    public FuzzRequest caseAt(int index, FuzzTargets targets) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        WriteEndpoint endpoint = WriteEndpoint.values()[random.nextInt(WriteEndpoint.values().length)];
        Family family = family(random);
        return new Builder(index, family, endpoint, targets, random).build();
    }

    private static Family family(SplittableRandom random) {
        int roll = random.nextInt(100);
        for (Family f : Family.values()) {
            if (roll < f.weight) return f;
            roll -= f.weight;
        }
        return Family.JSON_TREE;
    }

    /** Mixes the seed and the index (SplitMix64's finalizer), so neighbouring cases are unrelated. */
    static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Builds one case: starts from the valid request and applies its family's mutation. */
    private final class Builder {
        private final int index;
        private final Family family;
        private final WriteEndpoint endpoint;
        private final FuzzTargets targets;
        private final SplittableRandom random;
        private String method;
        private String target;
        private Signing signing;
        private final List<HeaderEdit> edits = new ArrayList<>();
        private Wire wire = Wire.NORMAL;
        private byte[] body;
        private boolean foreign;
        private final List<String> mutations = new ArrayList<>();

        Builder(int index, Family family, WriteEndpoint endpoint, FuzzTargets targets, SplittableRandom random) {
            this.index = index;
            this.family = family;
            this.endpoint = endpoint;
            this.targets = targets;
            this.random = random;
            this.method = endpoint.method;
            UUID ours = targets.ours(endpoint.target);
            this.target = endpoint.path(ours == null ? null : ours.toString());
            this.signing = Signing.of(endpoint.signer, nonce());
            this.body = validBody();
        }

        FuzzRequest build() {
            switch (family) {
                case VALID -> mutations.add("none (the valid request)");
                case JSON_TREE -> jsonTree();
                case BROKEN_BODY -> brokenBody();
                case PATH -> path();
                case QUERY -> query();
                case CONTENT_TYPE -> contentType();
                case SIGNING_HEADERS -> signingHeaders();
                case OTHER_HEADERS -> otherHeaders();
                case SIGNER -> signer();
                case PROTOCOL -> protocol();
            }
            return new FuzzRequest(seed, index, family, endpoint, method, target, signing, List.copyOf(edits), wire, body,
                    foreign, List.copyOf(mutations));
        }

        private byte[] validBody() {
            if (endpoint.hasTextBody()) return WriteEndpoint.validLogText().getBytes(StandardCharsets.UTF_8);
            JsonNode json = endpoint.validBody(targets, random);
            return json == null ? new byte[0] : json.toString().getBytes(StandardCharsets.UTF_8);
        }

        // --- bodies ---------------------------------------------------------------------------------------------

        private void jsonTree() {
            if (endpoint.hasTextBody()) {
                logText();
                return;
            }
            JsonNode start = endpoint.hasJsonBody() ? endpoint.validBody(targets, random) : unexpectedBody();
            JsonDraft draft = new JsonDraft(start.deepCopy());
            JsonMutations mutate = new JsonMutations(random, targets.vocabulary());
            int count = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
            for (int i = 0; i < count; i++) {
                JsonMutations.Kind kind = JsonMutations.Kind.values()[random.nextInt(JsonMutations.Kind.values().length)];
                mutations.add(mutate.apply(draft, kind));
            }
            body = draft.bytes();
        }

        /** A JSON body for an endpoint that takes none (a DELETE): another endpoint's body. */
        private JsonNode unexpectedBody() {
            mutations.add("a JSON body where none is expected");
            WriteEndpoint other = WriteEndpoint.values()[random.nextInt(WriteEndpoint.values().length)];
            JsonNode b = other.validBody(targets, random);
            return b != null ? b : WriteEndpoint.read("{\"reason\":\"x\"}");
        }

        private void logText() {
            switch (random.nextInt(4)) {
                case 0 -> {
                    String text = HostileValues.LOG_TEXTS.get(random.nextInt(HostileValues.LOG_TEXTS.size()));
                    body = text.getBytes(StandardCharsets.UTF_8);
                    mutations.add("log text " + ByteMutations.printable(text));
                }
                case 1 -> {
                    int size = new int[]{256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 1024 * 1024 + 1}[random.nextInt(4)];
                    byte[] big = new byte[size];
                    java.util.Arrays.fill(big, (byte) 'x');
                    for (int i = 99; i < size; i += 100) big[i] = '\n';
                    body = big;
                    mutations.add("log text of " + size + " bytes");
                }
                case 2 -> {
                    byte[] bytes = new byte[1 + random.nextInt(512)];
                    for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) random.nextInt(256);
                    body = bytes;
                    mutations.add(bytes.length + " random bytes as log text");
                }
                default -> {
                    ByteMutations.Mutated m = new ByteMutations(random).apply(body,
                            random.nextBoolean() ? ByteMutations.Kind.INVALID_UTF8 : ByteMutations.Kind.RAW_CONTROL);
                    body = m.body();
                    mutations.add(m.description());
                }
            }
        }

        private void brokenBody() {
            if (endpoint.hasJsonBody() && random.nextInt(4) == 0) {
                JsonDraft draft = new JsonDraft(endpoint.validBody(targets, random));
                mutations.add(new JsonMutations(random, targets.vocabulary()).apply(draft,
                        JsonMutations.Kind.values()[random.nextInt(JsonMutations.Kind.values().length)]));
                body = draft.bytes();
            }
            if (body.length == 0) body = unexpectedBody().toString().getBytes(StandardCharsets.UTF_8);
            ByteMutations.Kind kind = ByteMutations.Kind.values()[random.nextInt(ByteMutations.Kind.values().length)];
            ByteMutations.Mutated m = new ByteMutations(random).apply(body, kind);
            body = m.body();
            mutations.add(m.description());
        }

        // --- path and query -------------------------------------------------------------------------------------

        private void path() {
            if (endpoint.target == FuzzTargets.Kind.NONE) {
                String odd = oneOf(List.of("/", "//", "/.", "/..", "/x", ";jsessionid=1", "%2F", "%00", "?", "#frag"));
                String base = endpoint.pathTemplate;
                target = switch (random.nextInt(4)) {
                    case 0 -> base + odd;
                    case 1 -> base.toUpperCase(Locale.ROOT);
                    case 2 -> "/" + base;
                    default -> base.replace("/v1/", "/v1/./");
                };
                mutations.add("path " + target);
                return;
            }
            UUID ours = targets.ours(endpoint.target);
            String segment;
            switch (random.nextInt(6)) {
                case 0 -> {
                    segment = targets.foreign(endpoint.target).toString();
                    foreign = true;
                }
                case 1 -> segment = new UUID(random.nextLong(), random.nextLong()).toString();
                case 2 -> segment = targets.allOurs().get(random.nextInt(targets.allOurs().size())).toString();
                case 3 -> segment = oneOf(List.of(ours.toString().toUpperCase(Locale.ROOT), ours.toString().replace("-", ""),
                        "%7B" + ours + "%7D", ours + "%00", ours + "/", ours + ";x=1", ours + "%2F..", ours + "/../" + ours,
                        " " + ours, ours.toString().substring(1), ours + "0"));
                default -> segment = oneOf(List.of("", "not-a-uuid", "..", "%2e%2e", ".", "%00", "%2F", "a%20b", "%F0%9F%98%80",
                        "%C3%28", "%FF", "%7Buuid%7D", "null", "undefined", "-1", "0", "1e309", "%27%20OR%201%3D1--",
                        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                        "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "a".repeat(5000), "%u0041", "\\u0041", "%", "%4", "%zz", "%%30"));
            }
            target = endpoint.path(segment);
            mutations.add("path id " + JsonMutations.abbreviate(segment) + (foreign ? " (another tenant's)" : ""));
        }

        private static final List<String> QUERY_PARTS = List.of(
                "page=-1", "page=0", "page=99999999999999999999", "limit=1e9", "limit=0", "limit=-5", "limit=51", "sort=-created_at%3BDROP",
                "filter[status]=RUNNING", "filter%5Bstatus%5D=x", "filter[]=x", "filter[[a]]=1", "filter=1", "filter[name]=%00",
                "filter[created_at]=%2B100000-01-01T00:00:00Z", "page=1&page=2", "dry_run=true", "dry_run", "follow=true",
                "wait_ms=-1", "wait_ms=999999999999", "a=%00", "=", "&&&", "a=b=c", "%F0%9F%98%80=%F0%9F%98%80", "a=%C3%28",
                "a=%FF", "a=%ZZ", "a=%", "a+b=c+d", "a=%20", "__proto__[x]=1", "idempotency_key=x", "x[", "]=1", ";=;");

        private void query() {
            List<String> parts = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(12) == 0) parts.add("x=" + "y".repeat(oneOf(List.of(1000, 7000, 20000))));
                else if (random.nextInt(12) == 0) parts.add("account_uuid=" + targets.foreignAccount());
                else parts.add(oneOf(QUERY_PARTS));
            }
            String query = random.nextInt(20) == 0 ? "" : String.join("&", parts);
            target = target + "?" + query;
            mutations.add("query ?" + JsonMutations.abbreviate(query));
        }

        // --- headers --------------------------------------------------------------------------------------------

        private void contentType() {
            if (random.nextInt(6) == 0) {
                edits.add(HeaderEdit.remove("Content-Type"));
                mutations.add("no Content-Type");
                return;
            }
            String type = oneOf(List.of("text/plain", "application/json", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=xyz", "application/json; charset=utf-16", "application/json; charset=nonsense",
                    "application/json;;;", "", "*/*", "application/xml", "application/json; charset=\"", "a".repeat(9000),
                    "application/merge-patch+json", "APPLICATION/JSON", "text/plain; charset=iso-8859-1", "application/octet-stream"));
            edits.add(HeaderEdit.set("Content-Type", type));
            mutations.add("Content-Type " + JsonMutations.abbreviate(type));
        }

        private static final List<String> SIGNING_HEADERS = List.of("X-API-Key", "X-Time", "X-Nonce", "X-Signature");

        private void signingHeaders() {
            switch (random.nextInt(10)) {
                case 0 -> {
                    signing = null;
                    mutations.add("unsigned");
                }
                case 1 -> {
                    String name = oneOf(SIGNING_HEADERS);
                    edits.add(HeaderEdit.remove(name));
                    mutations.add("without " + name);
                }
                case 2 -> {
                    String name = oneOf(SIGNING_HEADERS);
                    String value = oneOf(List.of("", " ", "0", "-1", "null", "pk_", "sk_x", "😀", "a".repeat(300), "\t",
                            "0".repeat(64), "g".repeat(64), "0".repeat(63), "0".repeat(65), "99999999999999999999",
                            "9223372036854775807", "-9223372036854775808", "1e12", "1.5", "+1", " 1 ", "0x10", "%00"));
                    edits.add(HeaderEdit.set(name, value));
                    mutations.add(name + " <- " + ByteMutations.printable(JsonMutations.abbreviate(value)));
                }
                case 3 -> {
                    edits.add(new HeaderEdit(random.nextBoolean() ? HeaderEdit.Op.UPPERCASE : HeaderEdit.Op.FLIP_LAST, "X-Signature", null));
                    mutations.add("garbled signature");
                }
                case 4 -> {
                    long offset = oneOf(List.of(-301_000L, 301_000L, -86_400_000L, 10L * 365 * 86_400_000L, -290_000L, 290_000L));
                    signing = signing.withClockOffset(offset);
                    mutations.add("clock off by " + offset + " ms");
                }
                case 5 -> {
                    String nonce = oneOf(List.of(targets.usedNonce(), "0".repeat(15), "0".repeat(65), "g".repeat(32),
                            "ABCDEF0123456789ABCDEF0123456789", "0".repeat(16), "0".repeat(64), "nonce-with-dashes-0000"));
                    signing = signing.withNonce(nonce);
                    mutations.add("nonce " + nonce);
                }
                case 6 -> {
                    byte[] other = "{\"other\":true}".getBytes(StandardCharsets.UTF_8);
                    signing = switch (random.nextInt(3)) {
                        case 0 -> signing.over(null, null, other);
                        case 1 -> signing.over(null, target + (target.contains("?") ? "&" : "?") + "signed=1", null);
                        default -> signing.over(method.equals("POST") ? "PUT" : "POST", null, null);
                    };
                    mutations.add("signature over another request");
                }
                case 7 -> {
                    signing = signing.withSecretOf(Signer.FOREIGN_TENANT);
                    mutations.add("signed with another tenant's secret");
                }
                case 8 -> {
                    String name = oneOf(SIGNING_HEADERS);
                    edits.add(HeaderEdit.add(name, oneOf(List.of("0".repeat(64), "pk_other", "1", "00"))));
                    mutations.add(name + " twice");
                }
                default -> {
                    for (String name : SIGNING_HEADERS) edits.add(HeaderEdit.set(name.toLowerCase(Locale.ROOT), "@"));
                    edits.add(HeaderEdit.remove("X-API-Key"));
                    mutations.add("signing headers replaced by lower-case garbage");
                }
            }
        }

        private void otherHeaders() {
            switch (random.nextInt(9)) {
                case 0 -> {
                    int size = oneOf(List.of(4_000, 7_000, 9_000, 17_000, 70_000, 1_100_000));
                    String name = oneOf(List.of("X-Fuzz", "X-Signature", "Idempotency-Key", "Content-Type", "Accept"));
                    edits.add(HeaderEdit.set(name, "a".repeat(size)));
                    mutations.add(name + " of " + size + " characters");
                }
                case 1 -> {
                    int count = oneOf(List.of(50, 200, 2_000));
                    for (int i = 0; i < count; i++) edits.add(HeaderEdit.add("X-Fuzz-" + i, "v"));
                    mutations.add(count + " extra headers");
                }
                case 2, 3 -> {
                    String key = oneOf(List.of("", " ", "k", "k".repeat(255), "k".repeat(256), "k".repeat(4000), "😀", "a\tb",
                            "é", SHARED_IDEMPOTENCY_KEY, SHARED_IDEMPOTENCY_KEY, "%00", "\\u0000", "null"));
                    edits.add(HeaderEdit.set("Idempotency-Key", key));
                    if (random.nextInt(4) == 0) edits.add(HeaderEdit.add("Idempotency-Key", "second"));
                    mutations.add("Idempotency-Key " + JsonMutations.abbreviate(ByteMutations.printable(key)));
                }
                case 4 -> {
                    String value = oneOf(List.of("text/html", "*/*", "application/xml", ";;", "a".repeat(3000), "application/json; q=0"));
                    edits.add(HeaderEdit.set("Accept", value));
                    mutations.add("Accept " + JsonMutations.abbreviate(value));
                }
                case 5 -> {
                    String[] h = oneOf(List.of(new String[]{"X-HTTP-Method-Override", "DELETE"}, new String[]{"X-Forwarded-For", "10.0.0.1"},
                            new String[]{"Forwarded", "for=10.0.0.1"}, new String[]{"X-Real-IP", "::1"},
                            new String[]{"X-Request-Id", "req_forged\u0001"}, new String[]{"Cookie", "a=b; c"},
                            new String[]{"Authorization", "Bearer x"}, new String[]{"Content-Encoding", "gzip"},
                            new String[]{"Range", "bytes=0-1"}, new String[]{"If-Match", "*"}, new String[]{"Origin", "null"}));
                    edits.add(HeaderEdit.set(h[0], h[1]));
                    mutations.add(h[0] + ": " + ByteMutations.printable(h[1]));
                }
                case 6 -> {
                    String host = oneOf(List.of("evil.example", "", "a".repeat(300), "127.0.0.1:99999", "[::1]", "host with space"));
                    edits.add(HeaderEdit.set("Host", host));
                    mutations.add("Host " + JsonMutations.abbreviate(host));
                }
                case 7 -> {
                    String value = oneOf(List.of("caf\u00e9", "\u00ff\u00fe", "日本", "a\u007fb", "a\u0001b"));
                    edits.add(HeaderEdit.set(oneOf(List.of("X-Fuzz", "Idempotency-Key", "X-Nonce")), value));
                    mutations.add("header value with bytes past ASCII or control bytes");
                }
                default -> {
                    edits.add(HeaderEdit.set(oneOf(List.of("X-Fuzz", "Content-Type")), "a" + "\u00a0".repeat(3)));
                    mutations.add("header value of non-breaking spaces");
                }
            }
        }

        // --- keys and framing -----------------------------------------------------------------------------------

        private void signer() {
            Signer other = oneOf(List.of(Signer.FOREIGN_TENANT, Signer.FOREIGN_NODE, Signer.FOREIGN_TENANT, Signer.TENANT,
                    Signer.TENANT_NODE, Signer.OPERATOR, Signer.REVOKED));
            if (other == endpoint.signer) other = Signer.FOREIGN_TENANT;
            signing = signing.withKey(other);
            // Another tenant's key on one of ours must never succeed; creating its own objects may.
            foreign = other.foreign() && endpoint.target != FuzzTargets.Kind.NONE;
            mutations.add("signed by " + other + " instead of " + endpoint.signer);
        }

        private void protocol() {
            wire = Wire.values()[1 + random.nextInt(Wire.values().length - 1)];
            if (wire == Wire.CHUNKED && body.length == 0) body = "{}".getBytes(StandardCharsets.UTF_8);
            mutations.add("framing " + wire);
        }

        // --- helpers --------------------------------------------------------------------------------------------

        private String nonce() {
            byte[] bytes = new byte[16];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) random.nextInt(256);
            return HexFormat.of().formatHex(bytes);
        }

        private <T> T oneOf(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }
    }
}
