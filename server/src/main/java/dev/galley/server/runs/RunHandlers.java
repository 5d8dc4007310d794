package dev.galley.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** /v1/job-runs: list, get with logs, follow logs (consumers); status updates and log uploads (nodes). */
public final class RunHandlers {
    public static final long LOG_TAIL_BYTES = 1024 * 1024;
    public static final int LOG_CHUNK_LIMIT = 256 * 1024;
    private static final Set<String> RUN_STATUSES = Set.of("ASSIGNED", "PREPARING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED");
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("job_uuid", FilterKind.UUID_SET, "node_uuid", FilterKind.UUID_SET, "uuid", FilterKind.UUID_SET,
                    "status", FilterKind.WORD_SET, "created_at", FilterKind.DATE_RANGE),
            Map.of("status", RUN_STATUSES), Set.of());
    private static final ListQueryParser LOGS = new ListQueryParser(Map.of(), Map.of(), Set.of("follow"));
    private static final Set<String> UPDATE_FIELDS = Set.of("status", "status_reason", "status_reason_code", "exit_code",
            "node_urls", "image_size_bytes");

    private final Jdbi jdbi;
    private final RunRepository runs;
    private final JobReconciler reconciler;
    private final dev.galley.server.scheduler.Signals signals;
    private final Clock clock;

    public RunHandlers(Jdbi jdbi, RunRepository runs, JobReconciler reconciler, dev.galley.server.scheduler.Signals signals, Clock clock) {
        this.jdbi = jdbi;
        this.runs = runs;
        this.reconciler = reconciler;
        this.signals = signals;
        this.clock = clock;
    }

    public void list(Context ctx, Caller caller) {
        caller.require("job_runs", "read");
        var q = LIST.parse(ctx.queryParamMap());
        UUID me = caller.canAll("job_runs", "read") ? null : caller.accountUuid();
        Responses.page(ctx, q, jdbi.withHandle(h -> runs.list(h, me, q)), RunView::of);
    }

    public void get(Context ctx, Caller caller) {
        RunRow run = readable(ctx, caller);
        ObjectNode o = RunView.of(run);
        var tail = jdbi.withHandle(h -> runs.tail(h, run.uuid(), LOG_TAIL_BYTES));
        String text = join(tail);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        boolean truncated = run.logBytes() > bytes.length || bytes.length > LOG_TAIL_BYTES;
        if (bytes.length > LOG_TAIL_BYTES) text = lastBytes(text, LOG_TAIL_BYTES);
        o.put("logs", text).put("logs_truncated", truncated);
        Responses.json(ctx, 200, o);
    }

    /** Plain-text logs; {@code follow=true} streams new output until the run ends (or the client goes away). */
    public void logs(Context ctx, Caller caller) throws IOException {
        RunRow run = readable(ctx, caller);
        LOGS.parse(ctx.queryParamMap());
        String follow = ctx.queryParam("follow");
        if (follow != null && !follow.equals("true") && !follow.equals("false")) throw ApiException.badRequest("follow", "must be true or false");
        var tail = jdbi.withHandle(h -> runs.tail(h, run.uuid(), LOG_TAIL_BYTES));
        ctx.status(200).contentType("text/plain; charset=utf-8");
        if (!"true".equals(follow)) {
            ctx.result(lastBytes(join(tail), LOG_TAIL_BYTES));
            return;
        }
        ctx.header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        long seq = tail.isEmpty() ? 0 : tail.getLast().seq();
        out.write(lastBytes(join(tail), LOG_TAIL_BYTES).getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            long from = seq;
            var more = jdbi.withHandle(h -> runs.after(h, run.uuid(), from));
            for (var chunk : more) {
                out.write(chunk.text().getBytes(StandardCharsets.UTF_8));
                seq = chunk.seq();
            }
            if (!more.isEmpty()) {
                out.flush();
                continue;
            }
            boolean finished = jdbi.withHandle(h -> runs.byUuid(h, run.uuid())).map(r -> !r.active()).orElse(true);
            if (finished) {
                long last = seq;
                var rest = jdbi.withHandle(h -> runs.after(h, run.uuid(), last)); // output that raced the final status
                for (var chunk : rest) out.write(chunk.text().getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** PATCH /v1/job-runs/{uuid}: a node reports progress; only legal transitions are accepted. */
    public void update(Context ctx, Caller caller) {
        caller.require("job_runs", "update");
        UUID uuid = Responses.pathUuid(ctx, "job run");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), UPDATE_FIELDS);
        String statusText = f.string("status", true, 1, 20);
        RunStatus status = null;
        if (statusText != null) {
            try {
                status = RunStatus.valueOf(statusText);
            } catch (IllegalArgumentException e) {
                f.errors().add("status", "must be one of " + String.join(", ", RUN_STATUSES));
            }
        }
        String reason = f.string("status_reason", false, 0, 4000);
        String codeText = f.string("status_reason_code", false, 1, 40);
        if (codeText != null) {
            try {
                ReasonCode.valueOf(codeText);
            } catch (IllegalArgumentException e) {
                f.errors().add("status_reason_code", "is not a known reason code");
            }
        }
        Integer exitCode = integer(f, "exit_code", Integer.MIN_VALUE, Integer.MAX_VALUE);
        JsonNode rawSize = f.raw("image_size_bytes");
        Long imageBytes = rawSize == null || rawSize.isNull() ? null : rawSize.canConvertToLong() && rawSize.isIntegralNumber() && rawSize.asLong() >= 0 ? rawSize.asLong() : -1L;
        if (imageBytes != null && imageBytes < 0) f.errors().add("image_size_bytes", "must be a whole number >= 0");
        ArrayNode urls = nodeUrls(f);
        f.finish();
        RunStatus next = status;
        String code = codeText;
        if (next == RunStatus.FAILED && code == null && exitCode != null && exitCode != 0) code = ReasonCode.EXIT_NONZERO.name();
        String finalCode = code;
        RunRow updated = jdbi.inTransaction(h -> {
            RunRow run = runs.lockByUuid(h, uuid).orElseThrow(() -> ApiException.notFound("job run"));
            if (!caller.owns(run.nodeAccountUuid()) && !caller.canAll("job_runs", "update")) throw ApiException.notFound("job run");
            RunStatus current = RunStatus.valueOf(run.status());
            if (!current.canMoveTo(next)) {
                throw ApiException.conflict("job run " + uuid + " is " + current + " and cannot become " + next
                        + (run.stopRequested() ? " (it was asked to stop)" : ""));
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (current == next) {
                if (urls != null) runs.update(h, uuid, next.name(), null, null, null, urls, now, null);
                return runs.byUuid(h, uuid).orElseThrow();
            }
            Long runDeadline = null;
            if (next == RunStatus.RUNNING) {
                var timeout = h.createQuery("SELECT (spec->>'max_timeout_run_ms')::bigint FROM jobs WHERE uuid = :j")
                        .bind("j", run.jobUuid()).mapTo(Long.class).findOne().orElse(null);
                // The node enforces the run timeout; the server's deadline is a backstop for a silent node.
                if (timeout != null) runDeadline = now.toEpochMilli() + timeout + 1000;
            }
            runs.update(h, uuid, next.name(), reason, finalCode, exitCode, urls, now, runDeadline);
            if (imageBytes != null) {
                h.createUpdate("UPDATE jobs SET image_size_bytes = :b WHERE uuid = :j").bind("b", imageBytes).bind("j", run.jobUuid()).execute();
            }
            var verdict = reconciler.reconcile(h, run.jobUuid(), now);
            if (verdict != null && !verdict.retries().isEmpty()) signals.jobsWaiting(h); // a retry wants a node
            return runs.byUuid(h, uuid).orElseThrow();
        });
        Responses.json(ctx, 200, RunView.of(updated));
    }

    /** POST /v1/job-runs/{uuid}/logs: the node appends output (text, at most 256 KiB a call). */
    public void appendLogs(Context ctx, Caller caller) {
        caller.require("job_runs", "update");
        UUID uuid = Responses.pathUuid(ctx, "job run");
        byte[] body = ctx.bodyAsBytes();
        if (body.length > LOG_CHUNK_LIMIT) throw ApiException.payloadTooLarge("a log chunk may be at most 256 KiB; send it in several calls");
        String text = new String(body, StandardCharsets.UTF_8).replace("\u0000", "");
        jdbi.useTransaction(h -> {
            RunRow run = runs.byUuid(h, uuid).orElseThrow(() -> ApiException.notFound("job run"));
            if (!caller.owns(run.nodeAccountUuid()) && !caller.canAll("job_runs", "update")) throw ApiException.notFound("job run");
            if (!text.isEmpty()) runs.appendLog(h, uuid, text);
        });
        ctx.status(204);
    }

    private RunRow readable(Context ctx, Caller caller) {
        caller.require("job_runs", "read");
        UUID uuid = Responses.pathUuid(ctx, "job run");
        RunRow run = jdbi.withHandle(h -> runs.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("job run"));
        boolean ok = caller.owns(run.accountUuid()) || caller.owns(run.nodeAccountUuid()) || caller.canAll("job_runs", "read");
        if (!ok) throw ApiException.notFound("job run");
        return run;
    }

    private static Integer integer(JsonFields f, String name, long min, long max) {
        JsonNode n = f.raw(name);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            f.errors().add(name, "must be a whole number");
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
            u.fieldNames().forEachRemaining(k -> { if (!Set.of("description", "hostname", "port", "protocol", "tls").contains(k)) f.errors().add(p + "." + k, "is not a known field"); });
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

    private static String join(List<RunRepository.LogChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(c.text()));
        return sb.toString();
    }

    /** The end of {@code text} of at most {@code max} UTF-8 bytes, cut on a character boundary. */
    static String lastBytes(String text, long max) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) return text;
        int start = (int) (b.length - max);
        while (start < b.length && (b[start] & 0xC0) == 0x80) start++;
        return new String(b, start, b.length - start, StandardCharsets.UTF_8);
    }
}
