package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.galley.server.contract.OpenApiContract;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What every answer to a fuzz case must be, whatever the case: never a 5xx and never no answer; a 4xx in the error
 * shape of spec §1.2; every response with an {@code X-Request-Id}; every documented operation answering as the
 * OpenAPI document says; and nothing that reaches past the caller: no success on another tenant's object, no
 * object created for another account, no key with more rights than its maker.
 */
final class ResponseOracle {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Bodies or headers this large may be refused by hanging up before they are read, instead of with a 413/431. */
    private static final int OVERSIZED_BYTES = 1024 * 1024;

    private final OpenApiContract contract = OpenApiContract.load();
    private final FuzzWorld world;

    ResponseOracle(FuzzWorld world) {
        this.world = world;
    }

    /** The rules {@code response} breaks, each a short sentence; empty when it is a fine answer. */
    List<String> problems(FuzzRequest request, WireClient.Response response) {
        List<String> problems = new ArrayList<>();
        int status = response.status();
        if (response.timedOut()) {
            problems.add("no answer in time (" + response.problem() + ")");
            return problems;
        }
        if (status == 0) {
            if (!(oversized(request) && response.sendFailed())) problems.add("connection closed without an answer (" + response.problem() + ")");
            return problems;
        }
        if (status >= 500) problems.add("answered " + status);
        if (response.header("X-Request-Id").isEmpty()) problems.add(status + " without X-Request-Id");
        JsonNode json = json(response);
        if (status >= 400 && status < 500 && !hasErrorShape(json)) problems.add(status + " without the error shape {error:{type,message}}");
        if (status >= 200 && status < 300) problems.addAll(reachProblems(request, json));
        problems.addAll(contractProblems(request, response));
        return problems;
    }

    private static boolean oversized(FuzzRequest request) {
        long headers = request.edits().stream().mapToLong(e -> e.value() == null ? 0 : e.value().length()).sum();
        return request.body().length + headers > OVERSIZED_BYTES;
    }

    private static boolean hasErrorShape(JsonNode json) {
        return json != null && json.path("error").path("type").isTextual() && json.path("error").path("message").isTextual();
    }

    /** A success may only ever act for the caller's own account, with at most the caller's rights. */
    private List<String> reachProblems(FuzzRequest request, JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (request.foreign()) problems.add("succeeded on another tenant's object");
        FuzzRequest.Signing signing = request.signing();
        if (signing == null || json == null || signing.key() == Signer.OPERATOR) return problems;
        UUID caller = world.key(signing.key()).account();
        JsonNode account = json.get("account_uuid");
        if (account != null && account.isTextual() && !account.asText().equals(String.valueOf(caller))) {
            problems.add("created or changed an object of account " + account.asText() + " for a caller of account " + caller);
        }
        if (request.endpoint() == WriteEndpoint.CREATE_API_KEY && signing.key() == Signer.TENANT && json.has("permissions")) {
            Set<String> allowed = world.tenantPermissions();
            for (JsonNode p : json.get("permissions")) {
                if (!allowed.contains(p.asText())) problems.add("a key was created with " + p.asText() + ", which its maker lacks");
            }
        }
        return problems;
    }

    /**
     * Checks the answer against the OpenAPI document, for a target that names a documented operation. Refusals before
     * any operation (a malformed request: 400; a body over the limit, which every signed request's body is read
     * against, even a DELETE's: 413; a URI or headers too long: 414, 431) may come from every operation and are not
     * listed on each; the rules above still hold for them.
     */
    private List<String> contractProblems(FuzzRequest request, WireClient.Response response) {
        if (otherMethod(request)) return List.of(); // routed as another method than the one named: not this operation
        String path = request.target().contains("?") ? request.target().substring(0, request.target().indexOf('?')) : request.target();
        String operation;
        try {
            operation = contract.operationFor(request.method(), path);
        } catch (AssertionError notAnOperation) {
            return List.of(); // a mangled path: the server's answer (a 404) is checked by the rules above
        }
        int status = response.status();
        if (HTTP_LAYER_STATUSES.contains(status) && !documents(operation, status)) return List.of();
        String body = status == 204 ? null : response.bodyText();
        try {
            return contract.responseProblems(request.method(), path, status, body).stream().map(p -> "OpenAPI: " + p).toList();
        } catch (AssertionError undocumented) {
            return List.of(undocumented.getMessage());
        }
    }

    /** A lower-case method, or X-HTTP-Method-Override (which Javalin honours, and the signature then covers). */
    private static boolean otherMethod(FuzzRequest request) {
        return request.wire() == FuzzRequest.Wire.LOWER_CASE_METHOD
                || request.edits().stream().anyMatch(e -> e.name().equalsIgnoreCase("X-HTTP-Method-Override"));
    }

    private static final Set<Integer> HTTP_LAYER_STATUSES = Set.of(400, 413, 414, 431);

    private boolean documents(String operation, int status) {
        String[] methodAndPath = operation.split(" ", 2);
        return contract.document().path("paths").path(methodAndPath[1]).path(methodAndPath[0].toLowerCase(java.util.Locale.ROOT))
                .path("responses").has(Integer.toString(status));
    }

    private static JsonNode json(WireClient.Response response) {
        try {
            return response.body().length == 0 ? null : MAPPER.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }
}
