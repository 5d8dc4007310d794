package dev.galley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.ValidationException;
import dev.galley.server.db.DatabaseOutage;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns any exception into the error body of spec §1.2; unexpected ones become a logged 500 with the request id. */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    public static void write(Context ctx, Throwable e) {
        ApiException api = toApi(ctx, e);
        var body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("type", api.type());
        error.put("message", api.getMessage());
        if (!api.errors().isEmpty()) {
            var list = error.putArray("errors");
            for (FieldError fe : api.errors()) list.addObject().put("field", fe.field()).put("message", fe.message());
        }
        api.extra().forEach(error::put);
        error.put("request_id", RequestIds.of(ctx));
        api.headers().forEach(ctx::header);
        ctx.status(api.status()).contentType("application/json").result(Json.bytes(body));
    }

    /** When the last outage line was written: one line every few seconds says it all, thousands would bury the log. */
    private static final java.util.concurrent.atomic.AtomicLong lastOutageLog = new java.util.concurrent.atomic.AtomicLong();
    private static final long OUTAGE_LOG_EVERY_NANOS = 5_000_000_000L;

    private static void logOutage(String requestId, Context ctx, Throwable e) {
        long now = System.nanoTime();
        long last = lastOutageLog.get();
        if (last != 0 && now - last < OUTAGE_LOG_EVERY_NANOS || !lastOutageLog.compareAndSet(last, now)) {
            log.debug("request {} {} {} answered 503: database unavailable", requestId, ctx.method(), ctx.path(), e);
            return;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        log.warn("request {} {} {} answered 503: database unavailable ({}); further ones for 5 s are logged at DEBUG",
                requestId, ctx.method(), ctx.path(), root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
    }

    private static ApiException toApi(Context ctx, Throwable e) {
        if (e instanceof ApiException api) return api;
        if (e instanceof ValidationException v) {
            return new ApiException(400, "invalid_request", v.getMessage(), v.errors(), java.util.Map.of(), java.util.Map.of());
        }
        if (e instanceof HttpResponseException h) {
            int status = h.getStatus();
            String type = switch (status) {
                case 400 -> "invalid_request";
                case 401 -> "unauthenticated";
                case 403 -> "forbidden";
                case 404, 405 -> "not_found";
                case 409 -> "conflict";
                case 413 -> "payload_too_large";
                case 429 -> "rate_limited";
                default -> status >= 500 ? "internal" : "invalid_request";
            };
            if (status == 413) return ApiException.payloadTooLarge("request body is larger than 1 MiB");
            if (status == 405) return new ApiException(404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), java.util.List.of(), java.util.Map.of(), java.util.Map.of());
            if (status < 500) return new ApiException(status, type, h.getMessage(), java.util.List.of(), java.util.Map.of(), java.util.Map.of());
        }
        String requestId = RequestIds.of(ctx);
        if (DatabaseOutage.isCause(e) || (e instanceof HttpResponseException h && h.getStatus() == 503)) {
            logOutage(requestId, ctx, e);
            return ApiException.unavailable();
        }
        log.error("request {} {} {} failed", requestId, ctx.method(), ctx.path(), e);
        return new ApiException(500, "internal", "internal error; request id " + requestId + " (details are in the server log)",
                java.util.List.of(), java.util.Map.of(), java.util.Map.of());
    }
}
