package dev.galley.server.jobs;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import dev.galley.server.idempotency.IdempotentResponse;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** /v1/jobs and POST /v1/job-recipes/{uuid}/cook. */
public final class JobHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.ofEntries(
                    Map.entry("uuid", FilterKind.UUID_SET), Map.entry("status", FilterKind.WORD_SET),
                    Map.entry("task", FilterKind.WORD_SET), Map.entry("cpu_count", FilterKind.INTEGER_RANGE),
                    Map.entry("gpu_count", FilterKind.INTEGER_RANGE), Map.entry("min_ram_gb", FilterKind.NUMBER_RANGE),
                    Map.entry("min_vram_gb", FilterKind.NUMBER_RANGE), Map.entry("min_storage_gb", FilterKind.NUMBER_RANGE),
                    Map.entry("created_at", FilterKind.DATE_RANGE), Map.entry("source_recipe_uuid", FilterKind.UUID_SET)),
            Map.of("status", ListQueryParser.names(JobStatus.values()), "task", Set.of("BATCH", "PERSISTENT")), Set.of());

    private final JobService service;

    public JobHandlers(JobService service) {
        this.service = service;
    }

    public void create(Context ctx, Caller caller) {
        write(ctx, service.create(caller, ctx.path(), ctx.bodyAsBytes(), ctx.header("Idempotency-Key")));
    }

    public void cook(Context ctx, Caller caller) {
        UUID recipe;
        boolean dryRun;
        try {
            dryRun = dryRun(ctx);
            recipe = Responses.pathUuid(ctx, "job recipe");
        } catch (ApiException refused) {
            service.useNonce(caller); // even a request for no recipe uses its nonce
            throw refused;
        }
        if (dryRun) {
            service.useNonce(caller);
            Responses.json(ctx, 200, service.cookPreview(caller, recipe, ctx.bodyAsBytes()));
            return;
        }
        write(ctx, service.cook(caller, recipe, ctx.path(), ctx.bodyAsBytes(), ctx.header("Idempotency-Key")));
    }

    private static boolean dryRun(Context ctx) {
        String v = ctx.queryParam("dry_run");
        if (v == null || v.equals("false")) return false;
        if (v.equals("true")) return true;
        throw ApiException.badRequest("dry_run", "must be true or false");
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.JOBS, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        var priced = service.list(caller, q);
        Responses.page(ctx, q, priced.page(), j -> JobView.of(j, priced.charges().get(j.uuid())));
    }

    public void get(Context ctx, Caller caller) {
        caller.require(Resource.JOBS, Action.READ);
        var priced = service.get(caller, Responses.pathUuid(ctx, "job"));
        Responses.json(ctx, 200, JobView.of(priced.job(), priced.charges()));
    }

    public void cancel(Context ctx, Caller caller) {
        UUID uuid = Responses.pathUuid(ctx, "job");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), true), Set.of("reason"));
        String reason = f.string("reason", false, 0, 1000);
        f.finish();
        var priced = service.cancel(caller, uuid, reason);
        Responses.json(ctx, 200, JobView.of(priced.job(), priced.charges()));
    }

    private static void write(Context ctx, IdempotentResponse c) {
        ctx.status(c.status()).contentType("application/json").result(c.body());
    }
}
