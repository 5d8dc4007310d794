package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import dev.galley.server.http.ClientConnection;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** /console/jobs, /console/jobs/{uuid}, /console/job-runs/{uuid}, and the event streams that keep them live. */
final class JobPages {
    static final List<String> STATUSES = List.of("PENDING", "ASSIGNED", "RUNNING", "CANCELLING", "COMPLETED", "FAILED", "CANCELLED");
    static final int PAGE_SIZE = 25;
    private static final long POLL_MS = 1_500;
    private static final long STREAM_MS = 10 * 60_000; // the browser reconnects; no stream lives for ever

    private final Web web;

    JobPages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/console/jobs", this::list);
        web.get("/console/jobs/{uuid}", this::job);
        web.post("/console/jobs/{uuid}/cancel", this::cancel);
        web.get("/console/job-runs/{uuid}", this::run);
        web.get("/console/events/jobs", this::jobEvents);
        web.get("/console/events/job-runs/{uuid}/logs", this::logEvents);
    }

    private void list(Context ctx, Session s, GalleyClient api) {
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) status = null;
        String recipe = ctx.queryParam("recipe");
        int page = page(ctx);
        StringBuilder q = new StringBuilder("/v1/jobs?limit=" + PAGE_SIZE + "&page=" + page);
        if (status != null) q.append("&filter[status]=").append(status);
        if (recipe != null && isUuid(recipe)) q.append("&filter[source_recipe_uuid]=").append(recipe);
        else recipe = null;
        JsonNode jobs = api.get(q.toString());
        List<String> uuids = new ArrayList<>();
        for (JsonNode j : jobs.path("data")) if (!V.terminal(j.path("status").asText())) uuids.add(j.path("uuid").asText());
        web.page(ctx, 200, "jobs.jte", Web.params("frame", web.frame(s, "Jobs", "jobs"), "jobs", jobs, "status", status == null ? "" : status,
                "statuses", STATUSES, "page", page, "pageSize", PAGE_SIZE, "recipe", recipe == null ? "" : recipe,
                "liveUrl", uuids.isEmpty() ? "" : "/console/events/jobs?uuids=" + String.join(",", uuids)));
    }

    private void job(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        JsonNode job = api.get("/v1/jobs/" + uuid);
        JsonNode runs = api.get("/v1/job-runs?limit=50&sort=created_at&filter[job_uuid]=" + uuid);
        String status = job.path("status").asText();
        web.page(ctx, 200, "job.jte", Web.params("frame", web.frame(s, job.path("title").asText(), "jobs"), "job", job, "runs", runs,
                "liveUrl", V.terminal(status) ? "" : "/console/events/jobs?uuids=" + uuid,
                "cancellable", !V.terminal(status) && !status.equals("CANCELLING")));
    }

    private void cancel(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        api.put("/v1/jobs/" + uuid + "/cancel", JsonNodeFactory.instance.objectNode().put("reason", "cancelled in the web console"));
        ctx.status(303).header("Location", "/console/jobs/" + uuid);
    }

    private void run(Context ctx, Session s, GalleyClient api) {
        UUID uuid = Web.uuid(ctx, "uuid");
        JsonNode run = api.get("/v1/job-runs/" + uuid);
        String status = run.path("status").asText();
        web.page(ctx, 200, "run.jte", Web.params("frame", web.frame(s, "Run " + V.shortId(uuid.toString()), "jobs"), "run", run,
                "liveUrl", V.terminal(status) ? "" : "/console/events/job-runs/" + uuid + "/logs"));
    }

    /** Status changes of up to 50 jobs, polled from the API and sent as they happen. */
    private void jobEvents(Context ctx, Session s, GalleyClient api) throws IOException, InterruptedException {
        Set<String> uuids = new LinkedHashSet<>();
        for (String u : String.valueOf(ctx.queryParam("uuids")).split(",")) if (isUuid(u) && uuids.size() < 50) uuids.add(u);
        if (uuids.isEmpty()) {
            ctx.status(400).result("uuids: one to fifty job uuids, comma-separated");
            return;
        }
        EventStream events = EventStream.open(ctx);
        Map<String, String> sent = new HashMap<>();
        long until = System.currentTimeMillis() + STREAM_MS;
        String path = "/v1/jobs?limit=50&filter[uuid]=" + URLEncoder.encode(String.join(",", uuids), StandardCharsets.UTF_8);
        while (System.currentTimeMillis() < until) {
            JsonNode page;
            try {
                page = api.get(path);
            } catch (GalleyApiException | GalleyConnectionException e) {
                events.send("gone", "");
                return;
            }
            boolean allDone = true;
            for (JsonNode j : page.path("data")) {
                String status = j.path("status").asText();
                String reason = V.t(j, "status_reason");
                if (!(status + reason).equals(sent.get(j.path("uuid").asText()))) {
                    var e = JsonNodeFactory.instance.objectNode().put("uuid", j.path("uuid").asText()).put("status", status)
                            .put("status_class", V.statusClass(status)).put("status_reason", reason);
                    events.send("job", e.toString());
                    sent.put(j.path("uuid").asText(), status + reason);
                }
                allDone &= V.terminal(status);
            }
            if (allDone) {
                events.send("done", "");
                return;
            }
            events.keepAlive();
            Thread.sleep(POLL_MS); // the pace of the poll, not a synchronisation
        }
    }

    /** The run's log, from the API's follow stream, as events; then its end (status and exit code). */
    private void logEvents(Context ctx, Session s, GalleyClient api) throws IOException {
        UUID uuid = Web.uuid(ctx, "uuid");
        api.get("/v1/job-runs/" + uuid); // 404 before the stream opens, for a run the key may not see
        EventStream events = EventStream.open(ctx);
        // A browser that leaves while the run is quiet: stop following (the API's stream closes with this thread).
        Thread self = Thread.currentThread();
        ClientConnection.onClientGone(ctx, self::interrupt);
        events.send("reset", "");
        try {
            api.stream("/v1/job-runs/" + uuid + "/logs?follow=true", new LogSink(events));
        } catch (GalleyApiException | GalleyConnectionException e) {
            if (Thread.interrupted()) return;
        }
        JsonNode run = api.get("/v1/job-runs/" + uuid);
        events.send("end", JsonNodeFactory.instance.objectNode().put("status", run.path("status").asText())
                .put("status_class", V.statusClass(run.path("status").asText()))
                .put("exit_code", V.t(run, "exit_code")).put("ended_at", V.isoMs(run, "completed_at_ms")).toString());
    }

    /** Bytes of log as "log" events, cut only between whole UTF-8 characters. */
    static final class LogSink extends OutputStream {
        private final EventStream events;
        private byte[] pending = new byte[0];

        LogSink(EventStream events) {
            this.events = events;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            byte[] all = new byte[pending.length + len];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(b, off, all, pending.length, len);
            int cut = wholeCharacters(all);
            pending = java.util.Arrays.copyOfRange(all, cut, all.length);
            if (cut > 0) events.send("log", new String(all, 0, cut, StandardCharsets.UTF_8));
        }

        /** The length of the longest prefix that does not end inside a UTF-8 sequence. */
        static int wholeCharacters(byte[] bytes) {
            int i = bytes.length;
            int back = 0;
            while (i > 0 && back < 4 && (bytes[i - 1] & 0xC0) == 0x80) {
                i--;
                back++;
            }
            if (i == 0) return bytes.length;
            int lead = bytes[i - 1] & 0xFF;
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return need == back + 1 || need == 1 ? bytes.length : i - 1;
        }
    }

    static int page(Context ctx) {
        try {
            return Math.max(1, Math.min(1_000_000, Integer.parseInt(String.valueOf(ctx.queryParam("page")))));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
