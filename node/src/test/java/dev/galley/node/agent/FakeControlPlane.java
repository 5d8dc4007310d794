package dev.galley.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyClient;
import dev.galley.client.RequestSigning;
import dev.galley.client.RetryPolicy;
import dev.galley.core.auth.CanonicalRequest;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.node.protocol.ControlPlaneClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Galley server's node endpoints on a JDK HttpServer (port 0). It checks every
 * request's signature with the test key, keeps run statuses with the real transition rules (409 for an
 * illegal one), redelivers an assignment on every poll while its run is ASSIGNED (at least once, like the
 * real server), and records everything for assertions.
 */
public final class FakeControlPlane implements AutoCloseable {
    public static final ApiKeyPair KEY = new ApiKeyPair("pk_testnode", "sk_testnodesecret");
    public static final String NODE_UUID = "00000000-0000-4000-8000-00000000000a";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as received; {@code query} decoded, or null. */
    public record Call(String method, String path, String contentType, String body, String query) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final String nodeUuid;
    private final HttpServer server;
    public final List<Call> calls = new CopyOnWriteArrayList<>();
    public final List<String> signatureProblems = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> assignments = new ConcurrentHashMap<>();
    private final Map<String, RunStatus> statuses = new ConcurrentHashMap<>();
    /** The node each known run is placed on: this fake's own unless {@link #knowRunOn} said otherwise. */
    private final Map<String, String> nodeOfRun = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> acceptedUpdates = new ConcurrentHashMap<>();
    private final Map<String, StringBuffer> logs = new ConcurrentHashMap<>();
    private final Queue<ObjectNode> commands = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final java.util.Set<String> rejected = ConcurrentHashMap.newKeySet();
    public final List<Integer> logBatchSizes = new CopyOnWriteArrayList<>();
    private volatile int registerStatus = 201;
    private volatile int runListStatus = 200;
    private volatile long preparingDelayMillis;

    public FakeControlPlane() throws IOException {
        this(NODE_UUID);
    }

