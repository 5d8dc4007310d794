package dev.galley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.list.ListQuery;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.db.ListSql;
import io.javalin.http.Context;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Small helpers every handler uses: JSON responses, list envelopes, path ids. */
public final class Responses {
    private Responses() {}

    public static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }

    public static <T> void page(Context ctx, ListQuery q, ListSql.Page<T> page, Function<T, JsonNode> view) {
        ObjectNode body = Json.object();
        var data = body.putArray("data");
        for (T row : page.data()) data.add(view.apply(row));
        body.put("page", q.page()).put("limit", q.limit()).put("total", page.total());
        json(ctx, 200, body);
    }

    /** A path id that is not a UUID is a resource that does not exist: 404 (spec §1). */
    public static UUID pathUuid(Context ctx, String what) {
        try {
            return ListQueryParser.parseUuid(ctx.pathParam("uuid"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what);
        }
    }
}
