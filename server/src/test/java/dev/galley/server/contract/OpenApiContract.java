package dev.galley.server.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI document ({@code /openapi/galley-v1.yaml}) as a test oracle: integration tests hand it
 * real responses and it checks them against the documented schema for that operation and status.
 *
 * <p>Not a test class. Obtain it with {@link #load()} (cached: parsing the document and compiling its
 * schemas is the expensive part). The shared instance is the one integration tests hand real responses:
 * when the system property {@value #RECORD_DIRECTORY_PROPERTY} names a directory, it appends every operation
 * it checked to a file of this JVM's there, and {@code OpenApiCoverageIT}, run as a step of its own after all
 * other tests, reads them all. Checks of made-up responses use {@link #loadFrom}, which records nothing.
 */
public final class OpenApiContract {

    /** Classpath location of the contract; the server serves the same file at GET /v1/openapi.yaml. */
    public static final String RESOURCE = "/openapi/galley-v1.yaml";

    /*
     * The validator resolves "$ref: '#/components/...'" relative to the document a schema came from. We
     * register the whole OpenAPI document (as JSON) under a made-up absolute IRI and load each response
     * schema as "<IRI>#<JSON pointer>", so every internal $ref resolves against the full document
     * without inlining anything. The IRI is never fetched: the registry answers it from memory.
     */
    private static final String DOCUMENT_IRI = "https://contract.galley.invalid/openapi/galley-v1.json";

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** Where the shared instance records the operations it checked (set by server/pom.xml for its tests). */
    public static final String RECORD_DIRECTORY_PROPERTY = "galley.openapi.exercised";

    private static volatile OpenApiContract cached;

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<String> operations;
    private final Map<String, Schema> schemaCache = new ConcurrentHashMap<>();
    private final Set<String> exercised = ConcurrentHashMap.newKeySet();
    private final Path recordTo;

    private OpenApiContract(JsonNode document, Path recordTo) {
        this.document = document;
        this.recordTo = recordTo;
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Format assertions on: "format: uuid" and "format: date-time" are part of the contract, but
        // JSON Schema 2020-12 treats format as an annotation unless told otherwise.
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, json)).schemaRegistryConfig(config));
        this.operations = listOperations(document);
    }

    /** The contract from the classpath, parsed once per JVM. */
    public static OpenApiContract load() {
        OpenApiContract c = cached;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                c = cached;
                if (c == null) {
                    String dir = System.getProperty(RECORD_DIRECTORY_PROPERTY);
                    c = new OpenApiContract(readYaml(RESOURCE), dir == null ? null
                            : Path.of(dir, "exercised-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".txt"));
                    cached = c;
                }
            }
        }
        return c;
    }

    /** A fresh, uncached instance from any classpath resource that records nothing; for testing the checker itself. */
    static OpenApiContract loadFrom(String resource) {
        return new OpenApiContract(readYaml(resource), null);
    }

    private static JsonNode readYaml(String resource) {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("OpenAPI document not on the classpath: " + resource);
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + resource, e);
        }
    }

    /** The parsed document (Jackson 2 tree). */
    public JsonNode document() {
        return document;
    }

    /** Every documented operation as {@code "METHOD /path/template"}, e.g. {@code "GET /v1/jobs/{uuid}"}. */
    public List<String> operations() {
        return operations;
    }

    /** Operations that {@link #assertResponseMatches} has been called for on this instance. */
    public Set<String> exercisedOperations() {
        return Set.copyOf(exercised);
    }

    /** Each operation once, as it is first checked: one line per operation, appended so JVMs never clash. */
    private synchronized void record(String op) {
        try {
            Files.createDirectories(recordTo.getParent());
            Files.writeString(recordTo, op + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + op + " in " + recordTo, e);
        }
    }

    /**
     * Finds the documented operation for a method and a path, concrete ({@code /v1/jobs/123e4567-…},
     * query allowed and ignored) or a template ({@code /v1/jobs/{uuid}}). Literal segments win over
     * parameters, so {@code /v1/nodes/register} is not taken for {@code /v1/nodes/{uuid}}.
     *
     * @return {@code "METHOD /template"}
     * @throws AssertionError when no documented operation matches
     */
    public String operationFor(String method, String pathTemplateOrConcretePath) {
        String m = method.toLowerCase(Locale.ROOT);
        String path = stripQuery(pathTemplateOrConcretePath);
        List<String> candidates = new ArrayList<>();
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            if (matches(template, path)) candidates.add(template);
        }
        if (candidates.isEmpty()) {
            throw new AssertionError("OpenAPI: no documented path matches " + path);
        }
        candidates.sort(Comparator.comparingLong(OpenApiContract::parameterCount));
        for (String template : candidates) {
            if (document.path("paths").path(template).has(m)) return m.toUpperCase(Locale.ROOT) + " " + template;
        }
        throw new AssertionError("OpenAPI: " + method.toUpperCase(Locale.ROOT) + " is not documented for "
                + path + " (path template " + candidates.getFirst() + ")");
    }

    /**
     * Checks a response against the contract: the operation must exist, must document {@code status},
     * and the body must satisfy that status's {@code application/json} schema. Responses documented
     * without a body (204) must have an empty body; non-JSON responses (text/plain logs, metrics) are
     * only checked for being documented.
     *
     * @param responseBodyJson the raw body; null or blank for none
     * @throws AssertionError naming the operation, status and every schema violation with its JSON path
     */
    public void assertResponseMatches(String method, String pathTemplateOrConcretePath, int status,
                                      String responseBodyJson) {
        List<String> problems = responseProblems(method, pathTemplateOrConcretePath, status, responseBodyJson);
        if (!problems.isEmpty()) {
            String op = operationFor(method, pathTemplateOrConcretePath);
            throw new AssertionError("OpenAPI: response " + status + " of " + op + " (called as "
                    + method.toUpperCase(Locale.ROOT) + " " + pathTemplateOrConcretePath + ") breaks the contract:\n  - "
                    + String.join("\n  - ", problems) + "\nbody: " + abbreviate(responseBodyJson));
        }
    }

    /**
     * Like {@link #assertResponseMatches} but returns the schema violations instead of throwing for
     * them (an undocumented operation or status still throws).
     */
    public List<String> responseProblems(String method, String pathTemplateOrConcretePath, int status,
                                         String responseBodyJson) {
        String op = operationFor(method, pathTemplateOrConcretePath);
        if (exercised.add(op) && recordTo != null) record(op);
        String template = op.substring(op.indexOf(' ') + 1);
        String m = method.toLowerCase(Locale.ROOT);

        String responsesPointer = "/paths/" + escape(template) + "/" + m + "/responses";
        JsonNode responses = document.at(responsesPointer);
        String code = Integer.toString(status);
        String rangeCode = (status / 100) + "XX";
        String responsePointer;
        if (responses.has(code)) {
            responsePointer = responsesPointer + "/" + escape(code);
        } else if (responses.has(rangeCode)) {
            responsePointer = responsesPointer + "/" + rangeCode;
        } else {
            List<String> documented = new ArrayList<>();
            responses.fieldNames().forEachRemaining(documented::add);
            throw new AssertionError("OpenAPI: " + op + " does not document status " + status
                    + "; documented: " + documented);
        }
        // A response may be a $ref to components/responses; follow it so the schema pointer is real.
        JsonNode response = document.at(responsePointer);
        while (response.has("$ref")) {
            responsePointer = localPointer(response.get("$ref").asText());
            response = document.at(responsePointer);
            if (response.isMissingNode()) {
                throw new AssertionError("OpenAPI: dangling response $ref in " + op + " " + status);
            }
        }

        boolean hasBody = responseBodyJson != null && !responseBodyJson.isBlank();
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return hasBody ? List.of("status " + status + " is documented without a body, but one was sent")
                    : List.of();
        }
        if (!content.has("application/json")) {
            return List.of(); // text/plain, application/yaml: nothing structural to check
        }
        if (!hasBody) return List.of("status " + status + " is documented with a JSON body, but none was sent");

        String schemaPointer = responsePointer + "/content/application~1json/schema";
        Schema schema = schemaCache.computeIfAbsent(schemaPointer,
                p -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
        List<Error> errors;
        try {
            errors = schema.validate(responseBodyJson, InputFormat.JSON);
        } catch (RuntimeException e) {
            return List.of("body is not valid JSON: " + e.getMessage());
        }
        return errors.stream().map(OpenApiContract::describe).distinct().toList();
    }

    /**
     * Every {@code $ref} in the document that does not point at an existing node, as
     * {@code "<where> -> <ref>"}. External refs are reported too: the contract is one self-contained file.
     */
    public List<String> unresolvedRefs() {
        List<String> out = new ArrayList<>();
        collectRefs(document, "", out);
        return out;
    }

    private void collectRefs(JsonNode node, String where, List<String> out) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String r = ref.asText();
                if (!r.startsWith("#/") || document.at(localPointer(r)).isMissingNode()) out.add(where + " -> " + r);
            }
            node.fields().forEachRemaining(e -> collectRefs(e.getValue(), where + "/" + escape(e.getKey()), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) collectRefs(node.get(i), where + "/" + i, out);
        }
    }

    /** Validates an arbitrary JSON value against {@code #/components/schemas/<name>}; for unit tests. */
    public List<String> schemaProblems(String componentSchemaName, String json) {
        String pointer = "/components/schemas/" + escape(componentSchemaName);
        if (document.at(pointer).isMissingNode()) {
            throw new AssertionError("OpenAPI: no schema components/schemas/" + componentSchemaName);
        }
        Schema schema = schemaCache.computeIfAbsent(pointer,
                p -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
        return schema.validate(json, InputFormat.JSON).stream().map(OpenApiContract::describe).distinct().toList();
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static List<String> listOperations(JsonNode document) {
        Set<String> ops = new LinkedHashSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(key -> {
            if (HTTP_METHODS.contains(key)) ops.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }));
        return List.copyOf(ops);
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) return false;
        for (int i = 0; i < t.length; i++) {
            boolean param = t[i].startsWith("{") && t[i].endsWith("}");
            if (param ? p[i].isEmpty() : !t[i].equals(p[i])) return false;
        }
        return true;
    }

    private static long parameterCount(String template) {
        return template.chars().filter(ch -> ch == '{').count();
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** JSON Pointer token escaping (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String localPointer(String ref) {
        if (!ref.startsWith("#")) throw new AssertionError("OpenAPI: external $ref not supported: " + ref);
        return ref.substring(1);
    }

    private static String describe(Error e) {
        // "<where in the body>: <what>" first, then the schema keyword and its location, so a reader can
        // tell a missing field from a wrong type or a failed enum, and find the rule in the yaml.
        String keyword = Optional.ofNullable(e.getKeyword()).orElse("?");
        String schemaAt = e.getSchemaLocation() == null ? "?" : e.getSchemaLocation().getFragment().toString();
        String at = String.valueOf(e.getInstanceLocation());
        return (at.isEmpty() ? "(body)" : at) + ": " + e.getMessage() + " [" + keyword + " at #" + schemaAt + "]";
    }

    private static String abbreviate(String s) {
        if (s == null) return "<none>";
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "…(" + s.length() + " chars)";
    }
}
