package dev.galley.node.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import dev.galley.client.Node;
import dev.galley.client.RetryPolicy;
import dev.galley.client.RetryingTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the node protocol (spec §6.1), typed, over the signed {@link GalleyClient}.
 *
 * <p>Retries are the SDK's ({@link RetryingTransport}, {@link RetryPolicy}): every call here is safe to
 * repeat, so connection errors, 5xx, 408 and 429 are retried up to the policy's attempts (Retry-After
 * honoured) before {@link ControlPlaneUnavailableException}. Registration is idempotent per name, a
 * heartbeat and a poll have no effect beyond themselves, and the server accepts a repeated run status as a
 * no-op. A log batch is the one exception in principle (a request that reached the server but whose answer
 * was lost is appended twice); a duplicated line is judged better than a lost one. The long poll is not
 * retried here: its loop backs off with the same policy.
 *
 * <p>Run-scoped calls answer {@link Delivery#GONE} for 404 and 409 ("the server has moved on"); any
 * other refusal (400, 401, 403, 413) is a {@link ControlPlaneException}.
 */
public final class ControlPlaneClient {
    private static final Logger log = LoggerFactory.getLogger(ControlPlaneClient.class);
    /** The server refuses log batches above 256 KiB. */
    public static final int MAX_LOG_BYTES = 256 * 1024;
    /**
     * 4 attempts per call, 0.5 s doubling up to 30 s between them (the agent's loops keep the same backoff
     * beyond that, for as long as the server is away); Retry-After is honoured up to 30 s.
     */
    public static final RetryPolicy DEFAULT_RETRY_POLICY =
            new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30));
    /** The server's largest list page. */
    static final int RUNS_PER_QUESTION = 50;

    private final RetryingTransport transport;

    public ControlPlaneClient(GalleyClient http) {
        this(http, DEFAULT_RETRY_POLICY);
    }

    public ControlPlaneClient(GalleyClient http, RetryPolicy retryPolicy) {
        this.transport = new RetryingTransport(http, retryPolicy);
    }

    /** The server this client talks to, for messages. */
    public String serverUrl() {
        return transport.client().baseUrl().toString();
    }

    /** {@code POST /v1/nodes/register}: 201 for a new node, 200 when this account already had one of that name. */
    public RegisteredNode register(NodeRegistration registration) {
        ApiResponse response = exchange("POST", "/v1/nodes/register", registration, Map.of());
        requireSuccess(response, "registering the node");
        Node node = new Node(response.json());
        if (node.uuid() == null || node.uuid().isBlank()) throw new ControlPlaneException(response.status(), "the server's node object has no uuid");
        return new RegisteredNode(node.uuid(), Objects.requireNonNullElse(node.name(), registration.name()),
                Objects.requireNonNullElse(node.regionCode(), registration.regionCode()), node.status(), response.status() == 201);
    }

    /**
     * {@code POST /v1/nodes/{uuid}/heartbeat}; returns the commands the server has for the agent.
     * A 404 (the node was deleted) is a {@link ControlPlaneException} with status 404: register again.
     */
    public List<NodeCommand> heartbeat(String nodeUuid, Heartbeat heartbeat) {
        ApiResponse response = exchange("POST", "/v1/nodes/" + nodeUuid + "/heartbeat", heartbeat, Map.of());
        requireSuccess(response, "heartbeat");
        List<NodeCommand> commands = new ArrayList<>();
        for (JsonNode command : response.json().path("commands")) {
            commands.add(new NodeCommand(command.path("type").asText(null), command.path("job_run_uuid").asText(null),
                    command.hasNonNull("reason") ? command.get("reason").asText() : null));
        }
        return commands;
    }

    /**
     * {@code GET /v1/nodes/{uuid}/assignments?wait_ms=…}: waits up to {@code wait} for work. At least once:
     * a run keeps coming back while it is ASSIGNED, so callers dedupe by run uuid. One attempt only.
     * An assignment that cannot be read is logged and left out rather than failing the whole poll.
     */
    public List<Assignment> pollAssignments(String nodeUuid, Duration wait) {
        String path = "/v1/nodes/" + nodeUuid + "/assignments?wait_ms=" + wait.toMillis();
        ApiResponse response = answer("GET", path, () -> transport.client().send("GET", path, null, Map.of()));
        requireSuccess(response, "polling for assignments");
        List<Assignment> assignments = new ArrayList<>();
        for (JsonNode item : response.json().path("assignments")) {
            try {
                assignments.add(Assignment.fromJson(item));
            } catch (IllegalArgumentException e) {
                log.error("ignoring an assignment the agent cannot read (run {}): {}",
                        item.path("job_run").path("uuid").asText("?"), e.getMessage());
            }
        }
        return assignments;
    }

    /**
     * {@code GET /v1/job-runs?filter[node_uuid]=…&filter[uuid]=…}: which of {@code runUuids} the server has
     * placed on node {@code nodeUuid}. A compute_node key sees the runs on its account's nodes, so a run
     * of another account is simply not in the answer. Asked {@value #RUNS_PER_QUESTION} uuids at a time
     * (the list limit), each answer one page.
     */
    public Set<String> runsOnNode(String nodeUuid, Collection<String> runUuids) {
        List<String> all = List.copyOf(runUuids);
        Set<String> placed = new TreeSet<>();
        for (int from = 0; from < all.size(); from += RUNS_PER_QUESTION) {
            List<String> some = all.subList(from, Math.min(all.size(), from + RUNS_PER_QUESTION));
            ApiResponse response = exchange("GET", "/v1/job-runs?limit=" + RUNS_PER_QUESTION + "&filter[node_uuid]=" + nodeUuid
                    + "&filter[uuid]=" + String.join(",", some), null, Map.of());
            requireSuccess(response, "asking which runs are on this node");
            for (JsonNode run : response.json().path("data")) {
                if (nodeUuid.equals(run.path("node_uuid").asText(null))) placed.add(run.path("uuid").asText());
            }
        }
        return placed;
    }

    /** {@code PATCH /v1/job-runs/{uuid}}. */
    public Delivery updateRun(String runUuid, RunUpdate update) {
        ApiResponse response = exchange("PATCH", "/v1/job-runs/" + runUuid, update, Map.of());
        return runScoped(response, "reporting " + update.status() + " for run " + runUuid);
    }

    /**
     * {@code POST /v1/job-runs/{uuid}/logs} with a text body of at most {@link #MAX_LOG_BYTES} bytes in UTF-8
     * (callers split larger output, see {@code LogShipper}).
     */
    public Delivery appendLogs(String runUuid, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (body.length > MAX_LOG_BYTES) throw new IllegalArgumentException("a log batch is limited to " + MAX_LOG_BYTES + " bytes, got " + body.length);
        if (body.length == 0) return Delivery.ACCEPTED;
        ApiResponse response = exchange("POST", "/v1/job-runs/" + runUuid + "/logs", body,
                Map.of("Content-Type", "text/plain; charset=utf-8"));
        return runScoped(response, "sending output of run " + runUuid);
    }

    /** Sends {@code body} as is (bytes) or as canonical JSON, the bytes the official clients send. */
    private ApiResponse exchange(String method, String path, Object body, Map<String, String> headers) {
        byte[] bytes = GalleyClient.toJsonBytes(body);
        return answer(method, path, () -> transport.sendRepeatable(method, path, bytes, headers).response());
    }

    /** The server's answer, unless it is a transient failure or none came: then the server is unavailable. */
    private ApiResponse answer(String method, String path, Supplier<ApiResponse> send) {
        RuntimeException failure;
        try {
            ApiResponse response = send.get();
            if (!isTransient(response.status())) return response;
            failure = new GalleyApiException(response);
        } catch (GalleyConnectionException e) {
            failure = e;
        }
        throw new ControlPlaneUnavailableException(method + " " + pathOnly(path) + " on " + serverUrl() + " failed: "
                + failure.getMessage(), failure);
    }

    private static boolean isTransient(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    private static Delivery runScoped(ApiResponse response, String what) {
        if (response.status() == 404 || response.status() == 409) {
            log.debug("{}: HTTP {} ({})", what, response.status(), new GalleyApiException(response).getMessage());
            return Delivery.GONE;
        }
        requireSuccess(response, what);
        return Delivery.ACCEPTED;
    }

    private static void requireSuccess(ApiResponse response, String what) {
        if (!response.isSuccess()) {
            throw new ControlPlaneException(response.status(), what + " was refused: " + new GalleyApiException(response).getMessage());
        }
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
