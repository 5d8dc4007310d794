package dev.galley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives by itself, before any route sees the request: a request that is not valid HTTP (a control
 * character in a header, a broken Content-Length), a path it refuses (not UTF-8, an encoded NUL), a URI or headers
 * too large. Jetty writes those as HTML pages (or nothing at all for PUT, PATCH and DELETE); these handlers write
 * them in the API's error body (spec §1.2) with an {@code X-Request-Id}, like every other answer.
 *
 * <p>Two handlers, because Jetty has two places for them: the server's (requests it cannot parse) and the servlet
 * context's (paths it refuses).
 */
public final class HttpLayerErrors {
    private static final String REQUEST_ID = "galley.request_id";

    private HttpLayerErrors() {}

    /** For {@code Server.setErrorHandler}. */
    public static Request.Handler forServer() {
        return new ForServer();
    }

    /** For {@code ServletContextHandler.setErrorHandler}. */
    public static Request.Handler forServletContext() {
        return new ForServletContext();
    }

    /** Jetty's own step that writes a body of a content type (its {@code generateAcceptableResponse}). */
    @FunctionalInterface
    private interface BodyWriter {
        boolean write(Request request, Response response, Callback callback, String contentType, List<Charset> charsets,
                      int code, String message, Throwable cause) throws IOException;
    }

    /** Always JSON, whatever the request's Accept header says (or whether it could be parsed at all). */
    private static void respond(Request request, Response response, int code, String message, Throwable cause, Callback callback,
                                BodyWriter writer) throws IOException {
        String id = RequestIds.newId();
        request.setAttribute(REQUEST_ID, id);
        response.getHeaders().put("X-Request-Id", id);
        if (!writer.write(request, response, callback, "application/json", List.of(StandardCharsets.UTF_8), code, message, cause)) {
            callback.succeeded();
        }
    }

    private static final class ForServer extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true; // Jetty's default writes no body for PUT, PATCH or DELETE
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
                throws IOException {
            respond(request, response, code, message, cause, callback, this::generateAcceptableResponse);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message, request.getAttribute(REQUEST_ID)));
        }
    }

    private static final class ForServletContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
                throws IOException {
            respond(request, response, code, message, cause, callback, this::generateAcceptableResponse);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message, request.getAttribute(REQUEST_ID)));
        }
    }

    /** The error body: Jetty's reason (e.g. "Illegal character CNTL=0x1") under the spec §1.2 type for the status. */
    static String body(int code, String message, Object requestId) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        ObjectNode body = Json.object();
        body.putObject("error").put("type", type(code)).put("message", "the request was refused before reaching the API: " + reason)
                .put("request_id", String.valueOf(requestId));
        return body.toString();
    }

    private static String type(int status) {
        return switch (status) {
            case 404, 405 -> "not_found";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "invalid_request";
        };
    }
}
