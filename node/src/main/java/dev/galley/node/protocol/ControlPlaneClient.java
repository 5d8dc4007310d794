package dev.galley.node.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import dev.galley.core.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the node protocol (spec §6.1), typed, over the signed {@link GalleyClient}.
 *
 * <p>Retries: every call here is safe to repeat, so connection errors, 5xx and 429 are retried with
 * {@link Backoff} up to {@code maxAttempts} times before {@link ControlPlaneUnavailableException}.
 * Registration is idempotent per name, a heartbeat and a poll have no effect beyond themselves, and the
 * server accepts a repeated run status as a no-op. A log batch is the one exception in principle (a
 * request that reached the server but whose answer was lost is appended twice); a duplicated line is
 * judged better than a lost one. The long poll is not retried here: its loop has its own backoff.
 *
 * <p>Run-scoped calls answer {@link Delivery#GONE} for 404 and 409 ("the server has moved on"); any
 * other refusal (400, 401, 403, 413) is a {@link ControlPlaneException}.
 */
public final class ControlPlaneClient {
    private static final Logger log = LoggerFactory.getLogger(ControlPlaneClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The server refuses log batches above 256 KiB. */
    public static final int MAX_LOG_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** The server's largest list page. */
    static final int RUNS_PER_QUESTION = 50;

    private final GalleyClient http;
    private final Backoff backoff;
    private final int maxAttempts;

    public ControlPlaneClient(GalleyClient http) {
        this(http, Backoff.DEFAULT, DEFAULT_MAX_ATTEMPTS);
    }

    public ControlPlaneClient(GalleyClient http, Backoff backoff, int maxAttempts) {
        this.http = Objects.requireNonNull(http, "http");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        this.maxAttempts = maxAttempts;
    }

    /** The server this client talks to, for messages. */
    public String serverUrl() {
        return http.baseUrl().toString();
    }

    /** {@code POST /v1/nodes/register}: 201 for a new node, 200 when this account already had one of that name. */
    public RegisteredNode register(NodeRegistration registration) {
        ApiResponse response = exchange("POST", "/v1/nodes/register", json(registration), Map.of(), maxAttempts);
        requireSuccess(response, "registering the node");
        JsonNode node = response.json();
        String uuid = node.path("uuid").asText(null);
        if (uuid == null || uuid.isBlank()) throw new ControlPlaneException(response.status(), "the server's node object has no uuid");
        return new RegisteredNode(uuid, node.path("name").asText(registration.name()),
                node.path("region_code").asText(registration.regionCode()), node.path("status").asText(null),
                response.status() == 201);
    }

    /**
     * {@code POST /v1/nodes/{uuid}/heartbeat}; returns the commands the server has for the agent.
     * A 404 (the node was deleted) is a {@link ControlPlaneException} with status 404: register again.
     */
    public List<NodeCommand> heartbeat(String nodeUuid, Heartbeat heartbeat) {
        ApiResponse response = exchange("POST", "/v1/nodes/" + nodeUuid + "/heartbeat", json(heartbeat), Map.of(), maxAttempts);
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
        ApiResponse response = exchange("GET", "/v1/nodes/" + nodeUuid + "/assignments?wait_ms=" + wait.toMillis(), null, Map.of(), 1);
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
                    + "&filter[uuid]=" + String.join(",", some), null, Map.of(), maxAttempts);
            requireSuccess(response, "asking which runs are on this node");
            for (JsonNode run : response.json().path("data")) {
                if (nodeUuid.equals(run.path("node_uuid").asText(null))) placed.add(run.path("uuid").asText());
            }
        }
        return placed;
    }

    /** {@code PATCH /v1/job-runs/{uuid}}. */
    public Delivery updateRun(String runUuid, RunUpdate update) {
        ApiResponse response = exchange("PATCH", "/v1/job-runs/" + runUuid, json(update), Map.of(), maxAttempts);
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
                Map.of("Content-Type", "text/plain; charset=utf-8"), maxAttempts);
        return runScoped(response, "sending output of run " + runUuid);
    }

    private ApiResponse exchange(String method, String path, byte[] body, Map<String, String> headers, int attempts) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                try {
                    backoff.sleep(attempt - 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ControlPlaneUnavailableException("interrupted while retrying " + method + " " + pathOnly(path), e);
                }
            }
            try {
                ApiResponse response = http.send(method, path, body, headers);
                if (!isTransient(response.status())) return response;
                last = new GalleyApiException(response);
            } catch (GalleyConnectionException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new ControlPlaneUnavailableException(method + " " + pathOnly(path) + " interrupted", e);
                }
                last = e;
            }
            log.debug("{} {} failed (attempt {} of {}): {}", method, pathOnly(path), attempt + 1, attempts, last.getMessage());
        }
        throw new ControlPlaneUnavailableException(method + " " + pathOnly(path) + " on " + serverUrl() + " failed: " + last.getMessage(), last);
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

    /** Canonical JSON, the bytes the official clients send, so servers that hash the canonical form agree. */
    private static byte[] json(Object body) {
        try {
            return CanonicalJson.canonicalize(MAPPER.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
