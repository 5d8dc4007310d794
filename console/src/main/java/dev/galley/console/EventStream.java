package dev.galley.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent event stream (text/event-stream) written straight to the response. A write to a browser that
 * has gone throws, which ends the loop that feeds the stream.
 */
final class EventStream {
    private final OutputStream out;

    private EventStream(OutputStream out) {
        this.out = out;
    }

    static EventStream open(Context ctx) throws IOException {
        ctx.status(200).contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Accel-Buffering", "no");
        var s = new EventStream(ctx.res().getOutputStream());
        s.write("retry: 3000\n\n");
        return s;
    }

    /** One event; a multi-line {@code data} becomes several data lines, which the browser joins with newlines. */
    void send(String event, String data) throws IOException {
        StringBuilder b = new StringBuilder("event: ").append(event).append('\n');
        for (String line : data.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) b.append("data: ").append(line).append('\n');
        write(b.append('\n').toString());
    }

    /** A comment line: keeps proxies from closing a quiet stream, and finds out whether the browser is still there. */
    void keepAlive() throws IOException {
        write(": keep-alive\n\n");
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
