package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.core.providers.HardwareSample;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import dev.galley.server.lifecycle.JobRow;
import dev.galley.server.lifecycle.RunRow;
import dev.galley.server.lifecycle.RunView;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** /v1/nodes: registration, heartbeats and assignment long-polls (agents); list, get and drain (owners). */
public final class NodeHandlers {
    public static final long MAX_WAIT_MS = 60_000;
    public static final int MAX_METADATA_BYTES = 16 * 1024;
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("status", FilterKind.WORD_SET, "region_code", FilterKind.SUBSTRING, "uuid", FilterKind.UUID_SET,
                    "name", FilterKind.SUBSTRING, "created_at", FilterKind.DATE_RANGE),
            Map.of("status", ListQueryParser.names(NodeStatus.values())), Set.of());
    private static final ListQueryParser EVENTS = new ListQueryParser(Map.of("timestamp_ms", FilterKind.INTEGER_RANGE), Map.of(), Set.of());
    private static final ListQueryParser WAIT = new ListQueryParser(Map.of(), Map.of(), Set.of("wait_ms"));

    private final NodeService nodes;

    public NodeHandlers(NodeService nodes) {
        this.nodes = nodes;
    }

    public void register(Context ctx, Caller caller) {
        caller.require(Resource.NODES, Action.UPDATE);
        var registered = nodes.register(caller, NodeRegistration.parse(Json.parseObject(ctx.bodyAsBytes(), false)));
        Responses.json(ctx, registered.created() ? 201 : 200, NodeView.of(registered.node()));
    }

    public void heartbeat(Context ctx, Caller caller) {
        caller.require(Resource.NODES, Action.UPDATE);
        UUID node = uuid(ctx);
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), true), Set.of("metadata", "active_run_uuids"));
        JsonNode metadata = f.raw("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) f.errors().add("metadata", "must be an object");
        else if (metadata != null && Json.bytes(metadata).length > MAX_METADATA_BYTES) {
            // Stored on every heartbeat (every few seconds per node): kept small.
            f.errors().add("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes as JSON");
        }
        HardwareSample sample = sample(metadata, f.errors());
        List<String> active = f.strings("active_run_uuids", false, 10_000, 64);
        Set<UUID> reported = new HashSet<>();
        for (int i = 0; active != null && i < active.size(); i++) {
            try {
                reported.add(ListQueryParser.parseUuid(active.get(i)));
            } catch (IllegalArgumentException e) {
                f.errors().add("active_run_uuids[" + i + "]", "must be a UUID");
            }
        }
        f.finish();
        ObjectNode body = Json.object();
        var commands = body.putArray("commands");
        for (var stop : nodes.heartbeat(caller, node, sample, reported)) {
            commands.addObject().put("type", "stop_run").put("job_run_uuid", stop.run().toString()).put("reason", stop.reason());
        }
        Responses.json(ctx, 200, body);
    }

    /**
     * The load sample in {@code metadata.hardware_event}: absent or null is no sample (never an error: an agent may
     * have none yet), a malformed one is a 400 naming the field.
     */
    private static HardwareSample sample(JsonNode metadata, FieldErrors errors) {
        if (metadata == null || !metadata.isObject()) return null;
        JsonNode event = metadata.get(HardwareSample.METADATA_FIELD);
        if (event == null || event.isNull()) return null;
        return HardwareSample.fromJson(event, "metadata." + HardwareSample.METADATA_FIELD, errors);
    }

    /** GET /v1/nodes/{uuid}/hardware-events: the node's stored load samples, oldest first unless sorted otherwise. */
    public void hardwareEvents(Context ctx, Caller caller) {
        caller.require(Resource.NODES, Action.READ);
        UUID uuid = uuid(ctx);
        var q = EVENTS.parse(ctx.queryParamMap());
        Responses.page(ctx, q, nodes.hardwareEvents(caller, uuid, q), HardwareEventView::of);
    }

    /** Long-poll: returns at once when runs are ASSIGNED to this node, else waits up to wait_ms for one. */
    public void assignments(Context ctx, Caller caller) throws InterruptedException {
        caller.require(Resource.NODES, Action.UPDATE);
        UUID node = nodes.actingAs(caller, uuid(ctx));
        WAIT.parse(ctx.queryParamMap());
        long waitMs = 30_000;
        String raw = ctx.queryParam("wait_ms");
        if (raw != null) {
            try {
                waitMs = Long.parseLong(raw);
                if (waitMs < 0 || waitMs > MAX_WAIT_MS) throw ApiException.badRequest("wait_ms", "must be between 0 and 60000");
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("wait_ms", "must be a whole number of milliseconds");
            }
        }
        ObjectNode body = Json.object();
        var list = body.putArray("assignments");
        nodes.awaitAssignments(node, waitMs).forEach(a -> list.add(assignment(a)));
        Responses.json(ctx, 200, body);
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.NODES, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, nodes.list(caller, q), NodeView::of);
    }

    public void get(Context ctx, Caller caller) {
        caller.require(Resource.NODES, Action.READ);
        Responses.json(ctx, 200, NodeView.of(nodes.get(caller, uuid(ctx))));
    }

    /** PATCH /v1/nodes/{uuid} with a status of DRAINING (drain the node) or ONLINE (resume it). */
    public void update(Context ctx, Caller caller) {
        caller.require(Resource.NODES, Action.UPDATE);
        UUID uuid = uuid(ctx);
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), Set.of("status"));
        String text = f.string("status", true, 1, 20);
        NodeStatus status = Stream.of(NodeStatus.DRAINING, NodeStatus.ONLINE).filter(s -> s.name().equals(text)).findFirst().orElse(null);
        if (text != null && !text.isEmpty() && status == null) {
            f.errors().add("status", "must be DRAINING or ONLINE (a node goes OFFLINE by itself when its heartbeats stop)");
        }
        f.finish();
        Responses.json(ctx, 200, NodeView.of(nodes.setStatus(caller, uuid, status)));
    }

    /** One assignment (spec §6.1): the run, its job with real secret values, and the environment to inject. */
    private static ObjectNode assignment(NodeService.Assignment assignment) {
        RunRow run = assignment.run();
        JobRow job = assignment.job();
        ObjectNode spec = assignment.revealedSpec();
        ObjectNode jobNode = Json.object();
        jobNode.put("uuid", job.uuid().toString()).put("object", "job");
        jobNode.setAll(spec);
        ObjectNode env = Json.object();
        env.put("CONTAINER_ACCESS_TOKEN", job.containerAccessToken());
        env.put("GALLEY_JOB_UUID", job.uuid().toString());
        env.put("GALLEY_JOB_RUN_UUID", run.uuid().toString());
        env.put("GALLEY_NODE_INDEX", Integer.toString(run.nodeIndex()));
        env.put("GALLEY_NODE_COUNT", Integer.toString(job.nodeCount() == null ? 1 : job.nodeCount()));
        String sshkey = spec.at("/parameters/parameters/sshkey").asText(null);
        if (sshkey != null && !sshkey.isEmpty()) env.put("SSH_PUBKEY", sshkey);
        ObjectNode a = Json.object();
        a.set("job_run", RunView.of(run));
        a.set("job", jobNode);
        a.set("env", env);
        return a;
    }

    private static UUID uuid(Context ctx) {
        return Responses.pathUuid(ctx, "node");
    }
}
