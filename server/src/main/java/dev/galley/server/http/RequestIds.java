package dev.galley.server.http;

import io.javalin.http.Context;
import java.util.concurrent.ThreadLocalRandom;

/** Every response carries X-Request-Id; errors quote it so a user's report can be found in the log. */
public final class RequestIds {
    private static final String ATTRIBUTE = "galley.request_id";

    private RequestIds() {}

    public static void assign(Context ctx) {
        long a = ThreadLocalRandom.current().nextLong();
        long b = ThreadLocalRandom.current().nextLong();
        String id = "req_" + Long.toHexString(a) + Long.toHexString(b);
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "unknown" : id;
    }
}
