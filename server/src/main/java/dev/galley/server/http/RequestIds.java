package dev.galley.server.http;

import io.javalin.http.Context;
import java.util.concurrent.ThreadLocalRandom;

/** Every response carries X-Request-Id; errors quote it so a user's report can be found in the log. */
public final class RequestIds {
    private static final String ATTRIBUTE = "galley.request_id";

    private RequestIds() {}

    public static void assign(Context ctx) {
        String id = newId();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    /** A new request id, {@code req_} and random hex. */
    public static String newId() {
        long a = ThreadLocalRandom.current().nextLong();
        long b = ThreadLocalRandom.current().nextLong();
        return "req_" + Long.toHexString(a) + Long.toHexString(b);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "unknown" : id;
    }
}