    /** A server whose registration answers with {@code nodeUuid}, for several agents on one engine. */
    public FakeControlPlane(String nodeUuid) throws IOException {
        this.nodeUuid = nodeUuid;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The uuid the agent registers as. */
    public String nodeUuid() {
        return nodeUuid;
    }

    /** Quick retries, for the agent tests' protocol client and the agent's own loops alike. */
    public static final RetryPolicy QUICK_RETRIES = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1));

    /** A client with quick retries, as the agent tests use it. */
    public ControlPlaneClient client() {
        return new ControlPlaneClient(GalleyClient.builder(url(), KEY).requestTimeout(Duration.ofSeconds(20)).build(), QUICK_RETRIES);
    }

    // --- scripting ----------------------------------------------------------------------------------------

    /** Queues an assignment; the run is ASSIGNED until the agent reports PREPARING. */
    public void assign(JsonNode assignment) {
        String run = assignment.path("job_run").path("uuid").asText();
        statuses.put(run, RunStatus.ASSIGNED);
        assignments.put(run, assignment);
    }

    /** A run the agent did not get from this server but that the server knows in this status, on this node. */
    public void knowRun(String runUuid, RunStatus status) {
        knowRunOn(runUuid, status, nodeUuid);
    }

    /** A run the server knows in this status on another node (of the same account). */
    public void knowRunOn(String runUuid, RunStatus status, String node) {
        statuses.put(runUuid, status);
        nodeOfRun.put(runUuid, node);
    }

    public void stopRun(String runUuid, String reason) {
        ObjectNode command = MAPPER.createObjectNode().put("type", "stop_run").put("job_run_uuid", runUuid).put("reason", reason);
        commands.add(command);
    }

    /** The next {@code times} PATCHes of {@code runUuid} to {@code status} answer 503. */
    public void failPatches(String runUuid, RunStatus status, int times) {
        failures.put(runUuid + ":" + status, new AtomicInteger(times));
    }

    /** PATCHes of {@code runUuid} to {@code status} answer 409, as if the server had moved the run on. */
    public void rejectPatches(String runUuid, RunStatus status) {
        rejected.add(runUuid + ":" + status);
    }

    /** {@code GET /v1/job-runs} answers this status (say 503: the agent cannot ask which runs are its). */
    public void runListAnswers(int status) {
        runListStatus = status;
    }

    public void registerAnswers(int status) {
        registerStatus = status;
    }

    /** PATCH to PREPARING answers only after this delay, so polls redeliver the assignment meanwhile. */
    public void delayPreparing(Duration delay) {
        preparingDelayMillis = delay.toMillis();
    }

    // --- observations -------------------------------------------------------------------------------------

    public RunStatus status(String runUuid) {
        return statuses.get(runUuid);
    }

    public List<JsonNode> updates(String runUuid) {
        return List.copyOf(acceptedUpdates.getOrDefault(runUuid, List.of()));
    }

    public List<String> statusHistory(String runUuid) {
        return updates(runUuid).stream().map(u -> u.path("status").asText()).toList();
    }

    public JsonNode lastUpdate(String runUuid) {
        List<JsonNode> all = updates(runUuid);
        return all.isEmpty() ? null : all.getLast();
    }

    public String logs(String runUuid) {
        StringBuffer b = logs.get(runUuid);
        return b == null ? "" : b.toString();
    }

    public List<Call> calls(String method, String pathPrefix) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix)).toList();
    }

    /** How many times an assignment was handed out (with duplicates). */
    public int assignmentDeliveries() {
        return deliveries.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- handling -----------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        String text = new String(body, StandardCharsets.UTF_8);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        calls.add(new Call(method, path, contentType, text, uri.getQuery()));
        try {
            String problem = signatureProblem(exchange, method, uri, body);
            if (problem != null) {
                signatureProblems.add(method + " " + path + ": " + problem);
                respond(exchange, 401, error("unauthenticated", problem));
                return;
            }
            if (method.equals("POST") && path.equals("/v1/nodes/register")) {
                JsonNode request = MAPPER.readTree(body);
                ObjectNode node = MAPPER.createObjectNode().put("uuid", nodeUuid).put("object", "node")
                        .put("name", request.path("name").asText()).put("region_code", request.path("region_code").asText())
                        .put("status", NodeStatus.ONLINE.name());
                int status = registerStatus;
                if (status == 201) registerStatus = 200;
                respond(exchange, status, status < 300 ? node : error("unauthenticated", "unknown key"));
            } else if (method.equals("POST") && path.equals("/v1/nodes/" + nodeUuid + "/heartbeat")) {
                ArrayNode list = MAPPER.createArrayNode();
                for (ObjectNode c; (c = commands.poll()) != null; ) list.add(c);
                ObjectNode response = MAPPER.createObjectNode();
                response.set("commands", list);
                respond(exchange, 200, response);
            } else if (method.equals("GET") && path.equals("/v1/nodes/" + nodeUuid + "/assignments")) {
                poll(exchange, uri.getRawQuery());
            } else if (method.equals("GET") && path.equals("/v1/job-runs")) {
                listRuns(exchange, uri.getQuery());
            } else if (method.equals("PATCH") && path.startsWith("/v1/job-runs/")) {
                patch(exchange, path.substring("/v1/job-runs/".length()), MAPPER.readTree(body));
            } else if (method.equals("POST") && path.startsWith("/v1/job-runs/") && path.endsWith("/logs")) {
                String run = path.substring("/v1/job-runs/".length(), path.length() - "/logs".length());
                appendLogs(exchange, run, contentType, body);
            } else {
                respond(exchange, 404, error("not_found", "no route " + method + " " + path));
            }
        } catch (RuntimeException | InterruptedException e) {
            respond(exchange, 500, error("internal", e.toString()));
        }
    }

    private void poll(HttpExchange exchange, String query) throws IOException, InterruptedException {
        long waitMs = 30_000;
        if (query != null && query.startsWith("wait_ms=")) waitMs = Long.parseLong(query.substring("wait_ms=".length()));
        long deadline = System.currentTimeMillis() + waitMs;
        ArrayNode list = MAPPER.createArrayNode();
        do {
            for (var e : assignments.entrySet()) {
                if (statuses.get(e.getKey()) == RunStatus.ASSIGNED) list.add(e.getValue());
            }
            if (!list.isEmpty()) break;
            Thread.sleep(10); // the fake long-poll's own wait (the real server waits for a signal), not the test's sync
        } while (System.currentTimeMillis() < deadline);
        deliveries.addAndGet(list.size());
        ObjectNode response = MAPPER.createObjectNode();
        response.set("assignments", list);
        respond(exchange, 200, response);
    }

    /** {@code GET /v1/job-runs} with the {@code filter[node_uuid]} and {@code filter[uuid]} the agent sends. */
    private void listRuns(HttpExchange exchange, String query) throws IOException {
        if (runListStatus != 200) {
            respond(exchange, runListStatus, error("internal", "scripted outage"));
            return;
        }
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        String node = params.get("filter[node_uuid]");
        List<String> wanted = params.containsKey("filter[uuid]") ? List.of(params.get("filter[uuid]").split(",")) : null;
        ArrayNode data = MAPPER.createArrayNode();
        for (var e : statuses.entrySet()) {
            String runNode = nodeOfRun.getOrDefault(e.getKey(), nodeUuid);
            if ((node == null || node.equals(runNode)) && (wanted == null || wanted.contains(e.getKey()))) {
                data.addObject().put("uuid", e.getKey()).put("object", "job_run").put("node_uuid", runNode).put("status", e.getValue().name());
            }
        }
        ObjectNode page = MAPPER.createObjectNode().put("page", 1).put("limit", 50).put("total", data.size());
        page.set("data", data);
        respond(exchange, 200, page);
    }

    private void patch(HttpExchange exchange, String run, JsonNode update) throws IOException, InterruptedException {
        var unknown = new ArrayList<String>();
        update.fieldNames().forEachRemaining(f -> {
            if (!List.of("status", "status_reason", "status_reason_code", "exit_code", "node_urls", "image_size_bytes").contains(f)) unknown.add(f);
        });
        if (!unknown.isEmpty()) { // job_run_update_request has additionalProperties: false
            respond(exchange, 400, error("invalid_request", "unknown fields " + unknown));
            return;
        }
        RunStatus next = RunStatus.valueOf(update.path("status").asText());
        AtomicInteger failing = failures.get(run + ":" + next);
        if (failing != null && failing.getAndDecrement() > 0) {
            respond(exchange, 503, error("internal", "scripted outage"));
            return;
        }
        if (rejected.contains(run + ":" + next)) {
            respond(exchange, 409, error("conflict", "scripted conflict"));
            return;
        }
        // A slow answer is the thing under test here: polls redeliver the assignment meanwhile.
        if (next == RunStatus.PREPARING && preparingDelayMillis > 0) Thread.sleep(preparingDelayMillis);
        synchronized (this) {
            RunStatus current = statuses.get(run);
            if (current == null) {
                respond(exchange, 404, error("not_found", "no run " + run));
                return;
            }
            if (!current.canMoveTo(next)) {
                respond(exchange, 409, error("conflict", "run is " + current + ", cannot become " + next));
                return;
            }
            statuses.put(run, next);
            acceptedUpdates.computeIfAbsent(run, k -> new CopyOnWriteArrayList<>()).add(update);
        }
        respond(exchange, 200, MAPPER.createObjectNode().put("uuid", run).put("object", "job_run").put("status", next.name()));
    }

    private void appendLogs(HttpExchange exchange, String run, String contentType, byte[] body) throws IOException {
        if (contentType == null || !contentType.startsWith("text/plain")) {
            respond(exchange, 400, error("invalid_request", "logs must be text/plain, got " + contentType));
            return;
        }
        if (body.length > 256 * 1024) {
            respond(exchange, 413, error("payload_too_large", body.length + " bytes"));
            return;
        }
        RunStatus status = statuses.get(run);
        if (status == null) {
            respond(exchange, 404, error("not_found", "no run " + run));
            return;
        }
        if (status.isFinal()) {
            respond(exchange, 409, error("conflict", "run is final"));
            return;
        }
        logBatchSizes.add(body.length);
        logs.computeIfAbsent(run, k -> new StringBuffer()).append(new String(body, StandardCharsets.UTF_8));
        exchange.getResponseHeaders().add("X-Request-Id", "req-test");
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** Recomputes the HMAC the way the server does; null when it matches. */
    private static String signatureProblem(HttpExchange exchange, String method, URI uri, byte[] body) {
        var headers = exchange.getRequestHeaders();
        String key = headers.getFirst(RequestSigning.API_KEY);
        String time = headers.getFirst(RequestSigning.TIME);
        String nonce = headers.getFirst(RequestSigning.NONCE);
        String signature = headers.getFirst(RequestSigning.SIGNATURE);
        if (key == null || time == null || nonce == null || signature == null) return "missing signing headers";
        if (!key.equals(KEY.publicKey())) return "unknown key " + key;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String expected = CanonicalRequest.hmacSha256Hex(KEY.secretKey(),
                RequestSigning.canonicalString(KEY, method, target, body, Long.parseLong(time), nonce));
        return expected.equals(signature) ? null : "signature mismatch";
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode error = MAPPER.createObjectNode();
        error.putObject("error").put("type", type).put("message", message);
        return error;
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Builds assignment JSON as the server sends it. */
    public static ObjectNode assignment(String runUuid, String task, String image, String tag) {
        ObjectNode a = MAPPER.createObjectNode();
        ObjectNode run = a.putObject("job_run").put("uuid", runUuid).put("object", "job_run")
                .put("job_uuid", "job-" + runUuid).put("node_index", 0).put("attempt", 1).put("status", "ASSIGNED");
        run.putArray("node_urls");
        ObjectNode job = a.putObject("job").put("uuid", "job-" + runUuid).put("task", task).put("cpu_count", 0).put("min_ram_gb", 0);
        if (task.equals("BATCH")) job.put("max_timeout_run_ms", 3_600_000L); else job.putNull("max_timeout_run_ms");
        ObjectNode params = job.putObject("parameters").put("type", "docker").putObject("parameters").put("image", image);
        if (tag != null) params.put("tag", tag);
        a.putObject("env").put("CONTAINER_ACCESS_TOKEN", "cat-" + runUuid).put("GALLEY_JOB_UUID", "job-" + runUuid)
                .put("GALLEY_JOB_RUN_UUID", runUuid).put("GALLEY_NODE_INDEX", "0").put("GALLEY_NODE_COUNT", "1");
        return a;
    }

    /** The {@code parameters.parameters} object of an assignment built by {@link #assignment}, to adjust. */
    public static ObjectNode params(ObjectNode assignment) {
        return (ObjectNode) assignment.path("job").path("parameters").path("parameters");
    }

    public static ObjectNode job(ObjectNode assignment) {
        return (ObjectNode) assignment.path("job");
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
