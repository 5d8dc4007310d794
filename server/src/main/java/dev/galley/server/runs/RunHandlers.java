package dev.galley.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.ClientConnection;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import dev.galley.server.lifecycle.RunRow;
import dev.galley.server.lifecycle.RunView;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /v1/job-runs: list, get with logs, follow logs (consumers); status updates and log uploads (nodes). */
public final class RunHandlers {
    public static final int LOG_CHUNK_LIMIT = 256 * 1024;
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("job_uuid", FilterKind.UUID_SET, "node_uuid", FilterKind.UUID_SET, "uuid", FilterKind.UUID_SET,
                    "status", FilterKind.WORD_SET, "created_at", FilterKind.DATE_RANGE),
            Map.of("status", ListQueryParser.names(RunStatus.values())), Set.of());
    private static final ListQueryParser LOGS = new ListQueryParser(Map.of(), Map.of(), Set.of("follow"));
    private static final Set<String> UPDATE_FIELDS = Set.of("status", "status_reason", "status_reason_code", "exit_code",
            "node_urls", "image_size_bytes");
    private static final Set<String> URL_FIELDS = Set.of("description", "hostname", "port", "protocol", "tls");

    private final RunService runs;
    private final LogFollowers followers;

    public RunHandlers(RunService runs, LogFollowers followers) {
        this.runs = runs;
        this.followers = followers;
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RUNS, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, runs.list(caller, q), RunView::of);
    }

    /** The run with the last 1 MiB of its output: reads the tail only, never the whole log. */
    public void get(Context ctx, Caller caller) {
        RunRow run = readable(ctx, caller);
        RunService.Tail tail = runs.tail(run);
        Responses.json(ctx, 200, RunView.of(run).put("logs", tail.text()).put("logs_truncated", tail.truncated()));
    }

    /**
     * Plain-text logs; {@code follow=true} streams new output until the run ends or the client goes away, and the
     * stream ends as soon as its client closes the connection, even while the run is quiet.
     */
    public void logs(Context ctx, Caller caller) throws IOException, InterruptedException {
        RunRow run = readable(ctx, caller);
        LOGS.parse(ctx.queryParamMap());
        String follow = ctx.queryParam("follow");
        if (follow != null && !follow.equals("true") && !follow.equals("false")) throw ApiException.badRequest("follow", "must be true or false");
        if (!"true".equals(follow)) {
            ctx.status(200).contentType("text/plain; charset=utf-8").result(runs.tail(run).text());
            return;
        }
        try (LogFollowers.Follower follower = followers.open(run.uuid(), caller.publicKey())) {
            ctx.status(200).contentType("text/plain; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            // The end point is watched for the client's FIN (ClientConnection): the connection ends with the stream.
            ctx.header("Connection", "close");
            ClientConnection.onClientGone(ctx, follower::clientGone);
            OutputStream out = ctx.res().getOutputStream();
            RunService.Tail tail = runs.tail(run);
            out.write(tail.text().getBytes(StandardCharsets.UTF_8));
            out.flush();
            runs.follow(run.uuid(), tail.end(), follower, out);
        }
    }

    /** PATCH /v1/job-runs/{uuid}: a node reports progress; only legal transitions are accepted. */
    public void update(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RUNS, Action.UPDATE);
        var uuid = Responses.pathUuid(ctx, "job run");
        var report = report(Json.parseObject(ctx.bodyAsBytes(), false));
        Responses.json(ctx, 200, RunView.of(runs.report(caller, uuid, report)));
    }

    /** POST /v1/job-runs/{uuid}/logs: the node appends output (text, at most 256 KiB a call). */
    public void appendLogs(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RUNS, Action.UPDATE);
        var uuid = Responses.pathUuid(ctx, "job run");
        byte[] body = ctx.bodyAsBytes();
        if (body.length > LOG_CHUNK_LIMIT) throw ApiException.payloadTooLarge("a log chunk may be at most 256 KiB; send it in several calls");
        runs.append(caller, uuid, body);
        ctx.status(204);
    }

    /** A node's report body; every problem is reported at once (400). */
    private static RunService.Report report(ObjectNode body) {
        var f = new JsonFields(body, UPDATE_FIELDS);
        String statusText = f.string("status", true, 1, 20);
        RunStatus status = null;
        if (statusText != null) {
            try {
                status = RunStatus.valueOf(statusText);
            } catch (IllegalArgumentException e) {
                f.errors().add("status", "must be one of " + String.join(", ", ListQueryParser.names(RunStatus.values())));
            }
        }
        String reason = f.string("status_reason", false, 0, 4000);
        String codeText = f.string("status_reason_code", false, 1, 40);
        ReasonCode code = ReasonCode.fromStored(codeText);
        if (codeText != null && code == null) f.errors().add("status_reason_code", "is not a known reason code");
        Integer exitCode = exitCode(f);
        JsonNode rawSize = f.raw("image_size_bytes");
        Long imageBytes = rawSize == null || rawSize.isNull() ? null : rawSize.canConvertToLong() && rawSize.isIntegralNumber() && rawSize.asLong() >= 0 ? rawSize.asLong() : -1L;
        if (imageBytes != null && imageBytes < 0) f.errors().add("image_size_bytes", "must be a whole number >= 0");
        ArrayNode urls = nodeUrls(f);
        f.finish();
        if (status == RunStatus.FAILED && code == null && exitCode != null && exitCode != 0) code = ReasonCode.EXIT_NONZERO;
        return new RunService.Report(status, reason, code, exitCode, imageBytes, urls);
    }

    private static Integer exitCode(JsonFields f) {
        JsonNode n = f.raw("exit_code");
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || n.asLong() < Integer.MIN_VALUE || n.asLong() > Integer.MAX_VALUE) {
            f.errors().add("exit_code", "must be a whole number");
            return null;
        }
        return n.asInt();
    }

    private static ArrayNode nodeUrls(JsonFields f) {
        JsonNode n = f.raw("node_urls");
        if (n == null || n.isNull()) return null;
        if (!n.isArray() || n.size() > 64) {
            f.errors().add("node_urls", "must be an array of at most 64 {description, hostname, port, protocol, tls}");
            return null;
        }
        ArrayNode out = Json.array();
        for (int i = 0; i < n.size(); i++) {
            JsonNode u = n.get(i);
            String p = "node_urls[" + i + "]";
            if (!u.isObject()) { f.errors().add(p, "must be an object"); continue; }
            u.fieldNames().forEachRemaining(k -> { if (!URL_FIELDS.contains(k)) f.errors().add(p + "." + k, "is not a known field"); });
            for (String s : List.of("description", "hostname", "protocol")) {
                if (!u.path(s).isTextual() || u.path(s).asText().isEmpty() || u.path(s).asText().length() > 255) f.errors().add(p + "." + s, "must be a non-empty string");
            }
            if (!u.path("port").isIntegralNumber() || u.path("port").asInt() < 1 || u.path("port").asInt() > 65535) f.errors().add(p + ".port", "must be an integer 1..65535");
            if (u.has("tls") && !u.get("tls").isBoolean()) f.errors().add(p + ".tls", "must be true or false");
            out.addObject().put("description", u.path("description").asText()).put("hostname", u.path("hostname").asText())
                    .put("port", u.path("port").asInt()).put("protocol", u.path("protocol").asText()).put("tls", u.path("tls").asBoolean(false));
        }
        return out;
    }

    private RunRow readable(Context ctx, Caller caller) {
        caller.require(Resource.JOB_RUNS, Action.READ);
        return runs.readable(caller, Responses.pathUuid(ctx, "job run"));
    }
}
